"""The entries of the OPDS feeds, from the catalogue's index: articles and books with a link to each of
their editions, ways into other feeds, and the links between the pages of a feed."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from flask import url_for

from ..catalogue.library import BookRow, Catalogue
from ..catalogue.search import Hit
from ..exporters import default_formats, load_exporters
from .listing import link
from .opds_feeds import ACQUIRE, IMAGE, THUMBNAIL, Entry, Link
from .pages import in_library


def edition_formats() -> list[str]:
    """The editions a feed offers: every format made when none is named (EPUB, PDF, plug-ins'...)."""
    return default_formats()


def article_entries(catalogue: Catalogue, hits: list[Hit]) -> list[Entry]:
    """An entry per article, with its details read from the index in one go."""
    found = catalogue.details([hit.path for hit in hits])
    entries = []
    for hit in hits:
        details = found.get(hit.path)
        if details is None:  # gone between the listing and now
            continue
        links = [Link(url_for("editions.preview", slug=hit.slug), "alternate", "text/html", "Read on the web")]
        if hit.error is None:
            links += _edition_links(".article_download", hit.slug)
            links += [Link(url_for(".article_cover", slug=hit.slug), IMAGE, "image/png"),
                      Link(url_for(".article_cover", slug=hit.slug, size="thumbnail"), THUMBNAIL, "image/png")]
        summary = hit.subtitle or details.opening
        if hit.error is not None:
            summary = f"This article cannot be read: {in_library(hit.error)}"
        entries.append(Entry(f"urn:pressroom:article:{quote(hit.slug)}", hit.title, details.modified, tuple(links),
                             details.authors, hit.language, hit.published, summary, details.subjects))
    return entries


def book_entries(rows: list[BookRow], updated: datetime.datetime) -> list[Entry]:
    """An entry per book: its editions when it can be made, else why not."""
    entries = []
    for row in rows:
        links = [Link(url_for("book_editions.preview", slug=row.name), "alternate", "text/html", "Read on the web")]
        if row.error is None:
            links += _edition_links(".book_download", row.name)
        parts = [f"{len(row.slugs):,} article{'s' if len(row.slugs) != 1 else ''}"]
        if row.editors:
            parts.append(f"edited by {row.editors}")
        summary = f"This book cannot be made: {in_library(row.error)}" if row.error else ", ".join(parts) + "."
        entries.append(Entry(f"urn:pressroom:book:{quote(row.name)}", row.title, updated, tuple(links),
                             summary=summary))
    return entries


def navigation_entry(key: str, title: str, content: str, href: str, kind: str, updated: datetime.datetime,
                     rel: str = "subsection") -> Entry:
    return Entry(f"urn:pressroom:opds:{key}", title, updated, (Link(href, rel, kind),), content=content)


def paging_links(endpoint: str, page: int, pages: int, kind: str) -> list[Link]:
    """First, previous, next and last, each the same feed with only its page changed."""
    links = [Link(link(endpoint, page=1), "first", kind)]
    if page > 1:
        links.append(Link(link(endpoint, page=page - 1), "previous", kind))
    if page < pages:
        links.append(Link(link(endpoint, page=page + 1), "next", kind))
    links.append(Link(link(endpoint, page=pages), "last", kind))
    return links


def _edition_links(endpoint: str, slug: str) -> list[Link]:
    exporters = load_exporters()
    return [Link(url_for(endpoint, slug=slug, format_name=name), ACQUIRE, exporters[name].media_type,
                 exporters[name].label) for name in edition_formats()]
