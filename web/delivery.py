"""Sending an edition to a reader's e-reader by e-mail from the preview of an article or a book: sent by
this server, or as a job on the queue when there is one (then followed on a page of its own)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for

from .. import settings
from ..articles import Book, PressroomError, Publication
from ..delivery import AddressRefused, DeliveryFailed, MailNotConfigured, checked_address, mail_server, \
    send_edition, sender_address
from ..exporters import OptionError, load_exporters, plan_editions
from ..settings import SettingError
from .addresses import remember_address, saved_addresses
from .auth import reader
from .edition_views import ARTICLES, BOOKS, query_of
from .security import csrf_valid
from .state import QUEUE_RETRY_SECONDS, edition, requested_options, state
from .work import JobPending

blueprint = Blueprint("delivery", __name__)
KINDS = {ARTICLES.name: ARTICLES, BOOKS.name: BOOKS}
SENT_JOBS_KEY = "sent_jobs"  # this browser's queued sends: job id -> [address, preview path, missed once]
MAX_SENT_JOBS = 20
UNAVAILABLE = (MailNotConfigured, SettingError, DeliveryFailed)  # the server's own setup, not the reader's input


@blueprint.app_context_processor
def send_form():
    return {"saved_addresses": saved_addresses, "sending_offered": sending_offered}


def sending_offered() -> bool:
    """Whether this server sends editions: it has a mail server, or a queue whose workers may."""
    return state().queue is not None or bool(settings.text("PRESSROOM_SMTP_URL"))


@blueprint.post("/articles/<slug>/send", defaults={"kind": ARTICLES.name})
@blueprint.post("/books/<slug>/send", defaults={"kind": BOOKS.name})
@reader
def send(slug: str, kind: str):
    if not csrf_valid(session, request.form.get("csrf_token")):
        abort(400, "The form has expired. Reload the page and send it again.")
    publication = KINDS[kind].find(slug)
    format_name = request.form.get("format", "epub")
    if format_name not in load_exporters():
        abort(404, f"There is no “{format_name}” edition; the editions are {', '.join(load_exporters())}.")
    options = requested_options()
    try:
        (plan,) = plan_editions([format_name], options)
        address = checked_address(request.form.get("to", ""))
    except (OptionError, AddressRefused) as error:
        return _refused(str(error), 400 if isinstance(error, OptionError) else 422)
    remember_address(address)
    preview = url_for(f"{kind}.preview", slug=slug, **query_of(options))
    if state().queue is not None:
        return _send_on_queue(publication, format_name, options, address, preview)
    try:
        mail_server()
        sender_address()
        name = send_edition(publication.title, plan, edition(publication, plan, options), address)
    except UNAVAILABLE as error:
        return _refused(str(error), 503)
    except PressroomError as error:
        return _refused(str(error), 422)
    flash(f"Sent {name} to {address}.", "notice")
    return redirect(preview, code=303)


@blueprint.get("/sent/<job_id>")
@reader
def sent(job_id: str):
    """How a queued send goes: a page that looks again while it waits, then the preview or the reason."""
    from ..jobs.results import ResultRefused
    from ..jobs.sending import check_sent
    from ..jobs.tracking import JobState, job_state, jobs_nowhere

    known = session.get(SENT_JOBS_KEY)
    record = known.get(job_id) if isinstance(known, dict) and state().queue is not None else None
    if not (isinstance(record, list) and len(record) == 3 and all(isinstance(value, str) for value in record[:2])):
        abort(404, "This browser sent no edition by that name.")
    address, preview, missed = record
    found = _queue_call(lambda: job_state(state().queue, job_id))
    if found is None:
        # Between the queue's list and a worker's hands a job is nowhere for a moment; nowhere twice, it is lost.
        nowhere = job_id in _queue_call(lambda: jobs_nowhere(state().queue, [job_id]))
        if nowhere and missed:
            abort(404, "The queue lost this job (a worker stopped as it took it): send the edition again.")
        session[SENT_JOBS_KEY] = {**known, job_id: [address, preview, nowhere]}
        found = JobState("running")
    if found.state in ("queued", "running"):
        raise JobPending(found, f"The edition is being made and sent to {address}")
    if found.state == "failed":
        return _refused(found.reason, 422)
    try:
        check_sent(found.result, address)
    except ResultRefused as error:
        return _refused(f"the queue's result is refused: {error}", 422)
    flash(f"Sent to {address}.", "notice")
    return redirect(preview, code=303)


def _send_on_queue(publication: Publication, format_name: str, options, address: str, preview: str):
    from ..jobs.sending import submit_send

    if isinstance(publication, Book):
        return _refused("a book is made by this server, not by the queue's workers, so it cannot be sent while "
                        "the server hands its work to a queue", 422)
    job_id = _queue_call(lambda: submit_send(state().queue, publication, format_name, options, address))
    known = session.get(SENT_JOBS_KEY)
    known = {key: value for key, value in known.items()} if isinstance(known, dict) else {}
    known[job_id] = [address, preview, False]
    session[SENT_JOBS_KEY] = dict(list(known.items())[-MAX_SENT_JOBS:])
    return redirect(url_for("delivery.sent", job_id=job_id), code=303)


def _queue_call(call):
    """What `call()` returns, or the 503 page when the queue cannot be reached."""
    import kombu.exceptions
    import redis

    try:
        return call()
    except (redis.RedisError, OSError, kombu.exceptions.OperationalError):
        abort(503, "The export queue cannot be reached, so this edition cannot be sent now. Try again in "
                   f"{QUEUE_RETRY_SECONDS} seconds, or ask whoever runs this server to start the queue (Redis) and "
                   "a worker.", retry_after=QUEUE_RETRY_SECONDS)


def _refused(message: str, status: int):
    """The page that says, in words, why the edition was not sent."""
    return render_template("web/error.html.jinja", status=status, title="This edition cannot be sent",
                           message=message[:1].upper() + message[1:]), status
