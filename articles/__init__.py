"""The article model, its readers and the content library; knows nothing of any output format.

Names are imported from their modules on first use, so that a command pays only for what it uses
(reading a text file needs neither the web importer nor the YAML of a book's manifest)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from ..errors import ContentError, PressroomError
from .model import Article, Asset, Author, Footnote, Metadata, Section
from .publication import Publication

_LAZY = {
    "Book": ".books.book",
    "Chapter": ".books.book",
    "Part": ".books.book",
    "Library": ".library.folder",
    "book_of_sources": ".books.manifest",
    "read_book": ".books.manifest",
    "read_article": ".readers.sources",
    "read_article_bytes": ".readers.sources",
    "UploadedFile": ".library.uploads",
}

if TYPE_CHECKING:
    from .books.book import Book, Chapter, Part
    from .books.manifest import book_of_sources, read_book
    from .library.folder import Library
    from .library.uploads import UploadedFile
    from .readers.sources import read_article, read_article_bytes


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "Article",
    "Asset",
    "Author",
    "Book",
    "Chapter",
    "ContentError",
    "Footnote",
    "Library",
    "Metadata",
    "Part",
    "PressroomError",
    "Publication",
    "Section",
    "UploadedFile",
    "book_of_sources",
    "read_article",
    "read_article_bytes",
    "read_book",
]
