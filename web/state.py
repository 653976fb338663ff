"""What the web UI's views share, kept in `app.extensions`: the library, the limits, made editions."""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, render_template, request

from ..articles import Article, Book, ContentError, read_book
from ..articles.library.shelf import Shelf
from ..catalogue.library import Catalogue
from ..execution import ExportLimits, export_set
from ..exporters import Edition, EditionPlan, ExportFailed, ExportOptions, Finding, OptionError, chosen_options
from .cache import EditionCache
from .remembered_options import remember_options, remembered_options
from .work import BackgroundWork, JobPending

EXTENSION = "pressroom"
CATALOGUE = "pressroom.catalogue"
_opening = threading.Lock()
QUEUE_RETRY_SECONDS = 60
MAX_WATCHED_JOBS = 1000


@dataclass
class WebState:
    """The export limits of this app, the background work that makes editions and checks (at most
    `export_slots` at once; the server keeps threads beyond these for ordinary pages), the editions
    and check reports made recently, and the queue that makes the editions when one is configured
    (`QUEUE_URL`; else this server's own worker processes do). Pages wait `patience` seconds for
    work before they show its progress instead."""

    limits: ExportLimits
    export_slots: int
    queue: Any = None
    patience: float | None = 2.0
    editions: EditionCache = field(default_factory=EditionCache)
    work: BackgroundWork = field(init=False)
    stalls: dict[str, Any] = field(default_factory=dict)  # a StallWatch per queued job this server waits for

    def __post_init__(self) -> None:
        self.work = BackgroundWork(self.export_slots)

    @classmethod
    def from_config(cls, config) -> WebState:
        queue = None
        if config.get("QUEUE_URL"):
            from ..jobs.queue import queue_app

            queue = queue_app(config["QUEUE_URL"])
        return cls(config["EXPORT_LIMITS"], config["EXPORT_SLOTS"], queue, config.get("WORK_PATIENCE_SECONDS", 2.0))


@dataclass(frozen=True)
class CheckReport:
    """A check's findings on one edition, when the check ran and the size of the file it read."""

    findings: list[Finding]
    checked_at: datetime.datetime
    size: int


def state() -> WebState:
    return current_app.extensions[EXTENSION]


def catalogue() -> Catalogue:
    """The app's catalogue of its content folder, opened (and walked) on first use, and walked again
    when the last walk is older than WALK_SECONDS ($PRESSROOM_WALK_SECONDS when not configured)."""
    app = current_app._get_current_object()
    found = app.extensions.get(CATALOGUE)
    if found is None:
        with _opening:
            found = app.extensions.get(CATALOGUE)
            if found is None:
                found = app.extensions[CATALOGUE] = Catalogue(app.config["CONTENT_DIR"], app.config.get("DATABASE"))
    found.refresh(app.config.get("WALK_SECONDS"))
    return found


def shelf() -> Shelf:
    return Shelf(Path(current_app.config["CONTENT_DIR"]))


def find_book(slug: str) -> Book:
    """The library's book `slug`, bound; a 404 page when there is none, and a 422 page naming what is
    wrong, in words, when it cannot be made (an article deleted or unreadable)."""
    books = shelf()
    if not books.exists(slug):
        abort(404, f"There is no book called “{slug}”.")
    shelved = books.book(slug)
    problem = shelved.problem
    if shelved.readable:
        try:
            return read_book(books.manifest(slug), within=Path(current_app.config["CONTENT_DIR"]))
        except ContentError as error:
            problem = error.problem
    abort(Response(render_template("web/book-missing.html.jinja", book=shelved, problem=problem), 422))


def find_article(slug: str) -> Article:
    article = catalogue().find(slug)
    if article is None:
        abort(404, f"There is no article called “{slug}” in the library.")
    return article


def requested_options() -> ExportOptions:
    """The edition options of this request's query; a form's hidden "off" before a ticked box's "on"
    means the last value wins."""
    return chosen_options(_query_values())


def preview_options() -> ExportOptions:
    """The options a preview shows: its query's over those this browser chose before (its links
    carry them all, so downloads follow their URL alone); those the query names are remembered."""
    named = _query_values()
    options = chosen_options(named)
    remember_options({name: named[name] for name in options})
    remembered = {}
    for name, value in remembered_options().items():
        try:
            remembered |= chosen_options({name: value})
        except OptionError:  # an option whose choices changed since: its default again
            continue
    return ExportOptions({**remembered, **options})


def _query_values() -> dict[str, str]:
    return {name: request.args.getlist(name)[-1] for name in request.args}


def edition(article: Article, plan: EditionPlan, options: ExportOptions, patient: bool = False) -> Edition:
    """The planned edition of `article`, from the cache when the article and what it reads are unchanged;
    `patient` pages show the work's progress (JobPending) once it takes longer than a moment."""
    key = plan.key(article)
    made = state().editions.get(key)
    if made is not None:
        return made
    if state().queue is not None:
        made = _made_on_queue(article, plan, options, key)
        state().editions.put(key, made)
        return made
    web = state()

    def make() -> Edition:
        made = export_set(article, [plan.exporter.name], options, web.limits)[plan.exporter.name]
        web.editions.put(key, made)
        return made

    return web.work.result(key, make, f"Making the {plan.exporter.label} edition",
                           web.patience if patient else None)


def _made_on_queue(article: Article, plan: EditionPlan, options: ExportOptions, key: str) -> Edition:
    """The edition from the queue's workers: sent once under its key, then JobPending until it is made;
    its result used only if it holds exactly the files the exporter plans (names and media types from
    the plan), else the edition fails and nothing is cached."""
    import kombu.exceptions
    import redis

    from ..jobs.payload import job_payload
    from ..jobs.results import ResultRefused, checked_editions, planned_files
    from ..jobs.tracking import submit_once

    try:
        job = submit_once(state().queue, key, job_payload(article, [plan.exporter.name], options))
    except (redis.RedisError, OSError, kombu.exceptions.OperationalError):
        abort(503, "The export queue cannot be reached, so this edition cannot be made now; editions made before "
                   f"are still here. Try again in {QUEUE_RETRY_SECONDS} seconds, or ask whoever runs this server "
                   "to start the queue (Redis) and a worker.", retry_after=QUEUE_RETRY_SECONDS)
    if job.state == "queued":
        raise JobPending(job, notice=_stall_notice(key, job))
    state().stalls.pop(key, None)
    if job.state == "done":
        try:
            return checked_editions(job.result, planned_files(article, [plan]))[plan.exporter.name]
        except ResultRefused as error:
            raise ExportFailed.because(f"{article.source_path}: the queue's result is refused: {error}") from None
    if job.state == "failed":
        raise ExportFailed.because(job.reason)
    raise JobPending(job)


def _stall_notice(key: str, job) -> str | None:
    """What to say of a queued job when no worker has taken a job for a while; None until then."""
    from ..jobs.tracking import StallWatch

    stalls = state().stalls
    watch = stalls.get(key)
    if watch is None:
        while len(stalls) >= MAX_WATCHED_JOBS:  # the oldest first: a job nobody asks for again
            stalls.pop(next(iter(stalls), None), None)
        watch = stalls[key] = StallWatch()
    return watch.notice() if watch.stalled(job.ahead) else None


def check_report(article: Article, plan: EditionPlan, options: ExportOptions) -> CheckReport:
    """The exporter's check of the planned edition, cached like the edition (by its key); the page
    shows its progress once it takes longer than a moment."""
    key = f"{plan.key(article)}-check"
    report = state().editions.get(key)
    if report is not None:
        return report
    made = edition(article, plan, options, patient=True)
    web = state()

    def check() -> CheckReport:
        report = CheckReport(plan.exporter.check(made), datetime.datetime.now(datetime.timezone.utc),
                             len(made.main.data))
        web.editions.put(key, report, size=sum(len(finding.text) for finding in report.findings))
        return report

    return web.work.result(key, check, f"Checking the {plan.exporter.label} edition", web.patience)
