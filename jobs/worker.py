"""`pressroom worker`: a Celery worker of the export queue, each job in a limited export process."""

from __future__ import annotations

import logging
import os
import socket
import sys
from pathlib import Path

from celery.signals import worker_process_init

from ..execution import allow_export_processes
from ..exporters import rehearse_engines
from .periodicals import PeriodicalScheduler
from .queue import LOGGER, check_reachable, queue_app


def run_worker(url: str, processes: int, content_dir: Path | None = None, beat: bool = False) -> None:
    """Take export jobs from the queue at `url` with `processes` worker processes, until stopped; the
    issues of periodicals go into `content_dir`; with `beat`, also run the periodicals' schedules."""
    check_reachable(url)
    app = queue_app(url, content_dir)
    worker_process_init.connect(lambda **_: allow_export_processes(), weak=False)
    _log_jobs()
    rehearse_engines()  # once here, so that every pool process and every export process forks warm
    worker = app.Worker(concurrency=processes, pool="prefork", loglevel="WARNING", quiet=True,
                        hostname=f"pressroom-{os.getpid()}@{socket.gethostname()}", without_gossip=True,
                        without_mingle=True, without_heartbeat=True, optimization="fair",
                        beat=beat, scheduler=f"{PeriodicalScheduler.__module__}:{PeriodicalScheduler.__name__}")
    worker.start()


def _log_jobs() -> None:
    """Each job's line on stderr, from every pool process (they inherit the handler when they fork)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False
