"""The EPUB 3 edition: its options and capabilities; the package itself is built in `epub_package`
(ebooklib is loaded only when an e-book is made)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from importlib import import_module
from typing import Any

from ...articles import Publication
from ..base import Edition, Exporter, Finding, Option
from ..pagination import PageList


class EpubExporter(Exporter):
    name = "epub"
    label = "EPUB"
    media_type = "application/epub+zip"
    extension = "epub"
    options = (
        Option("cover", "Cover", True, help="Open the edition with a cover."),
        Option("page_list", "Page numbers of the PDF", None,
               help="Mark in the e-book where each page of the PDF edition begins, so that readers can cite "
                    "its pages (costs a print layout)."),
    )
    preview_label = "E-book chapters"
    check_label = "Check the EPUB (EPUBCheck)"

    def wants_pages(self, settings: Mapping[str, Any]) -> bool:
        return bool(settings["page_list"])

    def prepare(self, many: bool = False) -> None:
        import_module(".package", __package__)  # ebooklib, for workers forked from here

    def export(self, article: Publication, settings: Mapping[str, Any], pages: PageList | None = None) -> Edition:
        from .package import make_epub

        return make_epub(article, settings, pages, self.media_type)

    def check(self, edition: Edition) -> list[Finding]:
        from .check import check_epub

        return check_epub(edition.main.data)

    def preview_file(self, edition: Edition, name: str, query: Mapping[str, str]) -> tuple[bytes, str] | None:
        media_type = edition.resources.get(name)
        if media_type is None:
            return None
        return zipfile.ZipFile(io.BytesIO(edition.main.data)).read(f"EPUB/{name}"), media_type
