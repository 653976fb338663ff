"""The PDF edition: the print layout (cover, title page, contents, body, colophon) by WeasyPrint."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from articles import Article
from exporters.base import ExportFailed, Exporter, ExportOptions
from exporters.editions import edition_date
from exporters.rendering import TEMPLATES_DIR, read_template_file, render

# CSS page size and margins (top, outer, bottom, inner); book sizes mirror inner and outer.
PAGE_GEOMETRY = {
    "a4": ("210mm 297mm", "22mm", "24mm", "26mm", "24mm", False),
    "letter": ("8.5in 11in", "0.9in", "0.95in", "1in", "0.95in", False),
    "a5": ("148mm 210mm", "15mm", "14mm", "19mm", "19mm", True),
    "6x9": ("6in 9in", "0.6in", "0.55in", "0.75in", "0.75in", True),
}


class PdfExporter(Exporter):
    name = "pdf"
    label = "PDF"
    media_type = "application/pdf"
    extension = "pdf"

    def export(self, article: Article, options: ExportOptions) -> bytes:
        from weasyprint import HTML

        from exporters.fetcher import ArticleURLFetcher

        fetcher = ArticleURLFetcher(frozenset(asset.path for asset in article.assets))
        document = render("pdf/book.html.jinja", article=article, sections=article.sections,
                          heading_level=2, epub=False, options=options, date=edition_date(article))
        base_url = article.source_path.parent.resolve().as_uri() + "/"
        try:
            html = HTML(string=document, base_url=base_url, url_fetcher=fetcher)
            return html.write_pdf(
                stylesheets=list(_stylesheets(options.page_size)),
                font_config=_font_config(),
                pdf_variant=options.pdf_variant,
                pdf_tags=True,  # archival variants are tagged too, not only PDF/UA
                pdf_identifier=hashlib.sha256(f"{article.digest}:{options}".encode()).hexdigest()[:32].encode(),
                uncompressed_pdf=False,
            )
        except (RecursionError, MemoryError, OverflowError) as error:
            raise ExportFailed(article, "PDF", f"the layout engine gave up ({type(error).__name__})") from None


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=len(PAGE_GEOMETRY))
def _stylesheets(page_size: str):
    """The print stylesheet and the page geometry, parsed once per size and kept across exports."""
    from weasyprint import CSS

    from exporters.fetcher import ArticleURLFetcher

    size, top, outer, bottom, inner, mirrored = PAGE_GEOMETRY[page_size]
    if mirrored:
        # A book opens its text on a right-hand page.
        margins = (f"@page :right {{ margin: {top} {outer} {bottom} {inner}; }}\n"
                   f"@page :left {{ margin: {top} {inner} {bottom} {outer}; }}\n"
                   ".body-matter { break-before: right; }")
    else:
        margins = f"@page {{ margin: {top} {outer} {bottom} {inner}; }}"
    geometry = f"@page {{ size: {size}; }}\n{margins}\n@page cover {{ margin: 0; }}"
    base_url = (TEMPLATES_DIR / "pdf").as_uri() + "/"
    fetcher = ArticleURLFetcher()
    return (CSS(string=read_template_file("pdf/print.css"), base_url=base_url, url_fetcher=fetcher,
                font_config=_font_config()),
            CSS(string=geometry, base_url=base_url, url_fetcher=fetcher, font_config=_font_config()))
