"""Exports run in a worker process with a wall-clock and a memory limit, so that a pathological
article is stopped with a clear error while the caller (a CLI run, a web server) carries on.

A command forks one worker per export. A server keeps workers between exports: a worker makes one
export after another while they succeed and it stays near its first size, so that later exports
find WeasyPrint's, Pango's and cffi's caches filled (a fresh worker's first PDF spends 50-100 ms
filling them), and one is started ahead, and rehearsed, when none is waiting."""

from __future__ import annotations

import faulthandler
import gc
import logging
import os
import pickle
import resource
import select
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..articles import PressroomError, Publication
from ..exporters.base import ExportFailed
from .limits import ExportLimits
from .memory import address_space

LOGGER = logging.getLogger("pressroom")


@dataclass(frozen=True)
class ExportJob:
    """One export for a worker process: `work(publication, *arguments)` within `limits`; `label` names
    the work in messages ("PDF", "PDF and EPUB")."""

    work: Callable[..., Any]
    publication: Publication
    label: str
    limits: ExportLimits
    arguments: tuple[Any, ...] = ()


IDLE_WORKERS = 2  # a server's workers waiting for an export: as many as it makes editions at once


def run_isolated(job: ExportJob, rehearsal: Callable[[], None] | None = None) -> Any:
    """`job` in a worker process within its limits; its result, or ExportFailed.

    With a forkserver the export goes
    to a waiting worker when there is one, and the worker waits for the next export afterwards if
    it may; when none is left waiting, one is started ahead and runs `rehearsal` (a small export),
    so that the next export neither waits for a worker to start nor pays for first touching what
    it inherited.
    """
    limits = job.limits
    if limits.start_method == "fork":
        worker = _Worker.fork(job)
    else:
        context = _context(limits.start_method)
        worker = _idle_worker(limits.start_method, job)
        if worker is None:
            worker = _Worker.start(context, job=job)
        if limits.start_method == "forkserver":
            _keep_one_waiting(context, limits.start_method, rehearsal)
    again = False
    try:
        if not worker.results.poll(limits.seconds):
            raise ExportFailed(job.publication, job.label, f"it took longer than {limits.seconds:g} seconds",
                               transient=True)
        try:
            outcome, payload, again = worker.results.recv()
        except EOFError:
            raise ExportFailed(job.publication, job.label, _death_reason(worker.process), transient=True) from None
    finally:
        if not (again and _wait_again(worker, limits.start_method)):
            worker.stop()
    if outcome == "failed":
        raise ExportFailed.because(payload)
    return payload


@dataclass
class _Worker:
    """A worker process, started with its first job or waiting for one on `jobs`; it answers on `results`."""

    process: Any
    jobs: Any
    results: Any

    @classmethod
    def start(cls, context, rehearsal: Callable[[], None] | None = None, job: ExportJob | None = None) -> _Worker:
        """A server's worker, started by a multiprocessing context (a forkserver's) with its first
        job or, ahead of one, with `rehearsal`."""
        jobs_receiver, jobs = context.Pipe(duplex=False)
        results, results_sender = context.Pipe(duplex=False)
        process = context.Process(target=_serve, args=(jobs_receiver, results_sender, rehearsal, job), daemon=True)
        process.start()
        jobs_receiver.close()
        results_sender.close()
        return cls(process, jobs, results)

    @classmethod
    def fork(cls, job: ExportJob) -> _Worker:
        """A worker forked from this single-threaded process for `job`, with nothing but a pipe:
        multiprocessing would cost a cold command about 10 ms of imports."""
        answers, answer_sender = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # what is buffered is the parent's to write, once
            if stream is not None:
                stream.flush()
        # A forked worker's collections then skip every object it inherits: walking them (and so
        # copying their pages) cost a small PDF's writing 30-40 ms. The parent takes them back at once.
        gc.freeze()
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            os.close(answers)
            os.close(answer_sender)
            raise
        if pid == 0:
            status = 1
            try:
                os.close(answers)
                sender = _AnswerSender(answer_sender)
                _send(sender, _answer(job), False, job)
                sender.close()
                status = 0
            finally:
                for stream in (sys.stdout, sys.stderr):
                    if stream is not None:
                        stream.flush()
                os._exit(status)
        gc.unfreeze()
        os.close(answer_sender)
        return cls(_ForkedProcess(pid), None, _AnswerReceiver(answers))

    def stop(self) -> None:
        if self.jobs is not None:
            self.jobs.close()
        self.results.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


class _ForkedProcess:
    """A worker made by `os.fork`: as much of `multiprocessing.Process` as `run_isolated` uses."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.exitcode: int | None = None  # minus the signal's number when a signal stopped it

    def is_alive(self) -> bool:
        self._reap(wait=False)
        return self.exitcode is None

    def kill(self) -> None:
        if self.exitcode is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def join(self, timeout: float | None = None) -> None:
        if timeout is None:
            self._reap(wait=True)
            return
        deadline = time.monotonic() + timeout
        while not self._reap(wait=False) and time.monotonic() < deadline:
            time.sleep(0.01)

    def _reap(self, wait: bool) -> bool:
        """Whether it has ended (collecting its exit status once)."""
        if self.exitcode is None:
            pid, status = os.waitpid(self.pid, 0 if wait else os.WNOHANG)
            if pid:
                self.exitcode = os.waitstatus_to_exitcode(status)
        return self.exitcode is not None


class _AnswerSender:
    """The forked worker's end of its answer pipe: one pickled answer, then end of file."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def send(self, answer: Any) -> None:
        data = memoryview(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(self.fd, data):]

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class _AnswerReceiver:
    """The parent's end: `poll` waits for the answer to begin, `recv` reads it to the end of file
    (EOFError when the worker ended without a whole answer)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def poll(self, timeout: float) -> bool:
        waiting = select.poll()  # not select.select, which fails on descriptors past 1023
        waiting.register(self.fd, select.POLLIN)
        return bool(waiting.poll(timeout * 1000))

    def recv(self) -> Any:
        chunks = []
        while chunk := os.read(self.fd, 1 << 20):
            chunks.append(chunk)
        try:
            return pickle.loads(b"".join(chunks))
        except Exception:  # nothing, or a part: it was stopped while it answered
            raise EOFError from None

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


_IDLE: dict[str, list[_Worker]] = {}  # waiting for an export, the last to have waited at the end
_IDLE_LOCK = threading.Lock()


def _idle_worker(start_method: str, job: ExportJob) -> _Worker | None:
    """A waiting worker, which has taken `job`: the one that worked last, whose caches are warmest."""
    while True:
        with _IDLE_LOCK:
            waiting = _IDLE.get(start_method)
            worker = waiting.pop() if waiting else None
        if worker is None:
            return None
        if worker.process.is_alive():
            try:
                worker.jobs.send(job)
                return worker
            except OSError:
                pass
        worker.stop()  # it died while it waited


def _keep_one_waiting(context, start_method: str, rehearsal: Callable[[], None] | None) -> None:
    """When no worker is left waiting, start the next export's now, while this one works."""
    with _IDLE_LOCK:
        waiting = _IDLE.setdefault(start_method, [])
        if not waiting:
            waiting.append(_Worker.start(context, rehearsal))


def _wait_again(worker: _Worker, start_method: str) -> bool:
    """Keep a worker that may make another export waiting for it, if fewer than IDLE_WORKERS wait."""
    with _IDLE_LOCK:
        waiting = _IDLE.setdefault(start_method, [])
        if len(waiting) >= IDLE_WORKERS:
            return False
        waiting.append(worker)
        return True


def _serve(jobs, results, rehearsal: Callable[[], None] | None, job: ExportJob | None) -> None:
    """A server's worker: rehearse when started ahead of a job, then make exports as they come on
    `jobs`, each answered on `results` with whether it will take another. It stops after one that
    failed, or past the job's limits (`exports_per_worker`, `worker_growth_bytes`); a parent that
    goes away ends it."""
    if job is None and rehearsal is not None:
        try:
            rehearsal()
        except Exception:  # the job meets the same problem and reports it properly
            LOGGER.debug("the export worker's rehearsal failed", exc_info=True)
    ready_size = address_space().size
    made = 0
    while True:
        if job is None:
            try:
                job = jobs.recv()
            except EOFError:
                return
        answer = _answer(job)
        made += 1
        again = (answer[0] == "done" and made < job.limits.exports_per_worker
                 and address_space().size < ready_size + job.limits.worker_growth_bytes)
        if not _send(results, answer, again, job) or not again:
            return
        job = None


@lru_cache(maxsize=None)
def _context(start_method: str):
    """The multiprocessing context for export workers; a forkserver starts with the engines loaded."""
    import multiprocessing

    context = multiprocessing.get_context(start_method)
    if start_method == "forkserver":
        context.set_forkserver_preload(["pressroom.execution.forkserver_preload"])
    return context


def _answer(job: ExportJob) -> tuple[str, Any]:
    """In the worker: limit memory, run, and say ("done", result) or ("failed", message)."""
    article, label = job.publication, job.label
    # Engines in C may crash when memory runs out; the parent reports that, so no dump from here.
    faulthandler.disable()
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = job.limits.memory_bytes if hard == resource.RLIM_INFINITY else min(job.limits.memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        result = ("done", job.work(article, *job.arguments))
    except PressroomError as error:
        result = ("failed", str(error))
    except MemoryError:
        result = ("failed", str(ExportFailed(article, label, "it needs more memory than an export may use")))
    except RecursionError:
        result = ("failed", str(ExportFailed(article, label, "its structure is nested too deeply")))
    except Exception as error:  # an engine's own failure: the user gets the reason, the log the traceback
        if address_space().peak > limit * 0.95:  # C extensions report an exhausted address space in odd ways
            result = ("failed", str(ExportFailed(article, label, "it needs more memory than an export may use")))
        else:
            LOGGER.error("export of %s as %s failed:\n%s", article.source_path, label, traceback.format_exc())
            reason = f"{label} engine error ({type(error).__name__}: {str(error)[:200]})"
            result = ("failed", str(ExportFailed(article, label, reason)))
    return result


def _send(sender, answer: tuple[str, Any], again: bool, job: ExportJob) -> bool:
    """Send `job`'s answer and whether this worker takes another export; False if it had to say
    instead that the edition is too large to send."""
    try:
        sender.send((*answer, again))
        return True
    except MemoryError:
        sender.send(("failed", str(ExportFailed(job.publication, job.label, "the edition is too large")), False))
        return False


def _death_reason(worker) -> str:
    worker.join(5)
    if worker.exitcode is not None and worker.exitcode < 0:
        return f"the worker was stopped by signal {-worker.exitcode} (out of memory?)"
    return "the worker stopped without an answer"
