"""A feed fetched through the guarded fetcher and parsed from its bytes by feedparser (which never
fetches anything itself): its items, bounded, with what each says of itself."""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass

from ..articles.webimport.fetching import FetchError, Fetcher
from ..errors import PressroomError
from .definition import MAX_ITEMS_PER_FEED, Feed

MAX_FEED_BYTES = 10 * 1024 * 1024
FEED_TYPES = "application/rss+xml,application/atom+xml,application/rdf+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
# A feed that declares entities (or a DTD with an internal subset) is refused before any parser sees
# it: an entity bomb expands a few kilobytes into gigabytes, an external entity reads files.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*>", re.IGNORECASE)
_ADDRESS_AND_NAME = re.compile(r"^[^\s()]+@[^\s()]+\s*\((.+)\)$")
_ADDRESS_ONLY = re.compile(r"^[^\s()]+@[^\s()]+$")
_WIDE_ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


class FeedUnavailable(PressroomError):
    """A feed that could not be fetched, or is not a feed Pressroom reads: the issue is made without it."""


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed as the feed gives it: its key (entry id, else link), title, link, authors,
    date, categories, and its own text (the full content when the feed gives it, else the summary)."""

    key: str
    title: str
    link: str | None
    authors: tuple[str, ...]
    date: datetime.date | None
    categories: tuple[str, ...]
    content_html: str
    is_full_content: bool


def fetch_feed(feed: Feed, fetcher: Fetcher) -> list[FeedItem]:
    """The items of `feed`, newest first as the feed lists them, at most `feed.items`; FeedUnavailable
    saying why when it cannot be fetched or read."""
    try:
        fetched = fetcher.fetch(feed.url, MAX_FEED_BYTES, accept=FEED_TYPES)
    except FetchError as error:
        raise FeedUnavailable(str(error)) from None
    return parse_feed(feed, fetched.url, fetched.data)


def parse_feed(feed: Feed, url: str, data: bytes) -> list[FeedItem]:
    """The items of the feed whose bytes are `data` (fetched from `url`), bounded by `feed.items`."""
    import feedparser

    if _declares_entities(data):
        raise FeedUnavailable(f"{url}: refused: the feed declares XML entities (a DTD), which Pressroom does not "
                              "expand; ask its publisher for a plain RSS or Atom feed")
    data = _DOCTYPE.sub(b"", data, count=1)  # an RSS 0.91 DOCTYPE names a DTD no one should fetch
    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": url},
                              resolve_relative_uris=True, sanitize_html=True)
    if not parsed.get("version") or not parsed.entries and parsed.get("bozo"):
        reason = parsed.get("bozo_exception")
        raise FeedUnavailable(f"{url}: not an RSS or Atom feed" + (f" ({str(reason)[:200]})" if reason else ""))
    items, keys = [], set()
    for entry in parsed.entries[:min(feed.items, MAX_ITEMS_PER_FEED) * 2]:
        item = _item(entry)
        if item is None or item.key in keys:
            continue
        keys.add(item.key)
        items.append(item)
        if len(items) == min(feed.items, MAX_ITEMS_PER_FEED):
            break
    return items


def _declares_entities(data: bytes) -> bool:
    """Whether the feed declares entities, in whatever encoding its bytes are (UTF-16 and UTF-32 hide
    a declaration from a search of the bytes)."""
    if _ENTITY_DECLARATION.search(data):
        return True
    if b"\x00" not in data[:256]:
        return False
    for encoding in _WIDE_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _ENTITY_DECLARATION.search(text.encode("utf-8", "replace")):
            return True
    return False


def _authors(entry) -> tuple[str, ...]:
    """The names the item credits: RSS writes "address (Name)", which feedparser splits badly; an
    address alone names no one."""
    raw = " ".join((entry.get("author") or "").split())
    written = _ADDRESS_AND_NAME.match(raw)
    if written:
        return (written.group(1).strip(),)
    names = [" ".join((author.get("name") or "").split()) for author in entry.get("authors", [])
             if len(entry.get("authors", [])) > 1] or [raw]
    return tuple(dict.fromkeys(name for name in names if name and not _ADDRESS_ONLY.match(name)))


def _item(entry) -> FeedItem | None:
    link = entry.get("link") or None
    if link and not link.lower().startswith(("http://", "https://")):
        link = None
    key = (entry.get("id") or "").strip() or link
    if not key:
        return None
    contents = [part.get("value", "") for part in entry.get("content", []) if part.get("value")]
    summary = entry.get("summary", "") or ""
    authors = _authors(entry)
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    date = datetime.date(when.tm_year, when.tm_mon, when.tm_mday) if when else None
    categories = tuple(dict.fromkeys(term for term in (
        (tag.get("term") or "").strip() for tag in entry.get("tags", [])) if term))
    title = " ".join((entry.get("title") or "").split()) or (link or key)
    return FeedItem(key=key[:2000], title=title[:500], link=link, authors=authors[:20], date=date,
                    categories=categories[:20], content_html=contents[0] if contents else summary,
                    is_full_content=bool(contents))
