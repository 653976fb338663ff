"""What every page of the web UI shares: the public stylesheets and scripts, security headers, errors."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, send_from_directory, session
from werkzeug.exceptions import HTTPException

from ..articles import ContentError, PressroomError
from ..exporters import OptionError, UnknownFormat
from ..exporters.rendering import TEMPLATES_DIR
from .security import csrf_token
from .state import JobPending

blueprint = Blueprint("pages", __name__)
# Only these template folders hold files a browser may fetch (stylesheets, script and fonts).
PUBLIC_FOLDERS = ("screen/", "web/", "fonts/")
PUBLIC_SUFFIXES = (".css", ".ttf", ".js")
JOB_RETRY_SECONDS = 2
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                           "style-src-attr 'unsafe-inline'; object-src 'none'; frame-ancestors 'self'; "
                           "base-uri 'none'; form-action 'self'")


@blueprint.get("/static/<path:filename>")
def static_file(filename: str):
    if not filename.startswith(PUBLIC_FOLDERS) or not filename.endswith(PUBLIC_SUFFIXES):
        abort(404, "No such file.")
    return send_from_directory(TEMPLATES_DIR, filename, max_age=3600)


@blueprint.app_context_processor
def form_token():
    return {"csrf_token": lambda: csrf_token(session)}


@blueprint.after_app_request
def security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


@blueprint.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    message = error.description
    if error.code == 413:
        limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        message = f"The upload is larger than {limit} MiB. Send the article with only the images it uses."
    return render_template("web/error.html.jinja", status=error.code, title=error.name, message=message), error.code


@blueprint.app_errorhandler(JobPending)
def job_pending(pending: JobPending):
    """A page that says where the edition's job is and looks again in a moment (202: not there yet)."""
    response = current_app.make_response((render_template("web/job.html.jinja", job=pending.job), 202))
    response.headers["Retry-After"] = str(JOB_RETRY_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.app_errorhandler(ContentError)
def content_error(error: ContentError):
    return render_template("web/error.html.jinja", status=422, title="This article cannot be read",
                           message=str(error)), 422


@blueprint.app_errorhandler(PressroomError)
def pressroom_error(error: PressroomError):
    status = 400 if isinstance(error, (OptionError, UnknownFormat)) else 422
    return render_template("web/error.html.jinja", status=status, title="This edition cannot be made",
                           message=str(error)), status
