"""The Celery application on Redis that carries export jobs and send jobs: JSON only, a job redelivered when its
worker dies (late acknowledgement), each job tried a bounded number of times."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from celery import Celery
from celery.exceptions import Retry

from .. import settings
from ..articles import Article, PressroomError
from ..delivery import send_edition
from ..execution import ExportLimits, export_set
from ..exporters import Edition, ExportFailed, plan_editions
from .payload import Job, editions_result, read_job, read_send_job, scratch_folder
from .periodicals import CONTENT_SETTING, PERIODICAL_TASK_NAME, run_periodical_job
from .results import reason_text

TASK_NAME = "pressroom.export"
SEND_TASK_NAME = "pressroom.send"
MAX_ATTEMPTS = 3
ATTEMPTS_KEY = "pressroom:attempts:{}"
LOGGER = logging.getLogger("pressroom.worker")  # one line per job: article, formats, time, outcome


class QueueUnreachable(PressroomError):
    """The queue's Redis does not answer."""


def redacted(url: str) -> str:
    """The queue URL as it may be printed: its password replaced."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = f"{parts.username}:" if parts.username else ":"
    host = parts.hostname or ""
    netloc = f"{user}***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def queue_app(url: str, content_dir: Path | None = None) -> Celery:
    """The Celery app for the queue at `url` (redis://[:password@]host:port/db), export, send and
    periodical tasks included; a worker's `content_dir` is where its periodicals' issues go."""
    limits = ExportLimits()
    app = Celery("pressroom", broker=url, backend=url, set_as_current=False)
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"], result_accept_content=["json"],
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        task_track_started=True, result_expires=24 * 3600, broker_connection_retry_on_startup=False,
        worker_hijack_root_logger=False, worker_redirect_stdouts=False,
        # A job not acknowledged within this time (its worker died) is delivered again; an export stops
        # at `limits.seconds`, so a running job is never handed out twice.
        broker_transport_options=_transport_options(limits),
        result_backend_transport_options={"retry_policy": {"max_retries": 2}},
    )
    app.task(name=TASK_NAME, bind=True)(run_job)
    app.task(name=SEND_TASK_NAME, bind=True)(run_send_job)
    app.task(name=PERIODICAL_TASK_NAME, bind=True)(run_periodical_job)
    if content_dir is not None:
        app.conf.update({CONTENT_SETTING: str(Path(content_dir).resolve())})
    return app


def check_reachable(url: str) -> None:
    """QueueUnreachable, naming the queue (never its password), unless its Redis answers."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except (redis.RedisError, OSError, ValueError) as error:
        raise QueueUnreachable(f"the queue {redacted(url)} cannot be reached ({_reason(error)}); start Redis "
                               "there, or export without --queue") from None


def run_job(task, payload: Any) -> dict[str, Any]:
    """The export task: make the editions of the job's article; {"editions": ...} or {"error": message},
    and one line in the worker's log."""
    return _logged(payload, lambda: _attempt(task, payload, lambda fields: (read_job(fields), None), _exported, "exported"))


def run_send_job(task, payload: Any) -> dict[str, Any]:
    """The send task: make the job's edition and send it to the job's address with this worker's mail
    settings; {"sent": address} or {"error": message}, and one line in the worker's log."""
    return _logged(payload, lambda: _attempt(task, payload, read_send_job, _sent, "sent"))


def _logged(payload: Any, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """What `work()` returns, with the job's line in the worker's log."""
    started = time.monotonic()
    what = _described(payload)
    try:
        result = work()
    except Retry:
        LOGGER.info("%s: stopped after %.1f s; tried again", what, time.monotonic() - started)
        raise
    outcome = f"failed: {reason_text(result['error']).splitlines()[0]}" if "error" in result else "done"
    LOGGER.info("%s: %s in %.1f s", what, outcome, time.monotonic() - started)
    return result


def _attempt(task, payload: Any, read: Callable[[Any], tuple[Job, Any]], finish: Callable[..., dict[str, Any]],
             done: str) -> dict[str, Any]:
    """One attempt at a job: its payload checked by `read` (the job and what else it carries), its
    editions made, then `finish(job, what else, article, editions)`; an edition that stopped for a reason
    that may pass is tried again, up to MAX_ATTEMPTS in all. `done` is what the job does, in words."""
    client = task.backend.client
    key = ATTEMPTS_KEY.format(task.request.id)
    attempts = client.incr(key)
    client.expire(key, 24 * 3600)
    try:
        job, extra = read(payload)
    except PressroomError as error:
        return {"error": str(error)}
    if attempts > MAX_ATTEMPTS:
        return {"error": f"{job.name}: not {done}: its export stopped {MAX_ATTEMPTS} times (the worker died or "
                         "ran out of time each time)"}
    with scratch_folder() as folder:
        try:
            article = job.article(Path(folder))
            editions = export_set(article, job.formats, job.options, ExportLimits())
            return finish(job, extra, article, editions)
        except ExportFailed as error:
            if error.transient and attempts < MAX_ATTEMPTS:
                raise task.retry(countdown=0, max_retries=None) from None
            return {"error": str(error).replace(folder + os.sep, "")}
        except PressroomError as error:
            return {"error": str(error).replace(folder + os.sep, "")}


def _exported(job: Job, _: None, article: Article, editions: dict[str, Edition]) -> dict[str, Any]:
    return editions_result(article, editions)


def _sent(job: Job, recipient: str, article: Article, editions: dict[str, Edition]) -> dict[str, Any]:
    (format_name,) = job.formats
    (plan,) = plan_editions([format_name], job.options)
    send_edition(article.title, plan, editions[format_name], recipient)
    return {"sent": recipient}


def _described(payload: Any) -> str:
    """The job in a log line: its article's file name and formats, as far as the payload says them."""
    fields = payload if isinstance(payload, dict) else {}
    name, formats = fields.get("name"), fields.get("formats")
    shown = reason_text(name)[:100] if isinstance(name, str) else "a job without a name"
    if isinstance(formats, list) and all(isinstance(format_name, str) for format_name in formats):
        shown += f" ({reason_text(', '.join(formats))[:100]})"
    return shown


def _transport_options(limits: ExportLimits) -> dict[str, int]:
    visibility = int(settings.number("PRESSROOM_QUEUE_VISIBILITY_SECONDS", 0, above=False)) or int(limits.seconds * 2 + 30)
    # Look for abandoned jobs a few times per visibility timeout, not once in ten sweeps.
    return {"visibility_timeout": visibility, "unacked_restore_interval": max(1, min(10, visibility // 4)),
            "unacked_restore_throttle": 1}


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]
