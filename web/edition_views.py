"""The edition views of a publication, written once and registered for articles and for books: its
preview (reading view and each exporter's own), downloads, the files of an exporter's preview,
checks, and the publication's own files (images)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request, send_from_directory, url_for

from ..articles import Publication
from ..exporters import OptionError, declared_options, load_exporters, plan_editions
from ..exporters.filenames import edition_filename, option_words, options_read
from ..exporters.html import render_reading_view
from .auth import basic_auth, reader
from .downloads import content_disposition
from .state import check_report, edition, find_article, find_book, preview_options, requested_options

READING_VIEW = "reading"
DOCUMENT_TYPES = ("application/xhtml+xml", "text/html")
# Documents are sandboxed (no script, no forms) but keep their origin, so that the preview can size
# each frame to its document instead of giving it a scrollbar of its own.
# Style attributes are allowed: they carry an edition's own table alignment, and cannot run script or
# load anything (what a document loads is still only its own files, and sandboxed it runs no script).
DOCUMENT_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; style-src-attr 'unsafe-inline'; "
                   "frame-ancestors 'self'; sandbox allow-same-origin")


@dataclass(frozen=True)
class PublicationKind:
    """How the edition views find one kind of publication: the blueprint's `name`, the URL prefix
    holding `<slug>`, what to call one in messages, and `find(slug)`, which returns the publication
    or aborts with the page that says why not."""

    name: str
    url_prefix: str
    noun: str
    find: Callable[[str], Publication]
    deletable: bool = False


def edition_views(kind: PublicationKind) -> Blueprint:
    """A blueprint of the edition views of publications of `kind`."""
    blueprint = Blueprint(kind.name, __name__, url_prefix=kind.url_prefix)

    @blueprint.get("/")
    @reader
    def preview(slug: str):
        publication = kind.find(slug)
        options = preview_options()
        exporters = load_exporters()
        views = {READING_VIEW: "Reading view"} | {name: exporter.preview_label for name, exporter in exporters.items()
                                                   if exporter.preview_label}
        view = request.args.get("view", READING_VIEW)
        if view not in views:
            abort(404, f"There is no “{view}” view; the views are {', '.join(views)}.")
        context = {}
        if view == READING_VIEW:
            context["reading_view"] = render_reading_view(
                publication, lambda href: url_for(f"{kind.name}.publication_file", slug=slug, href=href),
                in_page=True)
        else:
            (plan,) = plan_editions([view], options)
            context["edition"] = edition(publication, plan, options, patient=True)
            context["spreads"] = spreads_of(context["edition"].views)
        return render_template("web/preview.html.jinja", article=publication, exporters=exporters, options=options,
                               declared=declared_options(), query=query_of(options), view=view, views=views,
                               endpoints=kind.name, deletable=kind.deletable, **context)

    @blueprint.get("/download/<format_name>")
    @reader
    @basic_auth
    def download(slug: str, format_name: str):
        plan = _plan(format_name)
        publication = kind.find(slug)
        etag = plan.key(publication)
        if request.if_none_match.contains(etag):
            response = Response(status=304)
        else:
            made = edition(publication, plan, requested_options())
            response = Response(made.main.data, mimetype=made.main.media_type)
            response.headers["Content-Disposition"] = content_disposition(publication.title, plan.exporter.extension,
                                                                          option_words(plan))
        response.set_etag(etag)
        response.headers["Cache-Control"] = "no-cache"
        return response

    @blueprint.get("/view/<format_name>/<path:name>")
    @reader
    def view_file(slug: str, format_name: str, name: str):
        """A file of an exporter's own preview: a PDF page as an image, an e-book document."""
        plan = _plan(format_name)
        publication = kind.find(slug)
        etag = f"{plan.key(publication)}-{name}-{request.args.get('size', '')}"
        if request.if_none_match.contains(etag):
            response = Response(status=304)
            response.set_etag(etag)
            response.headers["Cache-Control"] = "no-cache"
            response.headers["Content-Security-Policy"] = DOCUMENT_POLICY
            return response
        made = edition(publication, plan, requested_options())
        found = plan.exporter.preview_file(made, name, request.args)
        if found is None:
            abort(404, f"The {plan.exporter.label} edition has no “{name}” to show.")
        data, media_type = found
        if media_type in DOCUMENT_TYPES:
            data = _with_reader_stylesheet(data)
        response = Response(data, mimetype=media_type, headers={"Cache-Control": "no-cache"})
        response.set_etag(etag)
        # Documents of an edition are the publication's content: shown sandboxed, never as the app's own pages.
        response.headers["Content-Security-Policy"] = DOCUMENT_POLICY
        return response

    @blueprint.get("/check/<format_name>")
    @reader
    def check(slug: str, format_name: str):
        plan = _plan(format_name)
        if plan.exporter.check_label is None:
            checked = [name for name, exporter in load_exporters().items() if exporter.check_label]
            abort(404, f"There is no check for “{format_name}”; Pressroom checks {', '.join(checked)}.")
        publication = kind.find(slug)
        options = requested_options()
        report = check_report(publication, plan, options)
        _, file_name = edition_filename(publication.title, plan.exporter.extension, option_words(plan))
        return render_template("web/check.html.jinja", article=publication, exporter=plan.exporter, report=report,
                               file_name=file_name, settings=described_settings(plan), query=query_of(options),
                               endpoints=kind.name)

    @blueprint.get("/files/<path:href>")
    @reader
    def publication_file(slug: str, href: str):
        asset = kind.find(slug).asset(href)
        if asset is None:
            abort(404, f"The {kind.noun} “{slug}” has no file called “{href}”.")
        return send_from_directory(asset.path.parent, asset.path.name, mimetype=asset.media_type)

    return blueprint


def _plan(format_name: str):
    exporters = load_exporters()
    if format_name not in exporters:
        abort(404, f"There is no “{format_name}” edition; the editions are {', '.join(exporters)}.")
    try:
        (plan,) = plan_editions([format_name], requested_options())
    except OptionError as error:
        abort(400, str(error))
    return plan


ARTICLES = PublicationKind("editions", "/articles/<slug>", "article", find_article, deletable=True)
BOOKS = PublicationKind("book_editions", "/books/<slug>", "book", find_book)
article_views = edition_views(ARTICLES)
book_views = edition_views(BOOKS)


def spreads_of(views) -> list[list]:
    """The views as a book shows them: each left-hand page beside the right-hand page it faces (the first
    page, a recto, alone); views without a side one by one."""
    if not views or views[0].side is None:
        return [[view] for view in views]
    recto = views[0].side
    spreads: list[list] = []
    for view in views:
        if spreads and len(spreads[-1]) == 1 and spreads[-1][0].side != recto and view.side == recto:
            spreads[-1].append(view)
        else:
            spreads.append([view])
    return spreads


def described_settings(plan) -> list[tuple[str, str]]:
    """Each option the edition reads, with its value in words: ("Page size", "A5"), ("Cover", "on")."""
    return [(option.label, option.choices[value] if option.choices else ("on" if value else "off"))
            for option, value in options_read(plan)]


def _with_reader_stylesheet(document: bytes) -> bytes:
    """The document with the preview's reader stylesheet first in its head, as a reading system's own
    defaults (a serif face, a page's margins): the document's own stylesheets, after it, win."""
    link = f'<link rel="stylesheet" type="text/css" href="{url_for("pages.static_file", filename="web/reader.css")}"/>'
    return re.sub(rb"<head(\s[^>]*)?>", lambda match: match.group(0) + link.encode(), document, count=1)


def query_of(options) -> dict[str, str]:
    """The chosen options as query values, for links that keep them."""
    return {name: ("on" if value else "off") if isinstance(value, bool) else value for name, value in options.items()}
