"""A job handed to the queue, found again by its id: queued (and where), running, done, failed; or lost."""

from __future__ import annotations

import json
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from celery import Celery

from .. import settings
from .queue import TASK_NAME
from .results import read_records

DEFAULT_QUEUE = "celery"
UNACKED = "unacked"  # kombu's Redis transport: messages a worker holds until it acknowledges them
STALL_SECONDS = 60  # a job that waits this long while no worker takes any says so


@dataclass(frozen=True)
class JobState:
    """Where a job is: `state` is "queued" (with `ahead`, the jobs before it), "running", "done" (with
    its `result`, unchecked) or "failed" (with the `reason`)."""

    state: str
    ahead: int | None = None
    result: Any = None
    reason: str | None = None


def job_state(app: Celery, job_id: str) -> JobState | None:
    """The job's state as the queue knows it, or None when it knows no job of that id."""
    outcome = read_records(app.backend.client, [app.backend.get_key_for_task(job_id)])[0]
    if outcome is not None:
        state, value = outcome
        if state == "done":
            return JobState("done", result=value)
        if state == "running":
            return JobState("running")
        return JobState("failed", reason=value)
    if _taken(app, job_id):
        return JobState("running")
    ahead = _jobs_ahead(app, job_id)
    return JobState("queued", ahead=ahead) if ahead is not None else None


def submit_once(app: Celery, job_id: str, payload: dict[str, Any]) -> JobState:
    """The job's state, sending it first if the queue does not know it (a restarted server finds its
    pending jobs again: the id comes from the article and the options)."""
    found = job_state(app, job_id)
    if found is not None:
        return found
    app.send_task(TASK_NAME, args=[payload], task_id=job_id)
    return job_state(app, job_id) or JobState("queued", ahead=0)


def jobs_nowhere(app: Celery, job_ids: Collection[str]) -> set[str]:
    """Those of `job_ids` the queue has nowhere: not waiting in the broker's list, not held by a worker,
    without a result record; read in one transaction. kombu's Redis transport pops a message before it
    records the worker as holding it, so a worker killed in between loses the job."""
    client = app.backend.client
    ids = list(job_ids)
    with client.pipeline(transaction=True) as pipeline:
        pipeline.lrange(DEFAULT_QUEUE, 0, -1).hvals(UNACKED)
        for job_id in ids:
            pipeline.exists(app.backend.get_key_for_task(job_id))
        waiting, held, *recorded = pipeline.execute()
    known = {_message_id(message) for message in waiting} | {_message_id(entry, held=True) for entry in held}
    return {job_id for job_id, record in zip(ids, recorded, strict=True) if not record and job_id not in known}


def first_in_line(app: Celery, job_ids: Collection[str]) -> tuple[str, int] | None:
    """The one of `job_ids` a worker will take first of those still waiting, and how many jobs wait before
    it; None when none of them waits."""
    wanted = set(job_ids)
    for index, message in enumerate(reversed(app.backend.client.lrange(DEFAULT_QUEUE, 0, -1))):
        job_id = _message_id(message)
        if job_id in wanted:
            return job_id, index
    return None


class StallWatch:
    """Notices that no worker has taken a job for `seconds`: the first job waiting keeps its place in line
    that long (a job taken before it moves it up; it taken moves the place to the next)."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = stall_seconds() if seconds is None else seconds
        self._place: object = None
        self._since = time.monotonic()

    def stalled(self, place: object) -> bool:
        """Whether the queue has stood still for `seconds`, `place` being where the first waiting job is
        now (None: none waits)."""
        now = time.monotonic()
        if place != self._place:
            self._place, self._since = place, now
        return place is not None and now - self._since >= self.seconds

    def notice(self) -> str:
        return f"no worker has taken a job for {self.seconds:g} s; is `pressroom worker` running?"


def stall_seconds() -> float:
    """How long a queue may stand still before a waiting job says so: PRESSROOM_QUEUE_STALL_SECONDS, else 60."""
    return settings.number("PRESSROOM_QUEUE_STALL_SECONDS", STALL_SECONDS, above=False)


def _taken(app: Celery, job_id: str) -> bool:
    """Whether a worker has taken the job and not yet finished it (kombu keeps it in `unacked`)."""
    return any(_message_id(entry, held=True) == job_id for entry in app.backend.client.hvals(UNACKED))


def _jobs_ahead(app: Celery, job_id: str) -> int | None:
    """How many jobs wait before this one in the broker's list (workers take from its end), or None."""
    for index, message in enumerate(reversed(app.backend.client.lrange(DEFAULT_QUEUE, 0, -1))):
        if _message_id(message) == job_id:
            return index
    return None


def _message_id(entry: bytes, held: bool = False) -> str | None:
    """The job id of a message in the broker's list, or of an `unacked` entry (message, exchange, routing
    key) when `held`; None for anything else."""
    try:
        message = json.loads(entry)
        return (message[0] if held else message)["headers"]["id"]
    except (ValueError, KeyError, TypeError, IndexError):
        return None
