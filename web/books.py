"""Books in the web UI: listed from their manifests (searched by title, 50 a page), made from library
articles found by search, edited, renamed and deleted (their editions are the edition views'
`book_editions`)."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for

from ..articles.library.shelf import BookProblem
from ..catalogue.search import Filters, SearchError
from .auth import audit, editor, reader
from .listing import link, requested_page
from .security import csrf_valid
from .state import catalogue, shelf

blueprint = Blueprint("books", __name__, url_prefix="/books")
# A place in a book, as the form writes it: an ASCII number of a few digits (not "²", not 5,000 nines).
POSITION = re.compile(r"[0-9]{1,4}")
MAX_ARTICLES = 1000  # a book's articles, chosen in one form
PER_PAGE = 50


@blueprint.get("/")
@reader
def index():
    wanted = request.args.get("q", "")[:500].casefold()
    books = [book for book in shelf().books() if wanted in book.title.casefold()]
    pages = max(1, -(-len(books) // PER_PAGE))
    page = min(requested_page(), pages)
    return render_template("web/books.html.jinja", books=books[(page - 1) * PER_PAGE:page * PER_PAGE], page=page,
                           pages=pages, link=link)


@blueprint.get("/new")
@editor
def new_form():
    return _form_page("web/book-new.html.jinja")


@blueprint.post("/")
@editor
def make_book():
    """Save the chosen articles, in the order their places give, as a manifest; then show the book.
    The form's own search ("Find") shows the form again with what it found."""
    _require_csrf()
    if "find" in request.form:
        return _form_page("web/book-new.html.jinja", form=request.form)
    try:
        slug = shelf().add(request.form.get("title", ""), _chosen_articles())
    except BookProblem as problem:
        return _form_page("web/book-new.html.jinja", str(problem), request.form), 422
    catalogue().note_book()
    audit("bound", f"book {slug}")
    return redirect(url_for("book_editions.preview", slug=slug), code=303)


@blueprint.get("/<slug>/edit")
@editor
def edit_form(slug: str):
    book = _shelved(slug)
    chosen = [entry.slug for entry in (catalogue().entry_at(path) for path in book.articles) if entry is not None]
    return _form_page("web/book-edit.html.jinja", book=book, chosen_slugs=chosen)


@blueprint.post("/<slug>/edit")
@editor
def edit_book(slug: str):
    """Give the book the title and articles of the form (a new title renames it)."""
    _require_csrf()
    book = _shelved(slug)
    if "find" in request.form:
        return _form_page("web/book-edit.html.jinja", form=request.form, book=book)
    try:
        new_slug = shelf().replace(slug, request.form.get("title", ""), _chosen_articles())
    except BookProblem as problem:
        return _form_page("web/book-edit.html.jinja", str(problem), request.form, book=book), 422
    catalogue().note_book()
    audit("bound", f"book {new_slug}")
    flash(f"“{' '.join(request.form.get('title', '').split())}” was saved.")
    return redirect(url_for("book_editions.preview", slug=new_slug), code=303)


@blueprint.get("/<slug>/delete")
@editor
def delete_form(slug: str):
    return render_template("web/book-delete.html.jinja", book=_shelved(slug))


@blueprint.post("/<slug>/delete")
@editor
def delete_book(slug: str):
    _require_csrf()
    book = _shelved(slug)
    shelf().delete(slug)
    catalogue().note_book()
    audit("deleted", f"book {slug}")
    flash(f"The book “{book.title}” was deleted; its articles stay in the library.")
    return redirect(url_for("books.index"), code=303)


def _form_page(template: str, error: str | None = None, form=None, book=None, chosen_slugs=None):
    """The book form: the articles chosen so far (the form's, else `chosen_slugs`) with their places,
    and the ones its search finds."""
    slugs = form.getlist("article")[:MAX_ARTICLES] if form is not None else (chosen_slugs or [])
    chosen = [entry for entry in (catalogue().entry(slug) for slug in dict.fromkeys(slugs)) if entry is not None]
    places = ({} if form is not None else {entry.slug: str(place) for place, entry in enumerate(chosen, start=1)})
    try:
        found = catalogue().listing(Filters(search=(form or {}).get("find-q", "")), per_page=PER_PAGE, facets=False)
        finding = None
    except SearchError as problem:
        found, finding = None, str(problem)
    return render_template(template, error=error, form=form or {}, book=book, chosen=chosen, places=places,
                           chosen_slugs={entry.slug for entry in chosen}, found=found, finding=finding)


def _shelved(slug: str):
    books = shelf()
    if not books.exists(slug):
        abort(404, f"There is no book called “{slug}”.")
    return books.book(slug)


def _chosen_articles():
    """The files of the articles ticked on the form, in the order of their places (those without a
    place after, in the form's order); an article ticked twice counts once. BookProblem for a place
    that is not a number."""
    chosen: dict[str, tuple[int, int]] = {}
    paths = {}
    for order, slug in enumerate(request.form.getlist("article")[:MAX_ARTICLES]):
        if slug in chosen:
            continue
        path = catalogue().path_of(slug)
        if path is None:
            continue
        position = request.form.get(f"position-{slug}", "").strip()
        if position and not POSITION.fullmatch(position):
            raise BookProblem(f"The place of an article is a number such as 1, 2 or 3, not “{position[:20]}”.")
        chosen[slug] = (int(position) if position else 10_000, order)
        paths[slug] = path
    return [paths[slug] for slug in sorted(chosen, key=chosen.get)]


def _require_csrf() -> None:
    if not csrf_valid(session, request.form.get("csrf_token")):
        abort(400, "The form has expired. Reload the page and send it again.")
