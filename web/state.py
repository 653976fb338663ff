"""What the web UI's views share, kept in `app.extensions`: the library, the limits, made editions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import abort, current_app, request

from ..articles import Article, Library
from ..exporters import Edition, EditionPlan, ExportFailed, ExportLimits, ExportOptions, chosen_options, export_set
from .cache import EditionCache

EXTENSION = "pressroom"


@dataclass
class WebState:
    """The export limits of this app, the editions it made recently, and the queue that makes them
    when one is configured (`QUEUE_URL`; else this server's own worker processes do)."""

    limits: ExportLimits
    queue: Any = None
    editions: EditionCache = field(default_factory=EditionCache)

    @classmethod
    def from_config(cls, config) -> WebState:
        queue = None
        if config.get("QUEUE_URL"):
            from ..jobs.queue import queue_app

            queue = queue_app(config["QUEUE_URL"])
        return cls(config["EXPORT_LIMITS"], queue)


class JobPending(Exception):
    """The edition is a job on the queue that has not finished yet (`job` says where it is)."""

    def __init__(self, job) -> None:
        super().__init__(job.state)
        self.job = job


def state() -> WebState:
    return current_app.extensions[EXTENSION]


def library() -> Library:
    return Library(current_app.config["CONTENT_DIR"])


def find_article(slug: str) -> Article:
    article = library().find(slug)
    if article is None:
        abort(404, f"There is no article called “{slug}” in the library.")
    return article


def requested_options() -> ExportOptions:
    """The edition options of this request's query; a form's hidden "off" before a ticked box's "on"
    means the last value wins."""
    return chosen_options({name: request.args.getlist(name)[-1] for name in request.args})


def edition(article: Article, plan: EditionPlan, options: ExportOptions) -> Edition:
    """The planned edition of `article`, from the cache when the article and what it reads are unchanged."""
    key = plan.key(article)
    made = state().editions.get(key)
    if made is None:
        if state().queue is not None:
            made = _made_on_queue(article, plan, options, key)
        else:
            made = export_set(article, [plan.exporter.name], options, state().limits)[plan.exporter.name]
        state().editions.put(key, made)
    return made


def _made_on_queue(article: Article, plan: EditionPlan, options: ExportOptions, key: str) -> Edition:
    """The edition from the queue's workers: sent once under its key, then JobPending until it is made."""
    from ..jobs.payload import job_payload, result_editions
    from ..jobs.tracking import submit_once

    job = submit_once(state().queue, key, job_payload(article, [plan.exporter.name], options))
    if job.state == "done":
        return result_editions(job.result)[plan.exporter.name]
    if job.state == "failed":
        raise ExportFailed.because(job.reason)
    raise JobPending(job)
