"""Sending a batch of exports to the queue and writing the editions as they come back."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import redis
from celery import Celery

from ..articles import PressroomError
from ..articles.readers.sources import read_source
from ..exporters import plan_editions
from ..output import StrictRefusal, refuse_if_strict
from .payload import job_payload
from .queue import TASK_NAME, QueueUnreachable, check_reachable, queue_app, redacted
from .results import ResultRefused, checked_editions, planned_files, read_records
from .tracking import StallWatch, first_in_line, jobs_nowhere

POLL_SECONDS = 0.05
# A batch that has had no result for this long looks for jobs the queue lost (reading the whole
# queue, so not while results come); a job two looks in a row miss is sent again, which a job
# between the broker's list and a worker's hands (milliseconds) never is.
LOST_JOB_SECONDS = 2.0


class BatchReport(Protocol):
    """Where a batch says how it goes: the door (the CLI's progress bar and streams) implements it."""

    def started(self, jobs: int) -> None:
        """`jobs` were sent to the queue."""

    def finished_one(self) -> None:
        """One more job has its outcome."""

    def message(self, line: str) -> None:
        """A warning or an error, one line."""

    def wrote(self, path: Path) -> None:
        """A file was written."""


@dataclass
class Batch:
    """What a queued batch did: paths written per source, messages, sources that failed or are unknown."""

    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)


def export_on_queue(url: str, sources: Sequence[str], formats: Sequence[str], options: Mapping[str, Any],
                    output_dir: Path, strict: bool, write: Callable[[Path, Any], list[Path]], report: BatchReport,
                    allowed_hosts: tuple[str, ...] = ()) -> Batch:
    """Enqueue one job per source, say how it goes to `report`, and write each job's files (with `write`)
    as its result arrives, once it holds exactly the files the exporters plan for the article. Sources
    that cannot be read (or fetched) fail here, before anything is sent."""
    check_reachable(url)
    app = queue_app(url)
    plans = plan_editions(formats, options)
    batch = Batch()
    pending: dict[str, str] = {}
    payloads: dict[str, dict[str, Any]] = {}
    planned: dict[str, dict[str, dict[str, str]]] = {}
    for source in sources:
        try:
            article = read_source(source, allowed_hosts)
            files = planned_files(article, plans)
        except PressroomError as error:
            report.message(f"error: {error}")
            batch.failed.append(str(source))
            continue
        for warning in article.warnings:
            report.message(f"warning: {warning}")
        try:
            refuse_if_strict(strict, article.warnings, source)
        except StrictRefusal as refusal:
            report.message(f"error: {refusal}")
            batch.failed.append(str(source))
            continue
        job_id = str(uuid.uuid4())
        pending[job_id] = source
        planned[job_id] = files
        payloads[job_id] = job_payload(article, formats, options)
        app.send_task(TASK_NAME, args=[payloads[job_id]], task_id=job_id)
    client = app.backend.client
    missed: set[str] = set()
    stall = StallWatch()
    next_look = time.monotonic() + LOST_JOB_SECONDS
    try:
        report.started(len(pending))
        while pending:
            ids = list(pending)
            outcomes = read_records(client, [app.backend.get_key_for_task(job_id) for job_id in ids])
            for job_id, outcome in zip(ids, outcomes, strict=True):
                if outcome is None or outcome[0] == "running":
                    continue
                source = pending.pop(job_id)
                del payloads[job_id]
                next_look = time.monotonic() + LOST_JOB_SECONDS
                report.finished_one()
                for path in _write_outcome(outcome, source, planned.pop(job_id), output_dir, write, batch,
                                           report):
                    report.wrote(path)
            if pending and time.monotonic() >= next_look:
                missed = _send_lost_jobs_again(app, pending, payloads, missed, report)
                if stall.stalled(first_in_line(app, pending)):
                    report.message(f"warning: {stall.notice()}")
                    stall = StallWatch(stall.seconds)  # said again only after as long again
                next_look = time.monotonic() + LOST_JOB_SECONDS
            if pending:
                time.sleep(POLL_SECONDS)
    except (OSError, redis.RedisError) as error:
        batch.unfinished = [str(source) for source in pending.values()]
        raise QueueLost(url, batch, error) from None
    return batch


class QueueLost(PressroomError):
    """The queue went away during a batch: says what was written and what was not."""

    def __init__(self, url: str, batch: Batch, error: BaseException) -> None:
        self.batch = batch
        done = sorted({str(path) for path in batch.written})
        super().__init__(f"the queue {redacted(url)} was lost ({str(error).splitlines()[0][:200]}); "
                         f"written: {', '.join(done) or 'nothing'}; not exported: {', '.join(batch.unfinished)}")


def _send_lost_jobs_again(app: Celery, pending: Mapping[str, str], payloads: Mapping[str, dict[str, Any]],
                          missed_before: set[str], report: BatchReport) -> set[str]:
    """Send again, under the same id, each pending job the queue has lost (missed now and at the look
    before), and say so; returns the jobs missed now."""
    missed = jobs_nowhere(app, pending)
    for job_id in missed & missed_before:
        report.message(f"warning: {pending[job_id]}: the queue lost its job (a worker stopped as it took it); "
                       "sent again")
        app.send_task(TASK_NAME, args=[payloads[job_id]], task_id=job_id)
    return missed - missed_before


def _write_outcome(outcome: tuple[str, Any], source: str, planned: dict[str, dict[str, str]], output_dir: Path,
                   write: Callable[[Path, Any], list[Path]], batch: Batch, report: BatchReport) -> list[Path]:
    """Write a finished job's files, checked against the `planned` files first (all or none), or say why not."""
    state, value = outcome
    if state == "done":
        try:
            editions = checked_editions(value, planned)
        except ResultRefused as error:
            value = f"the queue's result is refused: {error}; nothing is written"
        else:
            written = [path for edition in editions.values() for path in write(output_dir, edition.files)]
            batch.written += written
            return written
    # A worker's own reason names the article as the job named it; any other names the source here.
    named = state == "failed" and Path(str(source)).name in value
    report.message(f"error: {value}" if named else f"error: {source}: {value}")
    batch.failed.append(str(source))
    return []


__all__ = ["Batch", "BatchReport", "QueueLost", "QueueUnreachable", "export_on_queue"]
