"""The JSON API at /api/v1/: articles (list, search, read, add, replace, delete, editions), books and
jobs; each operation declared once, and both its route and the OpenAPI document made from that."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, request, session, url_for
from werkzeug.exceptions import HTTPException

from ..articles import ContentError, PressroomError, UploadedFile
from ..articles.library.pasting import pasted_file
from ..articles.library.shelf import BookProblem
from ..articles.webimport.fetching import Fetcher
from ..catalogue.database import CatalogueError
from ..exporters import OptionError, UnknownFormat, load_exporters, plan_editions
from ..exporters.filenames import option_words
from .auth import actor, audit, role
from .downloads import content_disposition
from .imports import import_slot
from .openapi import PREFIX, document
from .listing import requested_filters, requested_page, requested_sort
from .security import csrf_valid
from .state import catalogue, edition, find_article, requested_options, shelf, state
from .work import RETRY_AFTER_SECONDS, JobPending

blueprint = Blueprint("api", __name__, url_prefix=PREFIX)
MAX_JSON_BYTES = 8 * 1024 * 1024
MAX_PER_PAGE = 200
PASTE_KINDS = ("detect", "md", "txt")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Operation:
    """One operation of the API: its method and path (OpenAPI's `{name}` form), the role it needs, what it
    does, its query parameters (name, JSON schema, description), request bodies and responses."""

    method: str
    path: str
    role: str
    summary: str
    view: Callable
    query: tuple[tuple[str, dict, str], ...] = ()
    body: dict = field(default_factory=dict)  # media type -> schema
    responses: dict = field(default_factory=dict)  # status -> (description, media type, schema)


def problem(status: int, detail: str, title: str | None = None, headers=()) -> Response:
    """An RFC 9457 problem details response."""
    from werkzeug.http import HTTP_STATUS_CODES

    response = jsonify({"type": "about:blank", "title": title or HTTP_STATUS_CODES.get(status, "Error"),
                        "status": status, "detail": detail})
    response.status_code = status
    response.mimetype = "application/problem+json"
    for name, value in headers:
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


@blueprint.errorhandler(HTTPException)
def http_problem(error: HTTPException):
    return problem(error.code or 500, error.description or error.name, error.name, error.get_headers())


@blueprint.errorhandler(PressroomError)
def pressroom_problem(error: PressroomError):
    if isinstance(error, CatalogueError):
        return problem(503, str(error), "The catalogue cannot be used")
    if isinstance(error, (OptionError, UnknownFormat)):
        return problem(400, str(error), "This edition cannot be made")
    title = "This article cannot be read" if isinstance(error, ContentError) else "This cannot be done"
    return problem(422, _in_library(str(error)), title)


@blueprint.errorhandler(JobPending)
def job_pending(pending: JobPending):
    """202: the edition is being made on the queue; its job's state is at its own URL."""
    body = {"state": pending.job.state, "ahead": pending.job.ahead, "what": pending.what}
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS // 10 or 1), "Cache-Control": "no-store"}
    job_id = getattr(pending.job, "id", None) or request.environ.get("pressroom.job_id")
    if job_id:
        body["job"] = headers["Location"] = url_for("api.job", job_id=job_id)
    return jsonify(body), 202, headers


@blueprint.before_request
def guard_cookie_sessions():
    """A browser's cookie (or this computer, with no account) may change things only by a request no other
    site can forge: JSON or DELETE (which a page elsewhere cannot send without CORS, never granted here),
    or a form carrying the session's CSRF token in X-CSRF-Token. A token request carries no cookie."""
    if request.method in UNSAFE and actor().by_session and actor().token is None:
        if request.method in ("POST", "PUT", "PATCH") and request.mimetype != "application/json" \
                and not csrf_valid(session, request.headers.get("X-CSRF-Token")):
            abort(403, "Files sent with a browser's session need its X-CSRF-Token header; scripts send an API "
                       "token (Authorization: Bearer TOKEN) instead.")


def _in_library(message: str) -> str:
    folder = Path(current_app.config["CONTENT_DIR"])
    for prefix in {str(folder.resolve()), str(folder.absolute())}:
        message = message.replace(prefix + "/", "")
    return message


def _json() -> dict:
    """The request's JSON object; a 400 problem for a body too large, malformed or not an object."""
    if request.content_length is not None and request.content_length > MAX_JSON_BYTES:
        abort(400, f"The JSON body is larger than {MAX_JSON_BYTES // (1024 * 1024)} MiB.")
    data = request.get_data(cache=True)
    if len(data) > MAX_JSON_BYTES:
        abort(400, f"The JSON body is larger than {MAX_JSON_BYTES // (1024 * 1024)} MiB.")
    import json

    try:
        found = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        abort(400, f"The body is not JSON: {str(error)[:200]}.")
    if not isinstance(found, dict):
        abort(400, "The body is a JSON object, such as {\"url\": \"https://...\"}.")
    return found


def _text_field(body: dict, name: str, default: str = "") -> str:
    value = body.get(name, default)
    if not isinstance(value, str):
        abort(400, f"“{name}” is a string.")
    return value


def _article_json(slug: str) -> dict:
    entry = catalogue().entry(slug)
    if entry is None:
        abort(404, f"There is no article called “{slug}” in the library.")
    return _hit_json(entry)


def _hit_json(hit) -> dict:
    fields = ("slug", "path", "title", "subtitle", "byline", "language", "words", "minutes", "site", "error")
    record = {name: getattr(hit, name) for name in fields}
    record["published"] = hit.published.isoformat() if hit.published else None
    record["added"] = hit.added.isoformat() if hit.added else None
    record["url"] = url_for("api.article", slug=hit.slug)
    return record


def list_articles():
    per_page = request.args.get("per_page", "50").strip()
    if not per_page.isdigit() or not 1 <= int(per_page[:4]) <= MAX_PER_PAGE:
        abort(400, f"per_page is a number from 1 to {MAX_PER_PAGE}, not “{per_page[:20]}”.")
    found = catalogue().listing(requested_filters(), requested_sort(), requested_page(), int(per_page), facets=False)
    return jsonify({"articles": [_hit_json(hit) for hit in found.hits], "total": found.total, "page": found.page,
                    "pages": found.pages, "sort": found.sort})


def article(slug: str):
    return jsonify(_article_json(slug))


def add_article():
    return _store(replace=None)


def replace_article(slug: str):
    if catalogue().entry(slug) is None:
        abort(404, f"There is no article called “{slug}” in the library.")
    return _store(replace=slug)


def _store(replace: str | None):
    """Add an article from the request (an upload, pasted text or a page's address); replacing the
    article `replace` when given, whose name the text or the first file then takes."""
    if request.mimetype == "multipart/form-data":
        files = [UploadedFile(upload.filename or "", upload.read()) for upload in request.files.getlist("files")
                 if upload.filename]
        if not files:
            abort(400, "Send the article's files in the form field “files”.")
        if replace is not None:
            files[0] = UploadedFile(replace + Path(files[0].name).suffix, files[0].data)
        article_stored = catalogue().add(files, replace=replace is not None or request.form.get("replace") == "true")
    elif request.mimetype == "application/json":
        body = _json()
        again = replace is not None or body.get("replace") is True
        if "url" in body and replace is None:
            fetcher = Fetcher(current_app.config.get("ALLOWED_FETCH_HOSTS", ()), on_server=True)
            with import_slot():
                article_stored = catalogue().add_address(_text_field(body, "url"), fetcher, replace=again)
        elif "text" in body:
            kind = _text_field(body, "kind", "detect")
            if kind not in PASTE_KINDS:
                abort(400, f"“kind” is one of {', '.join(PASTE_KINDS)}, not “{kind[:20]}”.")
            name = replace or _text_field(body, "name")
            article_stored = catalogue().add([pasted_file(_text_field(body, "text"), kind, name)], replace=again)
        else:
            abort(400, "Send {\"url\": ...} to import a page, or {\"text\": ...} to add pasted text"
                       + (" (a replacement takes text or files)" if replace else "") + ".")
    else:
        abort(415, "Send JSON (application/json) or files (multipart/form-data).")
    audit("replaced" if replace else "added", article_stored.slug)
    record = _article_json(article_stored.slug) | {"warnings": list(article_stored.warnings)}
    return jsonify(record), 200 if replace else 201, {"Location": record["url"]}


def delete_article(slug: str):
    if catalogue().entry(slug) is None:
        abort(404, f"There is no article called “{slug}” in the library.")
    catalogue().delete(slug)
    audit("deleted", slug)
    return "", 204


def article_edition(slug: str, format_name: str):
    exporters = load_exporters()
    if format_name not in exporters:
        abort(404, f"There is no “{format_name}” edition; the editions are {', '.join(exporters)}.")
    options = requested_options()
    (plan,) = plan_editions([format_name], options)
    publication = find_article(slug)
    request.environ["pressroom.job_id"] = plan.key(publication)
    made = edition(publication, plan, options)
    response = Response(made.main.data, mimetype=made.main.media_type)
    response.headers["Content-Disposition"] = content_disposition(publication.title, plan.exporter.extension,
                                                                  option_words(plan))
    return response


def job(job_id: str):
    from ..jobs.tracking import job_state

    if state().queue is None:
        abort(404, "This server makes its editions itself: it has no queue, so no jobs.")
    try:
        found = job_state(state().queue, job_id)
    except OSError:
        abort(503, "The export queue cannot be reached.", retry_after=RETRY_AFTER_SECONDS)
    if found is None:
        abort(404, "The queue knows no job by that name.")
    body = {"state": found.state, "ahead": found.ahead}
    if found.state == "failed":
        body["reason"] = str(found.reason)[:2000]
    return jsonify(body)


def _book_json(book) -> dict:
    slugs = [entry.slug for entry in (catalogue().entry_at(path) for path in book.articles) if entry is not None]
    return {"slug": book.slug, "title": book.title, "articles": slugs,
            "missing": [missing.name for missing in book.missing], "problem": book.problem,
            "url": url_for("api.book", slug=book.slug)}


def list_books():
    return jsonify({"books": [_book_json(book) for book in shelf().books()]})


def book(slug: str):
    if not shelf().exists(slug):
        abort(404, f"There is no book called “{slug}”.")
    return jsonify(_book_json(shelf().book(slug)))


def make_book():
    body = _json()
    slugs = body.get("articles", [])
    if not isinstance(slugs, list) or not all(isinstance(slug, str) for slug in slugs):
        abort(400, "“articles” is a list of article slugs, in the book's order.")
    paths = []
    for slug in slugs[:1000]:
        path = catalogue().path_of(slug)
        if path is None:
            abort(422, f"There is no article called “{slug}” in the library.")
        paths.append(path)
    try:
        slug = shelf().add(_text_field(body, "title"), paths)
    except BookProblem as error:
        abort(422, str(error))
    catalogue().note_book()
    audit("bound", f"book {slug}")
    found = _book_json(shelf().book(slug))
    return jsonify(found), 201, {"Location": found["url"]}


def delete_book(slug: str):
    if not shelf().exists(slug):
        abort(404, f"There is no book called “{slug}”.")
    shelf().delete(slug)
    catalogue().note_book()
    audit("deleted", f"book {slug}")
    return "", 204


def openapi_document():
    return jsonify(document(OPERATIONS))


ARTICLE = {"$ref": "#/components/schemas/Article"}
BOOK = {"$ref": "#/components/schemas/Book"}
PAGE_QUERY = (
    ("q", {"type": "string", "maxLength": 500}, "Words, \"a phrase\" or prefix*, in titles, authors and text"),
    ("author", {"type": "string"}, "Only articles by this author"),
    ("lang", {"type": "string"}, "Only articles in this language"),
    ("year", {"type": "integer"}, "Only articles published this year"),
    ("site", {"type": "string"}, "Only articles from this site"),
    ("subject", {"type": "string"}, "Only articles on this subject"),
    ("sort", {"type": "string", "enum": ["relevance", "title", "author", "published", "added"]}, "The order"),
    ("page", {"type": "integer", "minimum": 1}, "The page, from 1"),
    ("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}, "Articles a page (50)"),
)
ADD_BODY = {
    "application/json": {"$ref": "#/components/schemas/NewArticle"},
    "multipart/form-data": {"type": "object", "properties": {
        "files": {"type": "array", "items": {"type": "string", "contentMediaType": "application/octet-stream"}},
        "replace": {"type": "string", "enum": ["true", "false"]}}, "required": ["files"]},
}
OPERATIONS = (
    Operation("GET", "/articles", "reader", "List or search the articles, a page at a time", list_articles,
              query=PAGE_QUERY, responses={"200": ("A page of articles", "application/json",
                                                   {"$ref": "#/components/schemas/ArticlePage"})}),
    Operation("POST", "/articles", "editor", "Add an article: uploaded files, pasted text, or a web page's address",
              add_article, body=ADD_BODY, responses={"201": ("The article added", "application/json", ARTICLE)}),
    Operation("GET", "/articles/{slug}", "reader", "An article's metadata", article,
              responses={"200": ("The article", "application/json", ARTICLE)}),
    Operation("PUT", "/articles/{slug}", "editor", "Replace an article with pasted text or uploaded files",
              replace_article, body=ADD_BODY, responses={"200": ("The article as replaced", "application/json",
                                                                 ARTICLE)}),
    Operation("DELETE", "/articles/{slug}", "editor", "Delete an article", delete_article,
              responses={"204": ("Deleted", None, None)}),
    Operation("GET", "/articles/{slug}/editions/{format_name}", "reader",
              "Make an edition of an article with the exporters' options (a job to follow when a queue makes it)",
              article_edition, responses={
                  "200": ("The edition's file", "application/octet-stream", {"type": "string"}),
                  "202": ("Being made on the queue: follow the job", "application/json",
                          {"$ref": "#/components/schemas/Job"})}),
    Operation("GET", "/jobs/{job_id}", "reader", "Where a queued edition is", job,
              responses={"200": ("The job's state", "application/json", {"$ref": "#/components/schemas/Job"})}),
    Operation("GET", "/books", "reader", "List the books", list_books,
              responses={"200": ("The books", "application/json", {"type": "object", "properties": {
                  "books": {"type": "array", "items": BOOK}}})}),
    Operation("POST", "/books", "editor", "Make a book of articles, in order", make_book,
              body={"application/json": {"$ref": "#/components/schemas/NewBook"}},
              responses={"201": ("The book made", "application/json", BOOK)}),
    Operation("GET", "/books/{slug}", "reader", "A book", book,
              responses={"200": ("The book", "application/json", BOOK)}),
    Operation("DELETE", "/books/{slug}", "editor", "Delete a book (its articles stay)", delete_book,
              responses={"204": ("Deleted", None, None)}),
    Operation("GET", "/openapi.json", "reader", "This document", openapi_document,
              responses={"200": ("The OpenAPI 3.1 document", "application/json", {"type": "object"})}),
)

for operation in OPERATIONS:
    flask_path = operation.path.replace("{", "<").replace("}", ">")
    blueprint.add_url_rule(flask_path, operation.view.__name__, role(operation.role)(operation.view),
                           methods=[operation.method])
