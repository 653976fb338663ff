"""A feed item made an article of the library: its page imported through the web import, or the
feed's own text when the periodical says so or the page cannot be imported (then marked as such)."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

from ..articles.library.folder import Library
from ..articles.model import Article, Author
from ..articles.readers.sources import fetch_page, read_article_bytes, read_fetched_page
from ..articles.content.section_ids import slugify
from ..articles.webimport.adding import add_read_page
from ..articles.webimport.fetching import Fetcher
from ..articles.webimport.page_reader import HtmlReader
from ..errors import PressroomError
from .definition import Feed
from .feeds import FeedItem

FROM_THE_SUMMARY = "From the feed's summary"
PAGE_FAILED = "From the feed’s summary: its page could not be imported"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|blockquote|pre)\s*>|<br\s*/?>", re.IGNORECASE)


class ItemLeftOut(PressroomError):
    """An item that could become no article at all: neither its page nor the feed's text could be read."""


def import_item(library: Library, feed: Feed, item: FeedItem, allowed_hosts: tuple[str, ...]) -> tuple[Article, str | None]:
    """The article `item` became, stored in `library`, and the reason its page was not used, if it was not."""
    page_problem = None
    if feed.content == "page" and item.link:
        fetcher = Fetcher(allowed_hosts)  # one import: the page and its images, under one deadline
        try:
            page = fetch_page(item.link, fetcher)
            article = _with_feed_facts(read_fetched_page(page, fetcher), item, subtitle=None)
            return add_read_page(library, article, page.data, page.url), None
        except PressroomError as error:
            page_problem = str(error)
    elif feed.content == "page":
        page_problem = "the item links to no web page"
    marking = PAGE_FAILED if page_problem else (None if item.is_full_content else FROM_THE_SUMMARY)
    return _from_feed_text(library, feed, item, marking, allowed_hosts), page_problem


def _from_feed_text(library: Library, feed: Feed, item: FeedItem, marking: str | None,
                    allowed_hosts: tuple[str, ...]) -> Article:
    """The article of the feed's own text for `item`: read as a web page (its images fetched like a
    page's), else, when too short for that, as its plain paragraphs."""
    page = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(item.title)}</title></head>'
            f'<body><article><h1>{html.escape(item.title)}</h1>{item.content_html}</article></body></html>').encode()
    name = f"{slugify(item.title)[:60].rstrip('-') or 'item'}"
    address = item.link or feed.url
    try:
        article = read_article_bytes(Path(f"{name}.html"), page,
                                     reader=HtmlReader(url=address, fetcher=Fetcher(allowed_hosts)))
    except PressroomError:
        article = read_article_bytes(Path(f"{name}.md"), _plain_markdown(item))
    article = _with_feed_facts(article, item, subtitle=marking)
    return add_read_page(library, article, page, address)


def _plain_markdown(item: FeedItem) -> bytes:
    """The item's text as Markdown paragraphs, every character that Markdown reads as markup escaped."""
    text = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n\n", item.content_html)))
    paragraphs = [" ".join(part.split()) for part in text.split("\n\n")]
    body = "\n\n".join(_MARKDOWN_SPECIAL.sub(r"\\\1", part) for part in paragraphs if part)
    title = _MARKDOWN_SPECIAL.sub(r"\\\1", item.title)
    return f"# {title}\n\n{body or title}\n".encode()


def _with_feed_facts(article: Article, item: FeedItem, subtitle: str | None) -> Article:
    """`article` keeping what the feed says of the item (its authors, date and link, the feed's
    categories), where the page itself said nothing of them; marked with `subtitle` when given."""
    meta = article.metadata
    changes = {
        "title": item.title if subtitle or not meta.title else meta.title,
        "authors": meta.authors or tuple(Author(name) for name in item.authors),
        "date": meta.date or item.date,
        "source_url": item.link or meta.source_url,
        "subjects": tuple(dict.fromkeys((*meta.subjects, *item.categories))),
    }
    if subtitle:
        changes["subtitle"] = subtitle
    return dataclasses.replace(article, metadata=dataclasses.replace(meta, **changes))
