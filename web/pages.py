"""What every page of the web UI shares: the public stylesheets and scripts, security headers, errors,
and messages that show paths relative to the content folder."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from flask import Blueprint, Response, abort, current_app, render_template, request, send_from_directory, session
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException, SecurityError

from ..articles import ContentError, PressroomError
from ..exporters import OptionError, UnknownFormat
from ..exporters.rendering import TEMPLATES_DIR
from .auth import public
from .security import csrf_token
from .work import JobPending

blueprint = Blueprint("pages", __name__)
# Only these template folders hold files a browser may fetch (stylesheets, script and fonts).
PUBLIC_FOLDERS = ("screen/", "web/", "fonts/")
PUBLIC_SUFFIXES = (".css", ".ttf", ".js")
JOB_RETRY_SECONDS = 2
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                           "style-src-attr 'unsafe-inline'; object-src 'none'; frame-ancestors 'self'; "
                           "base-uri 'none'; form-action 'self'")


@blueprint.get("/static/<path:filename>")
@public
def static_file(filename: str):
    # Normalised first: "web/../pdf/print.css" is in pdf/, whatever it starts with.
    normal = posixpath.normpath(filename)
    if normal != filename or not normal.startswith(PUBLIC_FOLDERS) or not normal.endswith(PUBLIC_SUFFIXES):
        abort(404, "No such file.")
    return send_from_directory(TEMPLATES_DIR, normal, max_age=3600)


@blueprint.get("/favicon.ico")
@public
def favicon():
    """The site's icon, an SVG, where browsers look for it first."""
    return send_from_directory(TEMPLATES_DIR, "web/favicon.svg", mimetype="image/svg+xml", max_age=86400)


@blueprint.app_context_processor
def form_token():
    return {"csrf_token": lambda: csrf_token(session)}


@blueprint.app_template_filter("in_library")
def in_library(message: object) -> str:
    """`message` with the content folder's own path left out: pages name files relative to it."""
    text = str(message)
    folder = Path(current_app.config["CONTENT_DIR"])
    for prefix in {str(folder.resolve()), str(folder.absolute())}:
        text = text.replace(prefix + "/", "")
    return text


@blueprint.after_app_request
def security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if response.location:  # relative, never built from the request's Host header (the slash redirect's is)
        response.location = urlunsplit(("", "", *urlsplit(response.location)[2:])) or "/"
    return response


@blueprint.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    message = error.description
    if isinstance(error, SecurityError):  # a Host outside TRUSTED_HOSTS, refused before routing
        message = "This server does not answer to that name. Open it by the address it is served at."
        # The page's links are paths, built without the refused Host.
        request_ctx.url_adapter = current_app.url_map.bind("localhost", script_name=request.root_path or "/")
    elif error.code == 413:
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        if request.content_length is None or request.content_length > limit:
            message = (f"The upload is larger than {limit // (1024 * 1024)} MiB. "
                       "Send the article with only the images it uses.")
        else:
            message = (f"The form has more than {current_app.config['MAX_FORM_PARTS']:,} parts (files and fields). "
                       "Send the article with only the images it uses, or a .zip of its folder.")
    page = render_template("web/error.html.jinja", status=error.code, title=error.name, message=message)
    response = Response(page, error.code, mimetype="text/html")
    for name, value in error.get_headers():  # Retry-After, Allow...
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


@blueprint.app_errorhandler(JobPending)
def job_pending(pending: JobPending):
    """A page that says how far the work is and looks again in a moment (202: not there yet)."""
    page = render_template("web/job.html.jinja", job=pending.job, what=pending.what, notice=pending.notice,
                           retry=JOB_RETRY_SECONDS)
    response = current_app.make_response((page, 202))
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
