"""The OPDS 1.2 catalogue at /opds/ for e-reader apps: the root, paged feeds built from the catalogue, the
OpenSearch description, and downloads that serve the web UI's editions but never answer with an HTML page."""

from __future__ import annotations

import datetime
import hashlib
from urllib.parse import quote

from flask import Blueprint, Response, current_app, request, url_for
from werkzeug.exceptions import HTTPException

from ..articles import PressroomError
from ..catalogue.details import author_names, language_names, last_changed
from ..catalogue.search import PER_PAGE, Filters, SearchError
from ..exporters.epub.cover import EPUB_COVER_SIZE, cover_png
from .auth import basic_auth, reader
from .listing import requested_filters, requested_page, requested_sort
from .opds_entries import article_entries, book_entries, edition_formats, navigation_entry, paging_links
from .opds_feeds import ACQUISITION, NAVIGATION, OPENSEARCH_TYPE, Link, Paging, feed_document, opensearch_document
from .pages import in_library
from .state import catalogue, find_article, state
from .work import JobPending

blueprint = Blueprint("opds", __name__, url_prefix="/opds")
RETRY_SECONDS = 30
THUMBNAIL_SIZE = (200, 300)
FEED_VERSION = "1"  # change when feeds are built differently, so that no client keeps an old one
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


@blueprint.get("/")
@reader
@basic_auth
def root():
    return _feed("Pressroom", NAVIGATION, lambda updated: [
        navigation_entry("newest", "Newest", "The articles added last first.", url_for(".articles", sort="added"),
                         ACQUISITION, updated, rel="http://opds-spec.org/sort/new"),
        navigation_entry("authors", "By author", "The authors of the library.", url_for(".authors"), NAVIGATION,
                         updated),
        navigation_entry("languages", "By language", "The languages the articles are written in.",
                         url_for(".languages"), NAVIGATION, updated),
        navigation_entry("titles", "By title", "Every article, by title.", url_for(".articles"), ACQUISITION,
                         updated),
        navigation_entry("books", "Books", "The books made of the library's articles.", url_for(".books"),
                         ACQUISITION, updated),
    ])


@blueprint.get("/articles")
@reader
@basic_auth
def articles():
    filters, sort, page = requested_filters(), requested_sort(), requested_page()
    try:
        found = catalogue().listing(filters, sort, page, PER_PAGE, facets=False)
    except SearchError as error:
        return _plain(400, str(error))
    links = paging_links(".articles", found.page, found.pages, ACQUISITION)
    paging = Paging(found.total, (found.page - 1) * PER_PAGE + 1, PER_PAGE)
    return _feed(_articles_title(filters, sort), ACQUISITION,
                 lambda updated: article_entries(catalogue(), found.hits), links, paging)


@blueprint.get("/books")
@reader
@basic_auth
def books():
    shelved = catalogue().books()
    pages = max(1, -(-len(shelved) // PER_PAGE))
    page = min(requested_page() or 1, pages)
    chosen = shelved[(page - 1) * PER_PAGE:page * PER_PAGE]
    return _feed("Books", ACQUISITION, lambda updated: book_entries(chosen, updated),
                 paging_links(".books", page, pages, ACQUISITION), Paging(len(shelved), (page - 1) * PER_PAGE + 1,
                                                                          PER_PAGE))


@blueprint.get("/authors")
@reader
@basic_auth
def authors():
    found = author_names(catalogue().engine, requested_page(), PER_PAGE)
    return _feed("By author", NAVIGATION, lambda updated: [
        navigation_entry(f"author:{quote(name)}", name, _articles_count(count), url_for(".articles", author=name),
                         ACQUISITION, updated) for name, count in found.names
    ], paging_links(".authors", found.page, found.pages, NAVIGATION))


@blueprint.get("/languages")
@reader
@basic_auth
def languages():
    found = language_names(catalogue().engine, requested_page(), PER_PAGE)
    return _feed("By language", NAVIGATION, lambda updated: [
        navigation_entry(f"language:{quote(code)}", code, _articles_count(count), url_for(".articles", lang=code),
                         ACQUISITION, updated) for code, count in found.names
    ], paging_links(".languages", found.page, found.pages, NAVIGATION))


@blueprint.get("/opensearch.xml")
@reader
@basic_auth
def opensearch():
    template = url_for(".articles") + "?q={searchTerms}"
    document = opensearch_document("Pressroom", "Search the articles of the library", template)
    return Response(document, mimetype=OPENSEARCH_TYPE)


@blueprint.get("/articles/<slug>/<format_name>")
@reader
@basic_auth
def article_download(slug: str, format_name: str):
    return _download("editions.download", slug, format_name)


@blueprint.get("/books/<slug>/<format_name>")
@reader
@basic_auth
def book_download(slug: str, format_name: str):
    return _download("book_editions.download", slug, format_name)


@blueprint.get("/articles/<slug>/cover")
@reader
@basic_auth
def article_cover(slug: str):
    return _cover(find_article(slug))


def _cover(publication) -> Response:
    """The cover the EPUB edition opens with: the article's own picture, else the one Pressroom sets from
    its title and authors (as large as the e-book's, or as a thumbnail)."""
    thumbnail = request.args.get("size") == "thumbnail"
    key = f"{publication.digest}-cover-{'thumbnail' if thumbnail else 'full'}"
    if request.if_none_match.contains(key):
        response = Response(status=304)
    else:
        own = publication.asset(publication.metadata.cover) if publication.metadata.cover else None
        if own is not None:
            response = Response(own.path.read_bytes(), mimetype=own.media_type)
        else:
            made = state().editions.get(key)
            if made is None:
                made = cover_png(publication, THUMBNAIL_SIZE if thumbnail else EPUB_COVER_SIZE)
                state().editions.put(key, made, size=len(made))
            response = Response(made, mimetype="image/png")
    response.set_etag(key)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _download(endpoint: str, slug: str, format_name: str) -> Response:
    """The web UI's own download view (the same bytes, the same ETag); made before the answer, or a 503."""
    if format_name not in edition_formats():
        return _plain(404, f"There is no “{format_name}” edition here; the editions are "
                           f"{', '.join(edition_formats())}.")
    try:
        return current_app.view_functions[endpoint](slug=slug, format_name=format_name)
    except HTTPException as error:
        if error.response is None:  # the others come to this blueprint's handler
            raise
        # A page of its own (a book whose articles are missing): said in words here, the page stays the web UI's.
        return _plain(error.response.status_code, f"“{slug}” cannot be made as it is; its page in Pressroom "
                                                  "says what is missing.")


def _feed(title: str, kind: str, entries, links: list[Link] = (), paging: Paging | None = None) -> Response:
    """The feed answered with its ETag and Last-Modified, or a 304 when the client's copy is current:
    both come from the index's generation, so an unchanged catalogue is answered before any entry is built."""
    generation, changed = last_changed(catalogue().engine)
    formats = ",".join(edition_formats())
    etag = hashlib.sha256(f"{FEED_VERSION}\n{generation}\n{formats}\n{request.full_path}".encode()).hexdigest()[:32]
    changed = (changed or EPOCH).replace(microsecond=0)
    fresh = (request.if_none_match.contains(etag) if request.if_none_match
             else request.if_modified_since is not None and request.if_modified_since >= changed)
    if fresh:
        response = Response(status=304)
    else:
        self_link = Link(request.script_root + request.full_path.rstrip("?"), "self", kind)
        own = [self_link, Link(url_for(".root"), "start", NAVIGATION),
               Link(url_for(".opensearch"), "search", OPENSEARCH_TYPE, "Search")]
        document = feed_document(f"urn:pressroom:opds:{hashlib.sha256(request.full_path.encode()).hexdigest()[:32]}",
                                 title, changed, own + list(links), entries(changed), paging)
        response = Response(document, content_type=kind)
    response.set_etag(etag)
    response.last_modified = changed
    response.headers["Cache-Control"] = "no-cache"
    return response


def _articles_title(filters: Filters, sort: str) -> str:
    if filters.search:
        return f"Search: {filters.search}"
    if filters.author:
        return f"Articles by {filters.author}"
    if filters.language:
        return f"Articles in {filters.language}"
    return "Newest" if sort == "added" else "Articles"


def _articles_count(count: int) -> str:
    return f"{count:,} article{'s' if count != 1 else ''}"


def _plain(status: int, message: str, retry_after: int | None = None) -> Response:
    """An answer an e-reader shows, or saves, as what it is: words, never a page posing as the book."""
    response = Response(in_library(message) + "\n", status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


@blueprint.errorhandler(JobPending)
def pending(error: JobPending):
    return _plain(503, f"{error.what}; ask again in {RETRY_SECONDS} seconds.", RETRY_SECONDS)


@blueprint.errorhandler(HTTPException)
def http_error(error: HTTPException):
    status = error.code or (error.response.status_code if error.response is not None else 500)
    message = error.description or f"This cannot be served ({status}); open it in Pressroom's web pages to see why."
    response = _plain(status, message)
    for name, value in error.get_headers():  # a 401's challenge, a 429's or 503's Retry-After
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


@blueprint.errorhandler(PressroomError)
def pressroom_error(error: PressroomError):
    return _plain(422, str(error))
