"""The Markdown edition: the article as the Markdown reader reads it back, with an images folder beside it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..articles import Article
from ..articles.markdown_writer import MARKDOWN_MEDIA_TYPE, markdown_files
from .base import Edition, EditionFile, Exporter
from .pagination import PageList


class MarkdownExporter(Exporter):
    name = "md"
    label = "Markdown"
    media_type = MARKDOWN_MEDIA_TYPE
    extension = "md"

    def export(self, article: Article, settings: Mapping[str, Any], pages: PageList | None = None) -> Edition:
        return Edition(tuple(EditionFile(name, data, media_type) for name, data, media_type in markdown_files(article)))
