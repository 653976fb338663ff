"""The `pressroom` command, and `python -m pressroom`: the command line, loaded with the collector paused."""

import gc
import sys


def run() -> None:
    """Load the command line and run it. What loading makes (modules, classes, functions, the exporters)
    lives until the command ends, so the collector, which would walk it some fifty times over and free
    nothing, is paused until the command's work begins (`cli.resume_collector`)."""
    gc.disable()
    from .cli import main

    sys.exit(main())


if __name__ == "__main__":
    run()
