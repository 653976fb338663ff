"""The PDF edition: the print layout (cover, title page, contents, body, colophon) by WeasyPrint."""

from __future__ import annotations

import atexit
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html
from markupsafe import Markup, escape

from ..articles import Article
from .base import ExportFailed, Exporter, ExportOptions
from .cover import cover_jpeg
from .editions import cover_alt_text, edition_date
from .pagination import LAYOUTS, PageStart, page_starts
from .rendering import TEMPLATES_DIR, read_template_file, render

GENERATED_COVER_URL = "pressroom-generated:cover.jpg"
COVER_DPI = 200


@dataclass(frozen=True)
class PageGeometry:
    """A page size in inches and its margins as CSS lengths (top, outer, bottom, inner)."""

    width: float
    height: float
    margins: tuple[str, str, str, str]
    mirrored: bool  # book sizes: inner and outer margins swap on left-hand pages


PAGE_GEOMETRY = {
    "a4": PageGeometry(210 / 25.4, 297 / 25.4, ("22mm", "24mm", "26mm", "24mm"), False),
    "letter": PageGeometry(8.5, 11, ("0.9in", "0.95in", "1in", "0.95in"), False),
    "a5": PageGeometry(148 / 25.4, 210 / 25.4, ("15mm", "14mm", "19mm", "19mm"), True),
    "6x9": PageGeometry(6, 9, ("0.6in", "0.55in", "0.75in", "0.75in"), True),
}


class PdfExporter(Exporter):
    name = "pdf"
    label = "PDF"
    media_type = "application/pdf"
    extension = "pdf"

    def prepare(self, options: ExportOptions) -> None:
        warm_up()

    def export(self, article: Article, options: ExportOptions) -> bytes:
        return self.render(article, options).write_pdf(
            pdf_variant=options.pdf_variant,
            pdf_tags=True,  # archival variants are tagged too, not only PDF/UA
            pdf_identifier=hashlib.sha256(f"{article.digest}:{options}".encode()).hexdigest()[:32].encode(),
        )

    def render(self, article: Article, options: ExportOptions):
        """The laid-out WeasyPrint document (pages and boxes), before it is written as PDF."""
        from weasyprint import HTML

        from .fetcher import ArticleURLFetcher

        generated = {}
        cover_src = None
        if options.cover:
            if article.metadata.cover:
                cover_src = article.metadata.cover
            else:
                geometry = PAGE_GEOMETRY[options.page_size]
                size = (round(geometry.width * COVER_DPI), round(geometry.height * COVER_DPI))
                generated[GENERATED_COVER_URL] = ("image/jpeg", cover_jpeg(article, size))
                cover_src = GENERATED_COVER_URL
        fetcher = ArticleURLFetcher(frozenset(asset.path for asset in article.assets), generated)
        document = render("pdf/book.html.jinja", fragment=_footnotes_in_place(article), article=article,
                          sections=article.sections, heading_level=2, epub=False, options=options,
                          date=edition_date(article), cover_src=cover_src, cover_alt=cover_alt_text(article))
        base_url = article.source_path.parent.resolve().as_uri() + "/"
        try:
            html = HTML(string=document, base_url=base_url, url_fetcher=fetcher)
            laid_out = html.render(stylesheets=list(_stylesheets(options.page_size)), font_config=_font_config(),
                                   pdf_tags=True)
        except (RecursionError, MemoryError, OverflowError) as error:
            raise ExportFailed(article, "PDF", f"the layout engine gave up ({type(error).__name__})") from None
        LAYOUTS.put(layout_key(article, options), page_starts(laid_out, html.etree_element))
        return laid_out

    def has_layout(self, article: Article, options: ExportOptions) -> bool:
        """Whether this edition's print layout is at hand (made recently in this process)."""
        return LAYOUTS.get(layout_key(article, options)) is not None

    def page_starts(self, article: Article, options: ExportOptions) -> tuple[PageStart, ...]:
        """Where this edition's printed pages begin: from the last layout of it, else laid out now."""
        starts = LAYOUTS.get(layout_key(article, options))
        if starts is None:
            self.render(article, options)
            starts = LAYOUTS.get(layout_key(article, options))
        return starts


def layout_key(article: Article, options: ExportOptions) -> tuple:
    """What the body pages depend on: the article and the page size (not the cover or the variant)."""
    return (article.digest, options.page_size)


def _footnotes_in_place(article: Article):
    """A fragment filter that puts each note where it is first cited, for `float: footnote`."""
    notes = {note.id: note.html for section in article.sections for note in section.footnotes}

    def fragment(html: str) -> Markup:
        if "doc-noteref" not in html:
            return Markup(html)
        wrapper = lxml_html.fragment_fromstring(html, create_parent="div")
        for link in wrapper.xpath(".//a[@role='doc-noteref']"):
            note_id = link.get("href", "").lstrip("#")
            if note_id not in notes:
                continue  # a later citation of a note already placed stays a plain reference
            citation = link.getparent() if link.getparent().tag == "sup" else link
            note = lxml_html.fragment_fromstring(f"<span>{_inline(notes.pop(note_id))}</span>")
            note.attrib.update({"class": "footnote-body", "id": note_id, "role": "doc-footnote"})
            note.tail = citation.tail
            citation.getparent().replace(citation, note)
        inner = "".join(etree.tostring(child, method="html", encoding="unicode") for child in wrapper)
        return escape(wrapper.text or "") + Markup(inner)

    return fragment


def _inline(html: str) -> str:
    """A note's paragraphs run on as one inline run (a footnote area holds one paragraph)."""
    return html.replace("</p>\n<p>", " ").replace("</p><p>", " ").replace("<p>", "").replace("</p>", "")


WARM_UP_ARTICLE = """# Warming up

Plain, *italic*, **bold** and `code` text, hyphenated and justified across lines long enough to
need it.[^1]

## A section

[^1]: A note.
"""


def warm_up(full: bool = False) -> None:
    """Import WeasyPrint and parse the fonts and stylesheets of every page size now, not on first use.

    `full` also lays out and writes a small article, which fills WeasyPrint's and Pango's caches
    (fonts, shaping, hyphenation): worth it where many workers are forked from this process.
    """
    for page_size in PAGE_GEOMETRY:
        _stylesheets(page_size)
    if full:
        from ..articles import read_article_bytes

        article = read_article_bytes(Path("warm-up.md"), WARM_UP_ARTICLE.encode())
        PdfExporter().export(article, ExportOptions())
        LAYOUTS.clear()


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    # Let it go while the interpreter is whole: its finaliser fails during shutdown otherwise.
    atexit.register(_stylesheets.cache_clear)
    atexit.register(_font_config.cache_clear)
    return FontConfiguration()


@lru_cache(maxsize=len(PAGE_GEOMETRY))
def _stylesheets(page_size: str):
    """The print stylesheet and the page geometry, parsed once per size and kept across exports."""
    from weasyprint import CSS

    from .fetcher import ArticleURLFetcher

    geometry = PAGE_GEOMETRY[page_size]
    top, outer, bottom, inner = geometry.margins
    if geometry.mirrored:
        # A book opens its text on a right-hand page.
        margins = (f"@page :right {{ margin: {top} {outer} {bottom} {inner}; }}\n"
                   f"@page :left {{ margin: {top} {inner} {bottom} {outer}; }}\n"
                   ".body-matter { break-before: right; }")
    else:
        margins = f"@page {{ margin: {top} {outer} {bottom} {inner}; }}"
    size = f"{geometry.width}in {geometry.height}in"
    page = (f"@page {{ size: {size}; }}\n{margins}\n@page cover {{ margin: 0; }}\n"
            f".cover img {{ width: {geometry.width}in; height: {geometry.height}in; }}")
    base_url = (TEMPLATES_DIR / "pdf").as_uri() + "/"
    fetcher = ArticleURLFetcher()
    return (CSS(string=read_template_file("pdf/print.css"), base_url=base_url, url_fetcher=fetcher,
                font_config=_font_config()),
            CSS(string=page, base_url=base_url, url_fetcher=fetcher, font_config=_font_config()))
