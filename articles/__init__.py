"""The article model, its readers and the content library; knows nothing of any output format."""

from .errors import ContentError, PressroomError
from .library import Library
from .model import Article, Asset, Author, Footnote, Metadata, Section
from .readers import read_article, read_article_bytes
from .uploads import UploadedFile

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
    "UploadedFile",
    "read_article",
    "read_article_bytes",
]
