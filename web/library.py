"""The library and adding articles: the list of the content folder (sorted, with deletion), the upload
and paste forms."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for

from ..articles import PressroomError, UploadedFile
from ..articles.library.pasting import pasted_file
from ..articles.webimport.fetching import Fetcher
from .auth import audit, editor, reader
from .imports import import_slot
from .security import csrf_valid
from ..catalogue.database import CatalogueError
from ..catalogue.search import SORTS, SearchError
from ..exporters.words import language_choices
from .listing import facet_parameters, link, requested_filters, requested_page, requested_sort
from .state import catalogue, shelf

blueprint = Blueprint("library", __name__)
PASTE_KINDS = ("detect", "md", "txt")


@blueprint.get("/")
@reader
def index():
    filters, sort, page = requested_filters(), requested_sort(), requested_page()
    try:
        found = catalogue().listing(filters, sort, page)
    except SearchError as error:
        return render_template("web/library.html.jinja", listing=None, filters=filters, error=str(error),
                               sorts=SORTS, facets=facet_parameters(), link=link), 400
    return render_template("web/library.html.jinja", listing=found, filters=filters, error=None, sorts=SORTS,
                           facets=facet_parameters(), link=link)


@blueprint.app_errorhandler(CatalogueError)
def catalogue_unavailable(error: CatalogueError):
    return render_template("web/error.html.jinja", title="The catalogue cannot be used", message=str(error)), 503


@blueprint.get("/add")
@editor
def add_form():
    return render_template("web/add.html.jinja", error=None, form=None, pasted="", languages=language_choices())


@blueprint.post("/add")
@editor
def add_article():
    _require_csrf()
    replace_existing = request.form.get("replace") == "on"
    language = _chosen_language()
    if request.form.get("source") == "address":
        files = []
    elif request.form.get("source") == "paste":
        kind = request.form.get("kind", "detect")
        files = [pasted_file(request.form.get("text", ""), kind if kind in PASTE_KINDS else "detect",
                             request.form.get("name", ""))]
    else:
        files = [UploadedFile(upload.filename or "", upload.read()) for upload in request.files.getlist("files")
                 if upload.filename]
    try:
        if request.form.get("source") == "address":
            fetcher = Fetcher(current_app.config.get("ALLOWED_FETCH_HOSTS", ()), on_server=True)
            with import_slot():
                article = catalogue().add_address(request.form.get("url", ""), fetcher, replace=replace_existing)
        else:
            article = catalogue().add(files, replace=replace_existing, language=language)
    except PressroomError as error:
        form = request.form.get("source") if request.form.get("source") in ("paste", "address") else "upload"
        return render_template("web/add.html.jinja", error=str(error), form=form,
                               pasted=request.form.get("text", ""), values=request.form,
                               languages=language_choices()), 422
    audit("replaced" if replace_existing else "added", article.slug)
    for warning in article.warnings:  # what an imported page lost: shown once, on the preview
        flash(warning, "notice")
    return redirect(url_for("editions.preview", slug=article.slug), code=303)


@blueprint.get("/articles/<slug>/delete")
@editor
def delete_form(slug: str):
    entry = _entry(slug)
    return render_template("web/delete.html.jinja", entry=entry, books=shelf().using(catalogue().folder / entry.path))


@blueprint.post("/articles/<slug>/delete")
@editor
def delete_article(slug: str):
    _require_csrf()
    entry = _entry(slug)
    catalogue().delete(slug)
    audit("deleted", slug)
    flash(f"“{entry.title}” was deleted ({entry.path}).")
    return redirect(url_for("library.index"), code=303)


def _entry(slug: str):
    """The library's entry for `slug` (a broken article too, so that it can be deleted), or a 404 page."""
    entry = catalogue().entry(slug)
    if entry is None:
        abort(404, f"There is no article called “{slug}” in the library.")
    return entry


def _chosen_language() -> str | None:
    """The language the form chose for the article, or None to keep the one it declares (else detected)."""
    chosen = request.form.get("lang", "detect")
    if chosen == "detect":
        return None
    if chosen not in dict(language_choices()):
        abort(400, "Choose the article’s language from the list, or let Pressroom tell it from the text.")
    return chosen


def _require_csrf() -> None:
    if not csrf_valid(session, request.form.get("csrf_token")):
        abort(400, "The form has expired. Reload the page and send it again.")
