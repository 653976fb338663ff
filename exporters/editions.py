"""Facts every edition states the same way: its date, its identifier, its colophon."""

from __future__ import annotations

import datetime
import os
import uuid

from ..articles import Article
from .words import words_for

# The date of an article with none, when SOURCE_DATE_EPOCH is not set either: fixed, never "now",
# so that the same input always gives the same bytes.
FALLBACK_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
IDENTIFIER_NAMESPACE = uuid.UUID("8f1d8a4e-5a3c-4e57-9d0e-70726573726f")


def edition_date(article: Article) -> datetime.datetime:
    """When this edition was made: the article's date, else SOURCE_DATE_EPOCH, else a fixed date."""
    if article.metadata.date is not None:
        date = article.metadata.date
        return datetime.datetime(date.year, date.month, date.day, tzinfo=datetime.timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc)
    return FALLBACK_DATE


def edition_identifier(article: Article) -> str:
    """The identifier from the front matter, else a UUID derived from the slug and title.

    It survives rebuilds and corrections of the text; a new title makes a new book.
    """
    if article.metadata.identifier:
        return article.metadata.identifier
    name = f"{article.slug}\n{article.title}"
    return f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, name)}"


def cover_alt_text(article: Article) -> str:
    """What the cover shows, for readers who cannot see it, in the article's language."""
    meta = article.metadata
    words = words_for(meta.language)
    if meta.authors:
        return words.say("cover_of_by", title=meta.title, authors=words.names([author.name for author in meta.authors]))
    return words.say("cover_of", title=meta.title)
