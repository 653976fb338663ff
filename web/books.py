"""Books in the web UI: listed from their manifests, made from library articles, edited, renamed and
deleted (their editions are the edition views' `book_editions`)."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for

from ..articles.library.shelf import BookProblem
from .security import csrf_valid
from .state import library, shelf

blueprint = Blueprint("books", __name__, url_prefix="/books")
# A place in a book, as the form writes it: an ASCII number of a few digits (not "²", not 5,000 nines).
POSITION = re.compile(r"[0-9]{1,4}")


@blueprint.get("/")
def index():
    return render_template("web/books.html.jinja", books=shelf().books())


@blueprint.get("/new")
def new_form():
    return _new_book_page()


@blueprint.post("/")
def make_book():
    """Save the chosen articles, in the order their places give, as a manifest; then show the book."""
    _require_csrf()
    try:
        articles = _chosen_articles()
        slug = shelf().add(request.form.get("title", ""), articles)
    except BookProblem as problem:
        return _new_book_page(str(problem), request.form), 422
    return redirect(url_for("book_editions.preview", slug=slug), code=303)


@blueprint.get("/<slug>/edit")
def edit_form(slug: str):
    book = _shelved(slug)
    return render_template("web/book-edit.html.jinja", book=book, entries=_entries(), error=None,
                           form=None, chosen=_chosen_of(book))


@blueprint.post("/<slug>/edit")
def edit_book(slug: str):
    """Give the book the title and articles of the form (a new title renames it)."""
    _require_csrf()
    book = _shelved(slug)
    try:
        articles = _chosen_articles()
        new_slug = shelf().replace(slug, request.form.get("title", ""), articles)
    except BookProblem as problem:
        return render_template("web/book-edit.html.jinja", book=book, entries=_entries(), error=str(problem),
                               form=request.form, chosen=request.form.getlist("article")), 422
    flash(f"“{' '.join(request.form.get('title', '').split())}” was saved.")
    return redirect(url_for("book_editions.preview", slug=new_slug), code=303)


@blueprint.get("/<slug>/delete")
def delete_form(slug: str):
    return render_template("web/book-delete.html.jinja", book=_shelved(slug))


@blueprint.post("/<slug>/delete")
def delete_book(slug: str):
    _require_csrf()
    book = _shelved(slug)
    shelf().delete(slug)
    flash(f"The book “{book.title}” was deleted; its articles stay in the library.")
    return redirect(url_for("books.index"), code=303)


def _new_book_page(error: str | None = None, form=None):
    chosen = form.getlist("article") if form is not None else []
    return render_template("web/book-new.html.jinja", entries=_entries(), error=error, form=form, chosen=chosen)


def _entries():
    return [entry for entry in library().entries() if entry.article is not None]


def _shelved(slug: str):
    books = shelf()
    if not books.exists(slug):
        abort(404, f"There is no book called “{slug}”.")
    return books.book(slug)


def _chosen_of(book) -> list[str]:
    slugs = {entry.path.resolve(): entry.slug for entry in library().entries()}
    return [slugs[path] for path in book.articles if path in slugs]


def _chosen_articles():
    """The files of the articles ticked on the form, in the order of their places (those without a
    place after, in the form's order); an article ticked twice counts once. BookProblem for a place
    that is not a number."""
    paths = {entry.slug: entry.path for entry in library().entries()}
    chosen: dict[str, tuple[int, int]] = {}
    for order, slug in enumerate(request.form.getlist("article")):
        if slug not in paths or slug in chosen:
            continue
        position = request.form.get(f"position-{slug}", "").strip()
        if position and not POSITION.fullmatch(position):
            raise BookProblem(f"The place of an article is a number such as 1, 2 or 3, not “{position[:20]}”.")
        chosen[slug] = (int(position) if position else 10_000, order)
    return [paths[slug] for slug in sorted(chosen, key=chosen.get)]


def _require_csrf() -> None:
    if not csrf_valid(session, request.form.get("csrf_token")):
        abort(400, "The form has expired. Reload the page and send it again.")
