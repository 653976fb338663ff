"""Books in the web UI: made from library articles, saved as NAME.yaml manifests, previewed and downloaded."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml
from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, session, \
    send_from_directory, url_for

from ..articles import Book, ContentError, read_book
from ..articles.content.section_ids import slugify
from ..exporters import OptionError, declared_options, load_exporters, plan_editions
from ..exporters.html import render_reading_view
from .downloads import content_disposition, edition_filename, option_words
from .edition_views import READING_VIEW, described_settings, query_of, spreads_of
from .security import csrf_valid
from ..catalogue.search import Filters, SearchError
from .listing import link, requested_page
from .state import catalogue, check_report, edition, requested_options

blueprint = Blueprint("books", __name__, url_prefix="/books")
MAX_TITLE_CHARS = 200
MAX_ARTICLES = 1000  # a book's articles, chosen in one form
PER_PAGE = 50


@blueprint.get("/")
def index():
    return _books_page()


@blueprint.post("/")
def make_book():
    """Save the chosen articles, in the order their positions give, as a manifest; then show the book."""
    if not csrf_valid(session, request.form.get("csrf_token")):
        abort(400, "The form has expired. Reload the page and send it again.")
    if "find" in request.form:  # the form's search: the same form again, with what was chosen so far
        return _books_page(form=request.form)
    title = " ".join(request.form.get("title", "").split())[:MAX_TITLE_CHARS]
    paths = {slug: catalogue().path_of(slug) for slug in dict.fromkeys(request.form.getlist("article")[:MAX_ARTICLES])}
    paths = {slug: path for slug, path in paths.items() if path is not None}
    chosen = []
    for slug in paths:
        position = request.form.get(f"position-{slug}", "").strip()
        chosen.append((int(position[:9]) if position.isdigit() else len(paths) + 1, len(chosen), slug))
    name = slugify(title)[:80].rstrip("-")
    problem = None
    if not title or not name:
        problem = "Give the book a title in words."
    elif len(chosen) < 2:
        problem = "Choose at least two articles for the book."
    elif _manifest(name).exists():
        problem = f"There is already a book called “{name}”: give this one another title."
    if problem:
        return _books_page(problem, request.form), 422
    folder = Path(current_app.config["CONTENT_DIR"]).resolve()
    articles = [paths[slug].resolve().relative_to(folder).as_posix() for _, _, slug in sorted(chosen)]
    _write_new(_manifest(name), yaml.safe_dump({"title": title, "articles": articles}, allow_unicode=True,
                                               sort_keys=False))
    catalogue().note_book()
    return redirect(url_for("books.preview", slug=name), code=303)


@blueprint.get("/<slug>/")
def preview(slug: str):
    book = _find_book(slug)
    if isinstance(book, ContentError):
        return render_template("web/book-missing.html.jinja", slug=slug, error=book), 422
    options = requested_options()
    exporters = load_exporters()
    views = {READING_VIEW: "Reading view"} | {name: exporter.preview_label for name, exporter in exporters.items()
                                               if exporter.preview_label}
    view = request.args.get("view", READING_VIEW)
    if view not in views:
        abort(404, f"There is no “{view}” view; the views are {', '.join(views)}.")
    context = {}
    if view == READING_VIEW:
        context["reading_view"] = render_reading_view(
            book, lambda href: url_for("books.book_file", slug=slug, href=href), in_page=True)
    else:
        (plan,) = plan_editions([view], options)
        context["edition"] = edition(book, plan, options, patient=True)
        context["spreads"] = spreads_of(context["edition"].views)
    return render_template("web/preview.html.jinja", article=book, exporters=exporters, options=options,
                           declared=declared_options(), query=query_of(options), view=view, views=views,
                           endpoints="books", **context)


@blueprint.get("/<slug>/download/<format_name>")
def download(slug: str, format_name: str):
    plan = _plan(format_name)
    book = _readable_book(slug)
    made = edition(book, plan, requested_options())
    response = Response(made.main.data, mimetype=made.main.media_type)
    response.headers["Content-Disposition"] = content_disposition(book.title, plan.exporter.extension,
                                                                  option_words(plan))
    response.set_etag(plan.key(book))
    response.headers["Cache-Control"] = "no-cache"
    return response


@blueprint.get("/<slug>/view/<format_name>/<path:name>")
def view_file(slug: str, format_name: str, name: str):
    plan = _plan(format_name)
    book = _readable_book(slug)
    found = plan.exporter.preview_file(edition(book, plan, requested_options()), name, request.args)
    if found is None:
        abort(404, f"The {plan.exporter.label} edition has no “{name}” to show.")
    data, media_type = found
    response = Response(data, mimetype=media_type, headers={"Cache-Control": "no-cache"})
    # Documents of an edition are the articles' content: shown sandboxed, never as the app's own pages.
    response.headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'self'; sandbox"
    return response


@blueprint.get("/<slug>/check/<format_name>")
def check(slug: str, format_name: str):
    plan = _plan(format_name)
    if plan.exporter.check_label is None:
        abort(404, f"There is no check for “{format_name}”.")
    book = _readable_book(slug)
    options = requested_options()
    report = check_report(book, plan, options)
    _, file_name = edition_filename(book.title, plan.exporter.extension, option_words(plan))
    return render_template("web/check.html.jinja", article=book, exporter=plan.exporter, report=report,
                           file_name=file_name, settings=described_settings(plan), query=query_of(options),
                           endpoints="books")


@blueprint.get("/<slug>/files/<path:href>")
def book_file(slug: str, href: str):
    asset = _readable_book(slug).asset(href)
    if asset is None:
        abort(404, f"The book “{slug}” has no file called “{href}”.")
    return send_from_directory(asset.path.parent, asset.path.name, mimetype=asset.media_type)


def _books_page(error: str | None = None, form=None):
    """The books (searched by title, 50 a page) and the form that makes one: the articles chosen so far,
    and the ones its search finds."""
    form = form if form is not None else {}
    wanted = request.args.get("q", "").casefold()
    books = [book for book in catalogue().books() if wanted in book.title.casefold()]
    pages = max(1, -(-len(books) // PER_PAGE))
    page = min(requested_page(), pages)
    chosen = [entry for entry in (catalogue().entry(slug) for slug in dict.fromkeys(
        form.getlist("article")[:MAX_ARTICLES] if form else ())) if entry is not None]
    try:
        found = catalogue().listing(Filters(search=form.get("find-q", "")), per_page=PER_PAGE, facets=False)
        finding = None
    except SearchError as problem:
        found, finding = None, str(problem)
    return render_template("web/books.html.jinja", books=books[(page - 1) * PER_PAGE:page * PER_PAGE], page=page,
                           pages=pages, link=link, found=found, finding=finding, error=error, form=form,
                           chosen=chosen, chosen_slugs={entry.slug for entry in chosen})


def _manifests() -> list[Path]:
    folder = Path(current_app.config["CONTENT_DIR"])
    return sorted(path for path in folder.glob("*.yaml") if path.is_file() and slugify(path.stem) == path.stem)


def _manifest(slug: str) -> Path:
    return Path(current_app.config["CONTENT_DIR"]) / f"{slug}.yaml"


def _find_book(slug: str) -> Book | ContentError:
    """The book saved as `slug`.yaml, or the error that says why it cannot be read (a deleted article)."""
    if slugify(slug) != slug or not _manifest(slug).is_file():
        abort(404, f"There is no book called “{slug}”.")
    try:
        return read_book(_manifest(slug), within=Path(current_app.config["CONTENT_DIR"]))
    except ContentError as error:
        return error


def _readable_book(slug: str) -> Book:
    book = _find_book(slug)
    if isinstance(book, ContentError):
        abort(422, str(book))
    return book


def _plan(format_name: str):
    exporters = load_exporters()
    if format_name not in exporters:
        abort(404, f"There is no “{format_name}” edition; the editions are {', '.join(exporters)}.")
    try:
        (plan,) = plan_editions([format_name], requested_options())
    except OptionError as error:
        abort(400, str(error))
    return plan


def _write_new(target: Path, text: str) -> None:
    """Write a new manifest whole or not at all (a reader never sees part of it)."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.link(temporary, target)  # fails if a book of that name appeared meanwhile
    finally:
        Path(temporary).unlink(missing_ok=True)
