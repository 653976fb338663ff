"""The article model, its readers and the content library; knows nothing of any output format."""

from .errors import ContentError, PressroomError
from .library import Library
from .model import Article, Asset, Author, Footnote, Metadata, Section
from .readers import read_article, read_article_bytes

__all__ = [
    "Article",
    "Asset",
    "Author",
    "ContentError",
    "Footnote",
    "Library",
    "Metadata",
    "PressroomError",
    "Section",
    "read_article",
    "read_article_bytes",
]
