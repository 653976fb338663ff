"""A job the web UI handed to the queue, found again by its id: queued (and where), running, done, failed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from celery import Celery

from .queue import TASK_NAME

DEFAULT_QUEUE = "celery"
UNACKED = "unacked"  # kombu's Redis transport: messages a worker holds until it acknowledges them


@dataclass(frozen=True)
class JobState:
    """Where a job is: `state` is "queued" (with `ahead`, the jobs before it), "running", "done" (with
    its `result`) or "failed" (with the `reason`)."""

    state: str
    ahead: int | None = None
    result: dict[str, Any] | None = None
    reason: str | None = None


def job_state(app: Celery, job_id: str) -> JobState | None:
    """The job's state as the queue knows it, or None when it knows no job of that id."""
    record = app.backend.client.get(app.backend.get_key_for_task(job_id))
    if record is not None:
        meta = json.loads(record)
        if meta.get("status") == "SUCCESS":
            result = meta["result"]
            return JobState("failed", reason=result["error"]) if "error" in result else JobState("done", result=result)
        if meta.get("status") == "FAILURE":
            return JobState("failed", reason=str(meta.get("result", {}).get("exc_message")))
        if meta.get("status") in ("STARTED", "RETRY"):
            return JobState("running")
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


def _taken(app: Celery, job_id: str) -> bool:
    """Whether a worker has taken the job and not yet finished it (kombu keeps it in `unacked`)."""
    for entry in app.backend.client.hvals(UNACKED):
        try:
            message, _exchange, _routing_key = json.loads(entry)
            if message["headers"]["id"] == job_id:
                return True
        except (ValueError, KeyError, TypeError):
            continue
    return False


def _jobs_ahead(app: Celery, job_id: str) -> int | None:
    """How many jobs wait before this one in the broker's list (workers take from its end), or None."""
    for index, message in enumerate(reversed(app.backend.client.lrange(DEFAULT_QUEUE, 0, -1))):
        try:
            if json.loads(message)["headers"]["id"] == job_id:
                return index
        except (ValueError, KeyError, TypeError):
            continue
    return None
