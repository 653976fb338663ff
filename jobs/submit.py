"""Sending a batch of exports to the queue and writing the editions as they come back."""

from __future__ import annotations

import json
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import redis
from celery import Celery

from ..articles import PressroomError
from ..articles.readers import read_source
from .payload import job_payload, result_files
from .queue import TASK_NAME, QueueUnreachable, check_reachable, queue_app, redacted
from .tracking import jobs_nowhere

POLL_SECONDS = 0.05
# A batch that has had no result for this long looks for jobs the queue lost (reading the whole
# queue, so not while results come); a job two looks in a row miss is sent again, which a job
# between the broker's list and a worker's hands (milliseconds) never is.
LOST_JOB_SECONDS = 2.0


@dataclass
class Batch:
    """What a queued batch did: paths written per source, messages, sources that failed or are unknown."""

    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)


def export_on_queue(url: str, sources: Sequence[str], formats: Sequence[str], options: Mapping[str, Any],
                    output_dir: Path, strict: bool, write: Callable[[Path, Any], list[Path]],
                    allowed_hosts: tuple[str, ...] = ()) -> Batch:
    """Enqueue one job per source, show one progress bar, and write each job's files (with `write`)
    as its result arrives. Sources that cannot be read (or fetched) fail here, before anything is sent."""
    check_reachable(url)
    app = queue_app(url)
    batch = Batch()
    pending: dict[str, str] = {}
    payloads: dict[str, dict[str, Any]] = {}
    for source in sources:
        try:
            article = read_source(source, allowed_hosts)
        except PressroomError as error:
            click.echo(f"error: {error}", err=True)
            batch.failed.append(str(source))
            continue
        for warning in article.warnings:
            click.echo(f"warning: {warning}", err=True)
        if strict and article.warnings:
            click.echo(f"error: {source}: not exported, because of the warnings above (--strict)", err=True)
            batch.failed.append(str(source))
            continue
        job_id = str(uuid.uuid4())
        pending[job_id] = source
        payloads[job_id] = job_payload(article, formats, options)
        app.send_task(TASK_NAME, args=[payloads[job_id]], task_id=job_id)
    client = app.backend.client
    missed: set[str] = set()
    next_look = time.monotonic() + LOST_JOB_SECONDS
    try:
        with click.progressbar(length=len(pending), label=f"Exporting {len(pending)} articles on the queue",
                               file=sys.stderr) as bar:
            while pending:
                ids = list(pending)
                metas = client.mget([app.backend.get_key_for_task(job_id) for job_id in ids])
                for job_id, meta in zip(ids, metas, strict=True):
                    outcome = _finished(meta)
                    if outcome is None:
                        continue
                    source = pending.pop(job_id)
                    del payloads[job_id]
                    next_look = time.monotonic() + LOST_JOB_SECONDS
                    bar.update(1)
                    if "error" in outcome:
                        click.echo(f"error: {outcome['error']}", err=True)
                        batch.failed.append(str(source))
                        continue
                    for path in write(output_dir, result_files(outcome)):
                        click.echo(str(path))
                        batch.written.append(path)
                if pending and time.monotonic() >= next_look:
                    missed = _send_lost_jobs_again(app, pending, payloads, missed)
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
                          missed_before: set[str]) -> set[str]:
    """Send again, under the same id, each pending job the queue has lost (missed now and at the look
    before), and say so; returns the jobs missed now."""
    missed = jobs_nowhere(app, pending)
    for job_id in missed & missed_before:
        click.echo(f"warning: {pending[job_id]}: the queue lost its job (a worker stopped as it took it); "
                   "sent again", err=True)
        app.send_task(TASK_NAME, args=[payloads[job_id]], task_id=job_id)
    return missed - missed_before


def _finished(meta: bytes | None) -> dict[str, Any] | None:
    """A job's outcome from its result record, once it has one: its files, or {"error": ...}."""
    if meta is None:
        return None
    record = json.loads(meta)
    if record.get("status") == "SUCCESS":
        return record["result"]
    if record.get("status") == "FAILURE":
        return {"error": f"the job failed on its worker: {record.get('result', {}).get('exc_message')}"}
    return None


__all__ = ["Batch", "QueueLost", "QueueUnreachable", "export_on_queue"]
