"""The Markdown edition: the article as the Markdown reader reads it back, with an images folder beside it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..articles import Publication
from .base import Edition, EditionFile, Exporter
from .pagination import PageList


class MarkdownExporter(Exporter):
    name = "md"
    label = "Markdown"
    media_type = "text/markdown; charset=utf-8"
    extension = "md"

    def export(self, article: Publication, settings: Mapping[str, Any], pages: PageList | None = None) -> Edition:
        from ..articles.markdown_writer import markdown_files

        return Edition(tuple(EditionFile(name, data, media_type) for name, data, media_type in markdown_files(article)))

    def planned_files(self, article: Publication) -> dict[str, str]:
        from ..articles.markdown_writer import image_names

        images = image_names(article)
        return {f"{article.slug}.{self.extension}": self.media_type,
                **{images[asset.href]: asset.media_type for asset in article.assets}}
