"""Exports run in a worker process with a wall-clock and a memory limit, so that a pathological
article is stopped with a clear error while the caller (a CLI run, a web server) carries on."""

from __future__ import annotations

import faulthandler
import logging
import multiprocessing
import os
import resource
import traceback
from dataclasses import dataclass, field

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ..articles import Article, PressroomError
from .base import ExportFailed

LOGGER = logging.getLogger("pressroom")


@dataclass(frozen=True)
class ExportLimits:
    """How long and how much memory one export may take; `start_method` is how workers start:
    "fork" for single-threaded callers (the CLI), "forkserver" for threaded servers."""

    seconds: float = field(default_factory=lambda: float(os.environ.get("PRESSROOM_EXPORT_SECONDS", 120)))
    memory_bytes: int = field(
        default_factory=lambda: int(os.environ.get("PRESSROOM_EXPORT_MEMORY_MB", 3072)) * 1024 * 1024)
    start_method: str = "fork"


def run_isolated(work: Callable[..., Any], article: Article, label: str, limits: ExportLimits, *args: Any) -> Any:
    """`work(article, *args)` in a worker process within `limits`; its result, or ExportFailed.

    `label` names the work in messages ("PDF", "PDF and EPUB").
    """
    context = _context(limits.start_method)
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(sender, work, article, label, limits.memory_bytes, args),
                             daemon=True)
    worker.start()
    sender.close()
    try:
        if not receiver.poll(limits.seconds):
            raise ExportFailed(article, label, f"it took longer than {limits.seconds:g} seconds", transient=True)
        try:
            outcome, payload = receiver.recv()
        except EOFError:
            raise ExportFailed(article, label, _death_reason(worker), transient=True) from None
    finally:
        receiver.close()
        if worker.is_alive():
            worker.kill()
        worker.join()
    if outcome == "failed":
        raise ExportFailed.because(payload)
    return payload


@lru_cache(maxsize=None)
def _context(start_method: str):
    """The multiprocessing context for export workers; a forkserver starts with the engines loaded."""
    context = multiprocessing.get_context(start_method)
    if start_method == "forkserver":
        context.set_forkserver_preload(["pressroom.exporters.preload"])
    return context


def _work(sender, work, article, label, memory_bytes, args) -> None:
    """The worker: limit memory, run, send ("done", result) or ("failed", message)."""
    # Engines in C may crash when memory runs out; the parent reports that, so no dump from here.
    faulthandler.disable()
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        result = ("done", work(article, *args))
    except PressroomError as error:
        result = ("failed", str(error))
    except MemoryError:
        result = ("failed", str(ExportFailed(article, label, "it needs more memory than an export may use")))
    except RecursionError:
        result = ("failed", str(ExportFailed(article, label, "its structure is nested too deeply")))
    except Exception as error:  # an engine's own failure: the user gets the reason, the log the traceback
        if _near_limit(limit):  # C extensions report an exhausted address space in odd ways
            result = ("failed", str(ExportFailed(article, label, "it needs more memory than an export may use")))
        else:
            LOGGER.error("export of %s as %s failed:\n%s", article.source_path, label, traceback.format_exc())
            reason = f"{label} engine error ({type(error).__name__}: {str(error)[:200]})"
            result = ("failed", str(ExportFailed(article, label, reason)))
    try:
        sender.send(result)
    except MemoryError:
        sender.send(("failed", str(ExportFailed(article, label, "the edition is too large"))))
    finally:
        sender.close()


def _near_limit(limit: int) -> bool:
    """Whether this process came within 5% of its address-space limit."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmPeak:"):
                return int(line.split()[1]) * 1024 > limit * 0.95
    return False


def _death_reason(worker) -> str:
    worker.join(5)
    if worker.exitcode is not None and worker.exitcode < 0:
        return f"the worker was stopped by signal {-worker.exitcode} (out of memory?)"
    return "the worker stopped without an answer"
