"""The sizes of a printed book: trims, bleed, the gutter a page count needs, the spine a paper makes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...base import OptionError

BLEED = 0.125  # inches beyond the trim on the outside, top and bottom edges (KDP, IngramSpark, Lulu)
MIN_OUTSIDE = 0.25  # the smallest outside, top and bottom margins KDP accepts without bleed
MIN_OUTSIDE_BLEED = 0.375  # and with bleed
VISIBLE_INSIDE = 0.25  # what a reader sees of the inside margin beyond the gutter the binding takes
MIN_PAGES, MAX_PAGES = 24, 828  # KDP prints paperbacks of 24 to 828 pages
SPINE_TEXT_PAGES = 80  # KDP allows text on the spine from 80 pages (79 or fewer: none)
SPINE_TEXT_MARGIN = 0.0625  # text keeps this far from each fold of the spine
# KDP's paperback limits: 4-8.5 in wide, 6-11.69 in high ("Set trim size, bleed, and margins").
CUSTOM_WIDTHS, CUSTOM_HEIGHTS = (4.0, 8.5), (6.0, 11.69)
BARCODE = (2.0, 1.2)  # the barcode's area, at the bottom right of the back cover
BARCODE_INSET = 0.25  # from the trim's bottom edge and from the spine

# KDP's inside margin by page count ("Paperback margins"): (up to this many pages, inches).
GUTTERS = ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (MAX_PAGES, 0.875))

# Paper thickness per page, inches: KDP's cover calculator figures ("Paperback cover" help page).
# IngramSpark publishes no per-page figure (its cover template generator computes the spine from the
# paper and page count), so every printer profile uses KDP's; the preflight says so for IngramSpark.
PAPER_THICKNESS = {"white": 0.002252, "cream": 0.0025, "colour": 0.002347}
PAPERS = {"white": "White", "cream": "Cream", "colour": "White, for colour printing"}


@dataclass(frozen=True)
class Trim:
    """A trim size in inches, its top, outside and bottom margins, and the size of its text in points,
    chosen so that a line holds 60-75 characters with the narrowest gutter."""

    width: float
    height: float
    margins: tuple[float, float, float]  # top, outside, bottom
    font_size: float
    label: str


TRIMS = {
    "5x8": Trim(5, 8, (0.6, 0.45, 0.7), 9.5, "5 × 8 in"),
    "5.25x8": Trim(5.25, 8, (0.6, 0.5, 0.7), 9.5, "5.25 × 8 in"),
    "5.5x8.5": Trim(5.5, 8.5, (0.65, 0.55, 0.75), 10, "5.5 × 8.5 in"),
    "6x9": Trim(6, 9, (0.7, 0.6, 0.8), 10.5, "6 × 9 in"),
    "7x10": Trim(7, 10, (0.75, 0.85, 0.9), 11.5, "7 × 10 in"),
    "8.5x11": Trim(8.5, 11, (0.9, 1.75, 1.05), 12, "8.5 × 11 in"),
    "a5": Trim(148 / 25.4, 210 / 25.4, (0.65, 0.55, 0.75), 10, "A5"),
    "a4": Trim(210 / 25.4, 297 / 25.4, (0.9, 1.6, 1.05), 12, "A4"),
}
CUSTOM = "custom"
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(in|mm)?\s*$", re.IGNORECASE)


def custom_trim(text: str, origin: str) -> Trim:
    """A trim from "WIDTHxHEIGHT" in inches (or with "mm"), within the printers' limits; OptionError
    naming `origin` (the flag or setting it came from) otherwise."""
    match = _SIZE.match(text)
    if match is None:
        raise OptionError(f"{origin} {text[:40]!r} is not a size: write WIDTHxHEIGHT in inches, such as 5.06x7.81, "
                          "or in millimetres, such as 140x216mm")
    width, height = float(match[1]), float(match[2])
    if (match[3] or "in").lower() == "mm":
        width, height = width / 25.4, height / 25.4
    if not (CUSTOM_WIDTHS[0] <= width <= CUSTOM_WIDTHS[1] and CUSTOM_HEIGHTS[0] <= height <= CUSTOM_HEIGHTS[1]):
        raise OptionError(f"{origin} {text[:40]!r} is {width:.2f} × {height:.2f} in; printers take "
                          f"{CUSTOM_WIDTHS[0]:g}-{CUSTOM_WIDTHS[1]:g} in wide and {CUSTOM_HEIGHTS[0]:g}-"
                          f"{CUSTOM_HEIGHTS[1]:g} in high")
    # Margins and type in proportion to the nearest standard size by width.
    nearest = min(TRIMS.values(), key=lambda trim: abs(trim.width - width))
    return Trim(width, height, nearest.margins, nearest.font_size, f"{width:.3g} × {height:.3g} in")


def gutter_for(pages: int) -> float:
    """The inside margin KDP asks of a book of `pages` pages (the widest step past its last)."""
    return next((gutter for most, gutter in GUTTERS if pages <= most), GUTTERS[-1][1])


def spine_width(pages: int, paper: str) -> float:
    """The spine of a book of `pages` pages on `paper`, in inches."""
    return pages * PAPER_THICKNESS[paper]


def cover_size(trim: Trim, pages: int, paper: str) -> tuple[float, float]:
    """The wrap-around cover's width and height with its bleed, in inches."""
    return 2 * trim.width + spine_width(pages, paper) + 2 * BLEED, trim.height + 2 * BLEED
