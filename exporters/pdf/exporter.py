"""The PDF edition's exporter: its options and what it offers; the layout is imported when a PDF is made."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ...articles import Publication
from ..base import Edition, EditionFile, Exporter, Finding, Option, View
from ..pagination import PageList

# WeasyPrint lays out about a thousand table cells in 2-5 s on a loaded 2-core machine, and more as a
# table grows (12,000 cells took 32 s, 60,000 more than 60 s): past this many in one article the
# export is refused before layout, well inside the export limit. EPUB and HTML make 60,000 in a second.
MAX_TABLE_CELLS = 6_000
_TABLE_CELL = re.compile(r"<t[dh][\s>/]")
PAGE_SIZES = {"a4": "A4", "letter": "US Letter", "a5": "A5", "6x9": "6 × 9 in"}
WARM_UP_ARTICLE = """# Warming up

Plain, *italic*, **bold** and `code` text, hyphenated and justified across lines long enough to
need it.[^1]

## A section

[^1]: A note.
"""
PDF_VARIANTS = {
    "pdf/ua-1": "Tagged (PDF/UA-1)",
    "pdf/a-2b": "Archival (PDF/A-2b)",
    "pdf/a-3b": "Archival (PDF/A-3b)",
}


class PdfExporter(Exporter):
    name = "pdf"
    label = "PDF"
    media_type = "application/pdf"
    extension = "pdf"
    options = (
        Option("page_size", "Page size", "a4", PAGE_SIZES, "The printed page: A4 and US Letter for "
               "desks, A5 and 6 × 9 in for books (the text opens on a right-hand page)."),
        Option("pdf_variant", "PDF", "pdf/ua-1", PDF_VARIANTS, "Tagged for screen readers, or archival "
               "(tagged too)."),
        Option("cover", "Cover", True, help="Open the edition with a cover."),
    )
    pagination_options = ("page_size",)
    preview_label = "PDF pages"
    preview_kind = "image"
    check_label = "Check the PDF"

    def prepare(self, many: bool = False) -> None:
        """Import WeasyPrint now, not on first use.

        `many`, worth it where many workers are forked from this process, also parses the fonts and the
        stylesheets of every page size, and lays out and writes a small article, which fills
        WeasyPrint's and Pango's caches (fonts, shaping, hyphenation). One export parses its own size only.
        """
        from .engine import import_weasyprint

        import_weasyprint()
        if many:
            from ...articles import read_article_bytes
            from .layout import PAGE_GEOMETRY, stylesheets

            for page_size in PAGE_GEOMETRY:
                stylesheets(page_size)
            self.export(read_article_bytes(Path("warm-up.md"), WARM_UP_ARTICLE.encode()), self.settings({}))

    def export(self, article: Publication, settings: Mapping[str, Any], pages: PageList | None = None) -> Edition:
        from ..typefaces import missing_characters_warning
        from .labels import label_pages, printed_labels
        from .layout import PAGE_GEOMETRY, document_id, laid_out

        document, root = laid_out(article, settings)
        data = document.write_pdf(
            pdf_variant=settings["pdf_variant"],
            pdf_tags=True,  # archival variants are tagged too, not only PDF/UA
            pdf_identifier=document_id(article, settings),
            finisher=label_pages,
        )
        page_types = [page._page_box.page_type for page in document.pages]
        facing = PAGE_GEOMETRY[settings["page_size"]].mirrored
        views = tuple(View(str(number), f"Page {number}", label, page_type.side if facing else None)
                      for number, (label, page_type) in enumerate(
                          zip(printed_labels([page_type.name for page_type in page_types]), page_types), start=1))
        warning = missing_characters_warning(article)
        return Edition((EditionFile(f"{article.slug}.pdf", data, self.media_type),), views,
                       self._page_list(document, root, settings), warnings=(warning,) if warning else ())

    def refusal(self, publication: Publication) -> str | None:
        cells = {section: sum(len(_TABLE_CELL.findall(html)) for html in
                              (section.html, *(note.html for note in section.footnotes)))
                 for section in publication.sections}
        total = sum(cells.values())
        if total <= MAX_TABLE_CELLS:
            return None
        largest = max(cells, key=cells.get)
        where = f"the section “{largest.title}”" if largest.titled else "its opening"
        return (f"its tables have {total:,} cells ({cells[largest]:,} in {where}), and Pressroom lays out at most "
                f"{MAX_TABLE_CELLS:,} table cells in pages; split the table into several articles, or export "
                "it as EPUB or HTML (without the page numbers of the PDF)")

    def paginate(self, article: Publication, settings: Mapping[str, Any]) -> PageList:
        from .layout import laid_out

        document, root = laid_out(article, settings)
        return self._page_list(document, root, settings)

    def check(self, edition: Edition) -> list[Finding]:
        from .check import check_pdf

        return check_pdf(edition.main.data)

    def preview_file(self, edition: Edition, name: str, query: Mapping[str, str]) -> tuple[bytes, str] | None:
        from .preview import page_png

        if not name.isdigit() or not 1 <= int(name) <= len(edition.views):
            return None
        return page_png(edition.main.data, int(name), large=query.get("size") == "large"), "image/png"

    def _page_list(self, document, root, settings: Mapping[str, Any]) -> PageList:
        from .pages import page_starts

        size = settings["page_size"]
        return PageList(f"pdf-{size}", f"the {PAGE_SIZES[size]} PDF edition", page_starts(document, root))
