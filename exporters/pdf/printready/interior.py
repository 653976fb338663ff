"""The book's interior for the press: trim plus bleed on the outer edges, the gutter its page count
needs, CMYK colour with the printer's output intent, PDF/X, and nothing a printer refuses."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ....articles import Article
from ...base import ExportFailed
from ...rendering import TEMPLATES_DIR, read_template_file
from ...typefaces import faces_for
from .colour import PrinterProfile, image_in_cmyk, stylesheet_in_cmyk
from .geometry import BLEED, MIN_OUTSIDE, MIN_OUTSIDE_BLEED, VISIBLE_INSIDE, Trim, gutter_for

PROFILE_URL = "pressroom-memory:printer-profile.icc"
PDF_X = {"kdp": "pdf/x-4", "generic": "pdf/x-4", "ingramspark": "pdf/x-1a"}
MAX_LAYOUTS = 5  # the gutter only grows, through at most the five steps of its table
_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


@dataclass(frozen=True)
class PrintJob:
    """What an edition for the press is made with: the trim, the printer's profile, bleed or not, the
    printer's name (which decides PDF/X and what is left out) and a digest of the choices."""

    trim: Trim
    profile: PrinterProfile
    bleed: bool
    printer: str
    identity: str

    @property
    def variant(self) -> str:
        return PDF_X[self.printer]


@dataclass(frozen=True)
class Interior:
    """The interior's PDF bytes, its page count, the gutter it was laid out with, and its pages'
    types and sides (for the preview)."""

    data: bytes
    pages: int
    gutter: float
    page_types: tuple[tuple[str, str], ...]


def press_stylesheets(job: PrintJob, language: str, extra: str) -> list[tuple[str, str | None]]:
    """(CSS, base URL) for a document for the press: the printer's profile as the output intent, the
    print design and `extra` with their colours in its CMYK, and the language's font stacks."""
    base_url = (TEMPLATES_DIR / "pdf").as_uri() + "/"
    profile = f"@color-profile device-cmyk {{ src: url({PROFILE_URL}); components: c, m, y, k; }}"
    overrides = read_template_file("print/press.css")
    design = stylesheet_in_cmyk("\n".join((read_template_file("pdf/print.css"), overrides, extra)), job.profile.data)
    return [(profile, None), (design, base_url), (faces_for(language).css(), None)]


def geometry_css(trim: Trim, gutter: float, bleed: bool) -> str:
    """The page: the trim, bleed on the outer, top and bottom edges (none at the spine), margins with
    the gutter inside."""
    top, outside, bottom = trim.margins
    least = MIN_OUTSIDE_BLEED if bleed else MIN_OUTSIDE
    top, outside, bottom = max(top, least), max(outside, least), max(bottom, least)
    inside = gutter + VISIBLE_INSIDE
    edge = f"{BLEED}in" if bleed else "0"
    return (f"@page {{ size: {trim.width:.4f}in {trim.height:.4f}in; }}\n"
            f"@page :right {{ margin: {top}in {outside}in {bottom}in {inside}in; "
            f"bleed-top: {edge}; bleed-right: {edge}; bleed-bottom: {edge}; bleed-left: 0; }}\n"
            f"@page :left {{ margin: {top}in {inside}in {bottom}in {outside}in; "
            f"bleed-top: {edge}; bleed-left: {edge}; bleed-bottom: {edge}; bleed-right: 0; }}\n"
            f"html {{ font-size: {trim.font_size}pt; }}\n"
            ".title-page, .toc, .body-matter, .part, .chapter, .back-matter { break-before: recto; }")


def settled_gutter(lay_out: Callable[[float], Any], count: Callable[[Any], int]) -> tuple[Any, float]:
    """The layout and the gutter it needs: laid out again while its page count asks for a wider
    gutter than it has; a wider gutter that brings the count back below its step is kept."""
    gutter = gutter_for(0)
    layout = lay_out(gutter)
    for _ in range(MAX_LAYOUTS):
        needed = gutter_for(count(layout))
        if needed <= gutter:
            break
        gutter = needed
        layout = lay_out(gutter)
    return layout, gutter


def press_fetcher_files(article: Article, job: PrintJob, in_memory_prefix: str) -> dict[str, tuple[str, bytes]]:
    """What the fetcher serves from memory: the printer's profile and the article's images in CMYK."""
    files = {PROFILE_URL: ("application/vnd.iccprofile", job.profile.data)}
    for asset in article.assets:
        data = asset.read_bytes()
        converted = image_in_cmyk(data, job.profile.data)
        files[in_memory_prefix + asset.href] = converted or (asset.media_type, data)
    return files


def write_for_press(document, job: PrintJob, finisher: Callable | None = None) -> bytes:
    """The laid-out document as PDF/X for `job`: no link annotations for any printer (PDF/X allows none
    inside the bleed box), no bookmarks for KDP, identifiers from the content."""
    for page in document.pages:
        page.links.clear()
        if job.printer == "kdp":
            page.bookmarks.clear()

    def finish(document, pdf) -> None:
        if finisher is not None:
            finisher(document, pdf)
        _derive_document_id(pdf, job.identity)

    return document.write_pdf(pdf_variant=job.variant, pdf_identifier=job.identity.encode()[:32],
                              output_intent="device-cmyk", finisher=finish)


def _derive_document_id(pdf, identity: str) -> None:
    """WeasyPrint gives a PDF/X-4's XMP a random document ID: one derived from the content instead."""
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        return
    number = int(reference.split()[0])
    metadata = pdf.objects[number]
    derived = f"xmp.did:{uuid.UUID(hashlib.sha256(identity.encode()).hexdigest()[:32])}".encode()
    metadata.stream = [_DOCUMENT_ID.sub(derived, part) if isinstance(part, bytes) else part
                       for part in metadata.stream]


def lay_out_interior(article: Article, job: PrintJob, html: str, base_url: str,
                     in_memory: Mapping[str, tuple[str, bytes]]) -> tuple[Any, float]:
    """The interior laid out with the gutter its page count needs, and that gutter."""
    from weasyprint import CSS, HTML

    from ..fetcher import ArticleURLFetcher
    from ..hyphenation import load_patterns
    from ..openings import drop_running_heads_on_openings

    load_patterns([article.metadata.language, *(chapter.language for chapter in article.chapters)])

    def lay_out(gutter: float):
        fetcher = ArticleURLFetcher(in_memory=in_memory)
        profiles: dict = {}
        sheets = [CSS(string=css, base_url=url, url_fetcher=fetcher, color_profiles=profiles)
                  for css, url in press_stylesheets(job, article.metadata.language,
                                                    geometry_css(job.trim, gutter, job.bleed))]
        try:
            document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                stylesheets=sheets, color_profiles=profiles)
        except (RecursionError, MemoryError, OverflowError) as error:
            raise ExportFailed(article, "print", f"the layout engine gave up ({type(error).__name__})") from None
        drop_running_heads_on_openings(document)
        return document

    return settled_gutter(lay_out, lambda document: len(document.pages))


def record_choices(pdf, settings: Mapping[str, Any], gutter: float) -> None:
    """Name in the document information what the interior was made for, which the preflight reads:
    the printer, the paper, bleed, and the gutter laid out for its page count."""
    import pydyf

    pdf.info["PressroomPrinter"] = pydyf.String(settings["printer"])
    pdf.info["PressroomPaper"] = pydyf.String(settings["paper"])
    pdf.info["PressroomBleed"] = pydyf.String("on" if settings["bleed"] else "off")
    pdf.info["PressroomGutter"] = pydyf.String(f"{gutter:.3f}")
