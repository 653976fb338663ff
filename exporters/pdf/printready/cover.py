"""The wrap-around cover for the press: back, spine and front on one page, as wide as two trims and
the spine the page count and paper make, with bleed all round, in the interior's PDF/X."""

from __future__ import annotations

from collections.abc import Mapping

from ....articles import Article
from ...edition_facts import cover_alt_text
from ...rendering import render
from .geometry import (BARCODE, BARCODE_INSET, BLEED, SPINE_TEXT_MARGIN, SPINE_TEXT_PAGES, cover_size,
                       spine_width)
from .interior import PrintJob, press_stylesheets, write_for_press

COVER_URL = "pressroom-memory:front-cover"
SAFE = 0.375  # text keeps this far inside the trim, and the bleed beyond it


def cover_css(job: PrintJob, pages: int, paper: str) -> str:
    """The cover's page and the place of each panel, in inches from the trim's top left corner."""
    trim = job.trim
    width, height = cover_size(trim, pages, paper)
    spine = spine_width(pages, paper)
    front = trim.width + spine
    barcode_width, barcode_height = BARCODE
    # The spine's text runs down the spine (top to bottom, as English books set it), centred in it.
    type_size = min(12.0, max(5.0, (spine - 2 * SPINE_TEXT_MARGIN) * 72 * 0.62))
    return f"""
@page {{ size: {width - 2 * BLEED:.4f}in {height - 2 * BLEED:.4f}in; margin: 0; bleed: {BLEED}in;
        background: #1e2a36; }}
@page {{ @bottom-center {{ content: none; }} }}
body {{ margin: 0; }}
.wrap-back, .wrap-spine, .wrap-front, .wrap-barcode {{ position: absolute; box-sizing: border-box; }}
.wrap-back {{ left: 0; top: 0; width: {trim.width:.4f}in; height: {trim.height:.4f}in;
             padding: {trim.height * 0.12:.3f}in {SAFE + 0.25}in {SAFE + barcode_height + BARCODE_INSET}in {SAFE + 0.1}in; }}
.wrap-description {{ font: {trim.width * 1.9:.1f}pt/1.5 var(--serif); color: #e9e3d8; text-align: start;
                    hyphens: auto; margin: 0; max-height: 100%; overflow: hidden; }}
.wrap-barcode {{ left: {trim.width - BARCODE_INSET - barcode_width:.4f}in;
                top: {trim.height - BARCODE_INSET - barcode_height:.4f}in;
                width: {barcode_width}in; height: {barcode_height}in; }}
.wrap-spine {{ left: {trim.width:.4f}in; top: 0; width: {spine:.4f}in; height: {trim.height:.4f}in; }}
.wrap-spine-text {{ position: absolute; margin: 0; box-sizing: border-box;
                   width: {trim.height:.4f}in; height: {spine:.4f}in;
                   left: {spine / 2 - trim.height / 2:.4f}in; top: {trim.height / 2 - spine / 2:.4f}in;
                   transform: rotate(90deg); padding: 0 {SAFE + 0.25}in;
                   display: flex; align-items: center; justify-content: space-between;
                   font: 700 {type_size:.1f}pt/1 var(--serif); color: #f4efe6; white-space: nowrap; overflow: hidden; }}
.wrap-spine-authors {{ font: {type_size * 0.8:.1f}pt/1 var(--sans); color: #d8d2c6; }}
.wrap-front {{ left: {front:.4f}in; top: 0; width: {trim.width:.4f}in; height: {trim.height:.4f}in; }}
.wrap-front img {{ display: block; position: absolute; left: 0; top: -{BLEED}in;
                  width: {trim.width + BLEED:.4f}in; height: {trim.height + 2 * BLEED:.4f}in; object-fit: cover; }}
.wrap-front .cover-art {{ height: {trim.height:.4f}in;
                         padding: {trim.height * 0.30:.3f}in {max(trim.width * 0.12, SAFE):.3f}in 0;
                         font-size: {trim.width * 72 * 0.085:.1f}pt; }}
"""


def cover_pdf(article: Article, job: PrintJob, pages: int, paper: str,
              in_memory: Mapping[str, tuple[str, bytes]], in_memory_prefix: str) -> bytes:
    """The cover of `article` printed on `pages` pages of `paper`, as PDF/X bytes."""
    from weasyprint import CSS, HTML

    from ..fetcher import ArticleURLFetcher

    cover = article.metadata.cover
    front_src = in_memory_prefix + cover if cover and article.asset(cover) is not None else None
    html = render("print/cover.html.jinja", article=article, date=article.edition_date,
                  spine_text=pages >= SPINE_TEXT_PAGES, front_src=front_src, front_alt=cover_alt_text(article))
    fetcher = ArticleURLFetcher(in_memory=in_memory)
    profiles: dict = {}
    sheets = [CSS(string=css, base_url=url, url_fetcher=fetcher, color_profiles=profiles)
              for css, url in press_stylesheets(job, article.metadata.language, cover_css(job, pages, paper))]
    document = HTML(string=html, base_url=article.source_path.parent.resolve().as_uri() + "/",
                    url_fetcher=fetcher).render(stylesheets=sheets, color_profiles=profiles)
    return write_for_press(document, job)
