"""The web server's forkserver imports this module, and only it: multiprocessing's forkserver runs
no function of ours, only imports, so this import is the call that warms it (`warm_engines`) before
it forks export workers. Nothing else imports it."""

from .warming import warm_engines

warm_engines()
