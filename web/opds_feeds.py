"""OPDS 1.2 catalogue documents built with lxml: Atom feeds of navigation and acquisition entries, and
the OpenSearch description; every value the library holds goes in as text, never as markup."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from lxml import etree

from ..articles.content.characters import NOT_HELD

ATOM = "http://www.w3.org/2005/Atom"
OPDS = "http://opds-spec.org/2010/catalog"
DCTERMS = "http://purl.org/dc/terms/"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
NAMESPACES = {None: ATOM, "opds": OPDS, "dcterms": DCTERMS, "opensearch": OPENSEARCH}
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"
ACQUIRE = "http://opds-spec.org/acquisition"
IMAGE = "http://opds-spec.org/image"
THUMBNAIL = "http://opds-spec.org/image/thumbnail"
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class Link:
    """An atom:link: where it goes, how it relates, its media type, and (for a file) its title and length."""

    href: str
    rel: str | None = None
    type: str | None = None
    title: str | None = None
    length: int | None = None


@dataclass(frozen=True)
class Entry:
    """An atom:entry: a publication (authors, language, dates, summary, subjects, its editions' links) or
    a way into another feed (its `content` says what is there)."""

    id: str
    title: str
    updated: datetime.datetime
    links: tuple[Link, ...]
    authors: tuple[str, ...] = ()
    language: str = ""
    issued: datetime.date | None = None
    summary: str = ""
    subjects: tuple[str, ...] = ()
    content: str = ""


@dataclass(frozen=True)
class Paging:
    """Where a page of an acquisition feed stands: how many entries match, from which, how many a page."""

    total: int
    start: int
    per_page: int


def feed_document(feed_id: str, title: str, updated: datetime.datetime, links: list[Link], entries: list[Entry],
                  paging: Paging | None = None) -> bytes:
    """The feed as UTF-8 XML."""
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap=NAMESPACES)
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    _text(feed, "updated", _timestamp(updated))
    author = etree.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "Pressroom")
    for link in links:
        _link(feed, link)
    if paging is not None:
        for name, value in (("totalResults", paging.total), ("startIndex", paging.start),
                            ("itemsPerPage", paging.per_page)):
            etree.SubElement(feed, f"{{{OPENSEARCH}}}{name}").text = str(value)
    for entry in entries:
        _entry(feed, entry)
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8")


def _entry(feed: etree._Element, entry: Entry) -> None:
    element = etree.SubElement(feed, f"{{{ATOM}}}entry")
    _text(element, "title", entry.title)
    _text(element, "id", entry.id)
    _text(element, "updated", _timestamp(entry.updated))
    for name in entry.authors:
        _text(etree.SubElement(element, f"{{{ATOM}}}author"), "name", name)
    if entry.language and _LANGUAGE_TAG.fullmatch(entry.language):
        etree.SubElement(element, f"{{{DCTERMS}}}language").text = entry.language
    if entry.issued is not None:
        etree.SubElement(element, f"{{{DCTERMS}}}issued").text = entry.issued.isoformat()
    for subject in entry.subjects:
        category = etree.SubElement(element, f"{{{ATOM}}}category")
        category.set("term", _clean(subject))
        category.set("label", _clean(subject))
    if entry.summary:
        _text(element, "summary", entry.summary).set("type", "text")
    if entry.content:
        _text(element, "content", entry.content).set("type", "text")
    for link in entry.links:
        _link(element, link)


def opensearch_document(short_name: str, description: str, template: str) -> bytes:
    """An OpenSearch 1.1 description whose one URL template answers with an acquisition feed."""
    root = etree.Element(f"{{{OPENSEARCH}}}OpenSearchDescription", nsmap={None: OPENSEARCH})
    for name, value in (("ShortName", short_name), ("Description", description), ("InputEncoding", "UTF-8"),
                        ("OutputEncoding", "UTF-8")):
        etree.SubElement(root, f"{{{OPENSEARCH}}}{name}").text = _clean(value)
    url = etree.SubElement(root, f"{{{OPENSEARCH}}}Url")
    url.set("type", ACQUISITION)
    url.set("template", template)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _text(parent: etree._Element, name: str, value: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = _clean(value)
    return element


def _link(parent: etree._Element, link: Link) -> None:
    element = etree.SubElement(parent, f"{{{ATOM}}}link")
    for name, value in (("rel", link.rel), ("href", link.href), ("type", link.type), ("title", link.title)):
        if value is not None:
            element.set(name, _clean(value))
    if link.length is not None:
        element.set("length", str(link.length))


def _timestamp(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _clean(value: str) -> str:
    """Without what no edition holds (XML 1.0 cannot hold some): one such title would spoil the whole feed."""
    return NOT_HELD.sub("", value)
