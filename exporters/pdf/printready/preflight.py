"""The preflight: each rule of the chosen printer, met or not, in plain words, read from the finished
interior and cover; and the warning an export gives of images too coarse for print."""

from __future__ import annotations

import io

from pypdf import PdfReader

from ...base import Finding
from .geometry import BLEED, MAX_PAGES, MIN_PAGES, PAPER_THICKNESS, cover_size, gutter_for, spine_width
from .inspect import read_facts
from .interior import PDF_X

MIN_DPI = 300
TOLERANCE = 0.001  # inches
PRINTER_NAMES = {"kdp": "KDP", "ingramspark": "IngramSpark", "generic": "the printer"}


def low_resolution_warnings(document, in_memory_prefix: str) -> list[str]:
    """A warning naming each image of the laid-out `document` printed at less than 300 dpi."""
    from weasyprint.formatting_structure import boxes

    found: dict[str, float] = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            image = getattr(box, "replacement", None)
            if not isinstance(box, boxes.ReplacedBox) or not hasattr(image, "width") or not box.width:
                continue
            dpi = min(image.width / (box.width / 96), image.height / (box.height / 96)) if box.height else 0
            name = (box.element.get("src") or "?").removeprefix(in_memory_prefix) if box.element is not None else "?"
            found[name] = min(found.get(name, dpi), dpi)
    return [f"the image {name} prints at {dpi:.0f} dpi, below the {MIN_DPI} dpi printers ask for: use a larger "
            "original, or print it smaller" for name, dpi in sorted(found.items()) if dpi < MIN_DPI - 0.5]


def preflight(interior: bytes, cover: bytes | None) -> list[Finding]:
    """Each rule of the printer the interior was made for, met ("ok") or not ("error")."""
    facts, images = read_facts(interior)
    info = PdfReader(io.BytesIO(interior)).metadata or {}
    printer = str(info.get("/PressroomPrinter", "generic"))
    paper = str(info.get("/PressroomPaper", "white"))
    bleed = str(info.get("/PressroomBleed", "on")) == "on"
    who = PRINTER_NAMES.get(printer, "the printer")
    findings: list[Finding] = []

    def rule(met: bool, yes: str, no: str) -> None:
        findings.append(Finding("ok" if met else "error", yes if met else no))

    trims = {(round(box[2] - box[0], 3), round(box[3] - box[1], 3)) for box in facts.trims if box}
    trim = next(iter(trims)) if len(trims) == 1 else None
    findings.append(Finding("info", f"{facts.pages} pages, trimmed to {_inches(trim) if trim else 'several sizes'}, "
                                    f"for {who} on {paper} paper."))
    rule(all(facts.trims) and all(facts.bleeds), "Every page has a trim box and a bleed box.",
         f"{sum(1 for box in facts.trims if not box)} pages lack a trim box or a bleed box.")
    wrong_size = [number for number, (media, trim_box) in enumerate(zip(facts.media, facts.trims), start=1)
                  if trim_box is None or not _bled(media, trim_box, number, bleed)]
    edges = "0.125 in beyond the trim at the outer, top and bottom edges and none at the spine" if bleed else "no bleed"
    rule(not wrong_size and trim is not None,
         f"Page size: every page is its trim plus {edges}"
         + (f" ({trim[0] + BLEED * bleed:.3f} × {trim[1] + 2 * BLEED * bleed:.3f} in)." if trim else "."),
         f"Page size: pages {_list(wrong_size)} are not their trim plus {edges}.")
    if printer == "kdp":
        rule(MIN_PAGES <= facts.pages <= MAX_PAGES, f"Page count: {facts.pages}, within KDP's {MIN_PAGES}-{MAX_PAGES}.",
             f"Page count: {facts.pages}, outside KDP's {MIN_PAGES}-{MAX_PAGES} pages for a paperback.")
    gutter = float(info.get("/PressroomGutter", 0) or 0)
    needed = gutter_for(facts.pages)
    rule(gutter + TOLERANCE >= needed, f"Gutter: {gutter:.3f} in inside, at least the {needed:.3f} in {facts.pages} "
                                       "pages need.",
         f"Gutter: {gutter:.3f} in inside, less than the {needed:.3f} in {facts.pages} pages need.")
    rule(not facts.unembedded_fonts, f"Fonts: all {facts.fonts} embedded.",
         f"Fonts not embedded: {', '.join(facts.unembedded_fonts)}.")
    coarse = [image for image in images if image.dpi < MIN_DPI - 0.5]
    rule(not coarse, f"Resolution: every image ({len(images)}) prints at {MIN_DPI} dpi or more.",
         "Resolution: " + "; ".join(f"an image on page {image.page} prints at {image.dpi:.0f} dpi" for image in coarse)
         + f", below {MIN_DPI} dpi.")
    rule(facts.intent_components == 4, "Output intent: a CMYK printer profile (four colours).",
         "Output intent: none with a CMYK profile; the printer cannot tell how the colours print.")
    wanted = PDF_X.get(printer, "pdf/x-4").upper()
    rule(bool(facts.pdfx) and facts.pdfx.upper().startswith(wanted), f"Conformance: {facts.pdfx}, as {who} asks.",
         f"Conformance: {facts.pdfx or 'no PDF/X version'}; {who} asks for {wanted}.")
    rule(facts.annotations == 0, "Annotations: none (no links).", f"Annotations: {facts.annotations}; printers take none.")
    if printer == "kdp":
        rule(not facts.outline, "Bookmarks: none, as KDP asks.", "Bookmarks: present; KDP asks for none.")
    if wanted == "PDF/X-1A":
        rule(not facts.rgb, "Colour: CMYK and grey only, no RGB.", "Colour: RGB left; PDF/X-1a allows CMYK and grey only.")
        rule(not facts.transparency, "Transparency: none.", "Transparency: present; PDF/X-1a allows none.")
    if cover is not None and trim is not None:
        findings += _cover_findings(cover, trim, facts.pages, paper, wanted)
    if printer == "ingramspark":
        findings.append(Finding("info", "Spine: Pressroom uses KDP's paper thickness; compare the cover with "
                                        "IngramSpark's cover template for this page count before uploading."))
    return findings


def _cover_findings(cover: bytes, trim: tuple[float, float], pages: int, paper: str, wanted: str) -> list[Finding]:
    facts, images = read_facts(cover)
    from .geometry import Trim

    width, height = cover_size(Trim(trim[0], trim[1], (0, 0, 0), 0, ""), pages, paper)
    media = facts.media[0]
    found = (media[2] - media[0], media[3] - media[1])
    spine = spine_width(pages, paper)
    findings = []
    fits = abs(found[0] - width) <= TOLERANCE and abs(found[1] - height) <= TOLERANCE
    findings.append(Finding("ok" if fits else "error",
                            f"Cover: {found[0]:.3f} × {found[1]:.3f} in, two trims and a spine of {spine:.3f} in "
                            f"({pages} pages × {PAPER_THICKNESS[paper]} in of {paper} paper) with bleed all round."
                            if fits else
                            f"Cover: {found[0]:.3f} × {found[1]:.3f} in, but {pages} pages of {paper} paper need "
                            f"{width:.3f} × {height:.3f} in (a spine of {spine:.3f} in)."))
    intent = facts.intent_components == 4 and bool(facts.pdfx) and facts.pdfx.upper().startswith(wanted)
    findings.append(Finding("ok" if intent else "error", f"Cover: {facts.pdfx} with a CMYK output intent." if intent
                            else f"Cover: not {wanted} with a CMYK output intent."))
    coarse = [image for image in images if image.dpi < MIN_DPI - 0.5]
    if coarse:
        findings.append(Finding("error", f"Cover: its image prints at {coarse[0].dpi:.0f} dpi, below {MIN_DPI} dpi."))
    return findings


def _bled(media, trim, number: int, bleed: bool) -> bool:
    """Whether the page's media box is its trim box with bleed on the outer edge (the right of a
    right-hand page, odd-numbered), the top and the bottom, and none at the spine."""
    extra = BLEED if bleed else 0.0
    left, right = (0.0, extra) if number % 2 else (extra, 0.0)
    expected = (trim[0] - left, trim[1] - extra, trim[2] + right, trim[3] + extra)
    return all(abs(found - wanted) <= TOLERANCE for found, wanted in zip(media, expected))


def _inches(size: tuple[float, float]) -> str:
    return f"{size[0]:g} × {size[1]:g} in"


def _list(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:8])) + (" and more" if len(numbers) > 8 else "")
