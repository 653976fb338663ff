"""The PDF edition's layout: its HTML and CSS (cover, title page, contents, body, colophon) set by WeasyPrint."""

from __future__ import annotations

import atexit
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ...articles import Publication
from ..base import ExportFailed
from ..edition_facts import cover_alt_text
from ..rendering import TEMPLATES_DIR, read_template_file, render
from ..typefaces import faces_for
from ..xhtml import edition_ids, image_addresses
from .figures import fill_pages_before_figures
from .front_matter import FrontMatter, contents_on_one_page, front_matter
from .notes import keep_notes_on_their_page

IN_MEMORY = "pressroom-memory:"  # the article's images, served by the resource fetcher

@dataclass(frozen=True)
class PageGeometry:
    """A page size in inches, its margins as CSS lengths (top, outer, bottom, inner) and the size of
    its text in points, chosen together so that a line holds 60-75 characters."""

    width: float
    height: float
    margins: tuple[str, str, str, str]
    mirrored: bool  # book sizes: inner and outer margins swap on left-hand pages
    font_size: float


# Desk sizes keep a book's measure on a wide sheet (wide margins for notes); book sizes are set a
# little smaller with the binding margin inside.
PAGE_GEOMETRY = {
    "a4": PageGeometry(210 / 25.4, 297 / 25.4, ("25mm", "42mm", "28mm", "42mm"), False, 11),
    "letter": PageGeometry(8.5, 11, ("0.95in", "1.75in", "1.05in", "1.75in"), False, 11),
    "a5": PageGeometry(148 / 25.4, 210 / 25.4, ("15mm", "16mm", "19mm", "19mm"), True, 10),
    "6x9": PageGeometry(6, 9, ("0.6in", "0.6in", "0.75in", "0.75in"), True, 10.5),
}


def laid_out(article: Publication, settings: Mapping[str, Any]):
    """The laid-out WeasyPrint document (pages and boxes) and the HTML tree it was made from."""
    from .openings import drop_running_heads_on_openings

    front = front_matter(article)
    laid_out, root = _laid_out(article, settings, front)
    if front.contents and not article.chapters and contents_on_one_page(
            laid_out, [section.id for section in edition_ids(article).sections if section.titled]):
        front = front_matter(article, contents=False)
        laid_out, root = _laid_out(article, settings, front)
    drop_running_heads_on_openings(laid_out)
    return laid_out, root

def _laid_out(article: Publication, settings: Mapping[str, Any], front: FrontMatter):
    """The document laid out with the front matter `front`, its notes on their pages, no page left
    part empty by a figure the text after it could have preceded, and the HTML tree it was made from."""
    from weasyprint import CSS, HTML

    from .fetcher import ArticleURLFetcher
    from .hyphenation import load_patterns

    source = print_source(article, settings, front)
    in_memory = {IN_MEMORY + asset.href: (asset.media_type, asset.read_bytes()) for asset in article.assets}
    fetcher = ArticleURLFetcher(in_memory=in_memory)
    load_patterns([article.metadata.language, *(chapter.language for chapter in article.chapters)])
    html = HTML(string=source.html, base_url=source.base_url, url_fetcher=fetcher)

    def render(extra_css: str):
        extra = [CSS(string=extra_css, font_config=_font_config())] if extra_css else []
        return html.render(stylesheets=[*stylesheets(settings["page_size"]),
                                        _typeface_stylesheet(article.metadata.language), *extra],
                           font_config=_font_config(), pdf_tags=True)

    try:
        laid_out = fill_pages_before_figures(lambda: keep_notes_on_their_page(render, html.etree_element),
                                             html.etree_element)
    except (RecursionError, MemoryError, OverflowError) as error:
        raise ExportFailed(article, "PDF", f"the layout engine gave up ({type(error).__name__})") from None
    return laid_out, html.etree_element


@dataclass(frozen=True)
class PrintSource:
    """What WeasyPrint lays out: the HTML (its relative addresses against `base_url`) and the
    stylesheets, as (CSS text, base URL), in cascade order."""

    html: str
    base_url: str
    stylesheets: tuple[tuple[str, str | None], ...]


def print_source(article: Publication, settings: Mapping[str, Any], front: FrontMatter | None = None) -> PrintSource:
    """The print edition's HTML and CSS, as the layout engine gets them (the benchmark lays the same
    source out with WeasyPrint alone); `front`: its front matter, by default as `front_matter` picks it."""
    language = article.metadata.language
    html, base_url = print_html(article, settings["cover"], front or front_matter(article))
    return PrintSource(html, base_url, (*_stylesheet_sources(settings["page_size"]), (faces_for(language).css(), None)))


def print_html(article: Publication, cover: bool, front: FrontMatter | None = None) -> tuple[str, str]:
    """The print edition's HTML (with its cover page or without, and the front matter `front`, by
    default as `front_matter` picks it) and the base URL of its addresses."""
    front = front or front_matter(article)
    article = edition_ids(article)

    # Images by an address made of the name the article gives them, which the fetcher serves from
    # memory: the PDF names each image after its address, so a file's place on disk (a queue worker's
    # scratch folder) must not be in it.
    def address(href: str) -> str:
        return IN_MEMORY + href if article.asset(href) is not None else href

    language = article.metadata.language
    # The generated cover is drawn by the stylesheet (text and shapes); a front-matter cover is an image.
    cover_src = address(article.metadata.cover) if article.metadata.cover else None
    html = render("pdf/book.html.jinja", image_addresses(address), article=article, sections=article.sections,
                  heading_level=2, epub=False, note_call="pdf/note-call.html.jinja", notes_at_foot=True,
                  date=article.edition_date, cover=cover, cover_src=cover_src, front=front,
                  cover_alt=cover_alt_text(article), typefaces=faces_for(language).families)
    return html, article.source_path.parent.resolve().as_uri() + "/"


def document_id(article: Publication, settings: Mapping[str, Any]) -> bytes:
    """The PDF's identifier: the article's content and the options the PDF reads, nothing else."""
    chosen = ";".join(f"{name}={settings[name]}" for name in sorted(settings))
    return hashlib.sha256(f"{article.digest}:{chosen}".encode()).hexdigest()[:32].encode()


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    # Let it go while the interpreter is whole: its finaliser fails during shutdown otherwise.
    atexit.register(stylesheets.cache_clear)
    atexit.register(_typeface_stylesheet.cache_clear)
    atexit.register(_font_config.cache_clear)
    return FontConfiguration()


@lru_cache(maxsize=len(PAGE_GEOMETRY))
def stylesheets(page_size: str):
    """The print stylesheet and the page geometry, parsed once per size and kept across exports."""
    from weasyprint import CSS

    from .fetcher import ArticleURLFetcher

    fetcher = ArticleURLFetcher()
    return tuple(CSS(string=text, base_url=base_url, url_fetcher=fetcher, font_config=_font_config())
                 for text, base_url in _stylesheet_sources(page_size))


def _stylesheet_sources(page_size: str) -> tuple[tuple[str, str], ...]:
    """(CSS text, base URL) of the print stylesheet and of the page geometry of `page_size`."""
    geometry = PAGE_GEOMETRY[page_size]
    top, outer, bottom, inner = geometry.margins
    if geometry.mirrored:
        # A book opens its title page, contents and text each on a recto (the right-hand page of a
        # left-to-right book, the left-hand one of a right-to-left book); the cover is page 1.
        margins = (f"@page :right {{ margin: {top} {outer} {bottom} {inner}; }}\n"
                   f"@page :left {{ margin: {top} {inner} {bottom} {outer}; }}\n"
                   ".title-page, .toc, .body-matter, .part, .chapter, .back-matter { break-before: recto; }")
    else:
        margins = f"@page {{ margin: {top} {outer} {bottom} {inner}; }}"
    width, height = geometry.width, geometry.height
    size = f"{width}in {height}in"
    # The cover fills its page; its text is laid out in proportion to it, as on the e-book's raster cover.
    cover = (f"@page cover {{ margin: 0; }}\n"
             f".cover img {{ width: {width}in; height: {height}in; }}\n"
             f".cover-art {{ height: {height}in; padding: {height * 0.30:.3f}in {width * 0.12:.3f}in 0; "
             f"font-size: {width * 72 * 0.085:.1f}pt; }}")
    page = f"@page {{ size: {size}; }}\n{margins}\n{cover}\nhtml {{ font-size: {geometry.font_size}pt; }}"
    base_url = (TEMPLATES_DIR / "pdf").as_uri() + "/"
    return (read_template_file("pdf/print.css"), base_url), (page, base_url)


@lru_cache(maxsize=32)
def _typeface_stylesheet(language: str):
    """The font stacks the language is set in (its own script's face first, the bundled ones after)."""
    from weasyprint import CSS

    return CSS(string=faces_for(language).css(), font_config=_font_config())
