"""What an export needs inside a Celery pool process: leave to start its limited child process."""

from __future__ import annotations


def allow_export_processes() -> None:
    """Billiard marks its pool processes daemonic, and multiprocessing refuses children to daemonic
    processes; each job exports in a child process of its own (its time and memory limits), which
    the pool process waits for and stops itself. Called when each pool process starts."""
    import multiprocessing  # here: only a Celery pool process, which has it loaded already, calls this

    multiprocessing.current_process()._config.pop("daemon", None)
