"""The article model, its readers and the content library; knows nothing of any output format."""

from .book import Book, Chapter, Part
from .errors import ContentError, PressroomError
from .library import Library
from .manifest import book_of_sources, read_book
from .model import Article, Asset, Author, Footnote, Metadata, Section
from .readers import read_article, read_article_bytes
from .uploads import UploadedFile

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
    "Section",
    "UploadedFile",
    "book_of_sources",
    "read_article",
    "read_article_bytes",
    "read_book",
]
