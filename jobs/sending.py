"""Sending an edition on the queue: one send job handed to the workers (whose mail settings apply), and
its result read back as input from whoever can write to Redis."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import redis
from celery import Celery

from ..articles import Article, PressroomError
from .payload import send_payload
from .queue import SEND_TASK_NAME, check_reachable, queue_app, redacted
from .results import ResultRefused, read_records
from .submit import LOST_JOB_SECONDS, POLL_SECONDS
from .tracking import StallWatch, first_in_line, jobs_nowhere


class QueuedSendFailed(PressroomError):
    """A send job that did not send: the worker's reason, or why its result is refused."""


def submit_send(app: Celery, article: Article, format_name: str, options: Mapping[str, Any], recipient: str) -> str:
    """Hand the job that makes the edition and sends it to `recipient` to the queue; its id."""
    job_id = str(uuid.uuid4())
    app.send_task(SEND_TASK_NAME, args=[send_payload(article, format_name, options, recipient)], task_id=job_id)
    return job_id


def check_sent(result: Any, recipient: str) -> None:
    """ResultRefused unless a finished send job's `result` says it sent to `recipient`."""
    if result != {"sent": recipient}:
        raise ResultRefused(f"it does not say that the edition was sent to {recipient}")


def send_on_queue(url: str, article: Article, format_name: str, options: Mapping[str, Any], recipient: str,
                  warn: Callable[[str], None]) -> None:
    """Send the edition on the queue at `url` and wait until a worker has sent it; QueuedSendFailed with
    the reason when it did not. `warn` is told, in one line, of a stalled queue or a job sent again."""
    check_reachable(url)
    app = queue_app(url)
    job_id = submit_send(app, article, format_name, options, recipient)
    key = app.backend.get_key_for_task(job_id)
    stall, missed = StallWatch(), False
    next_look = time.monotonic() + LOST_JOB_SECONDS
    try:
        while True:
            outcome = read_records(app.backend.client, [key])[0]
            if outcome is not None and outcome[0] != "running":
                return _outcome(outcome, article, recipient)
            if time.monotonic() >= next_look:
                # Lost between the broker's list and a worker's hands at two looks in a row: sent again.
                nowhere = job_id in jobs_nowhere(app, [job_id])
                if nowhere and missed:
                    warn(f"warning: {article.source_path.name}: the queue lost its job (a worker stopped as it "
                         "took it); sent again")
                    app.send_task(SEND_TASK_NAME, args=[send_payload(article, format_name, options, recipient)],
                                  task_id=job_id)
                missed = nowhere and not missed
                if stall.stalled(first_in_line(app, [job_id])):
                    warn(f"warning: {stall.notice()}")
                    stall = StallWatch(stall.seconds)
                next_look = time.monotonic() + LOST_JOB_SECONDS
            time.sleep(POLL_SECONDS)
    except (OSError, redis.RedisError) as error:
        raise QueuedSendFailed(f"the queue {redacted(url)} was lost ({str(error).splitlines()[0][:200]}); the "
                               f"edition of {article.source_path.name} may or may not have been sent") from None


def _outcome(outcome: tuple[str, Any], article: Article, recipient: str) -> None:
    state, value = outcome
    if state == "failed":  # the worker's reason names the article as the job named it
        raise QueuedSendFailed(value)
    if state == "broken":
        raise QueuedSendFailed(f"{article.source_path.name}: {value}")
    try:
        check_sent(value, recipient)
    except ResultRefused as error:
        raise QueuedSendFailed(f"{article.source_path.name}: the queue's result is refused: {error}") from None
