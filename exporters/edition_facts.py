"""Facts every edition states the same way: its identifier, its cover's description."""

from __future__ import annotations

import uuid

from ..articles import Publication
from .words import words_for

IDENTIFIER_NAMESPACE = uuid.UUID("8f1d8a4e-5a3c-4e57-9d0e-70726573726f")


def edition_identifier(article: Publication) -> str:
    """The identifier from the front matter, else a UUID derived from the slug and title.

    It survives rebuilds and corrections of the text; a new title makes a new book.
    """
    if article.metadata.identifier:
        return article.metadata.identifier
    name = f"{article.slug}\n{article.title}"
    return f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, name)}"


def cover_alt_text(article: Publication) -> str:
    """What the cover shows, for readers who cannot see it, in the article's language."""
    meta = article.metadata
    words = words_for(meta.language)
    if article.credited:
        return words.say("cover_of_by", title=meta.title, authors=words.names([author.name for author in article.credited]))
    return words.say("cover_of", title=meta.title)
