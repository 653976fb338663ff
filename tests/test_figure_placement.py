"""A heading and a tall figure near the foot of a page: the text fills the page, the figure follows."""

from __future__ import annotations

import re
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader

from pressroom.articles import read_article
from pressroom.exporters import ExportOptions
from pressroom.exporters.pdf import PAGE_GEOMETRY
from pressroom.execution import export
from validators import pdftotext, require

SENTENCE = ("The keeper climbed the stair at dusk and lit the lamp, as the keepers before him had done for a "
            "hundred years, and wrote the hour in the log before the light had settled. ")
OPENING = [f"{SENTENCE * 3}Opening {number}." for number in range(2)]
AFTER = [f"{SENTENCE * 6}After {number}." for number in range(8)]
ALT = "A white tower on a rock"
CAPTION = "The tower at low tide"


def lighthouse(folder, after_figure: str):
    """Two paragraphs filling about half a page, then a heading, a figure too tall for the rest of the
    page, and `after_figure`."""
    (folder / "images").mkdir()
    Image.new("RGB", (600, 900), (40, 90, 160)).save(folder / "images" / "tower.png")
    source = folder / "lighthouse.md"
    source.write_text("---\ntitle: The Lighthouse\nlang: en\n---\n\n" + "\n\n".join(OPENING)
                      + f"\n\n## The tower\n\n![{ALT}](images/tower.png \"{CAPTION}\")\n\n" + after_figure,
                      encoding="utf-8")
    return read_article(source)


@pytest.fixture
def heading_and_tall_figure_near_the_foot(tmp_path):
    return lighthouse(tmp_path, "\n\n".join(AFTER) + "\n")


@pytest.fixture
def heading_and_tall_figure_ending_its_section(tmp_path):
    return lighthouse(tmp_path, "## The keepers\n\n" + "\n\n".join(AFTER) + "\n")


def points(length: str) -> float:
    """A CSS length in millimetres or inches, in points."""
    value, unit = float(length[:-2]), length[-2:]
    return value * 72 / 25.4 if unit == "mm" else value * 72


def lowest_text_in_body_area(path, number: int, top: float, bottom: float) -> float | None:
    """The foot of the lowest word of page `number` (1-based) between the top and bottom margins (the
    running head and the page number are outside them), in points from the top of the page."""
    html = subprocess.run([require("pdftotext"), "-bbox", "-f", str(number), "-l", str(number), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    feet = [float(foot) for head, foot in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" '
                                                     r'yMax="([\d.]+)">', html)
            if float(head) >= top - 1 and float(foot) <= bottom + 1]
    return max(feet, default=None)


@pytest.mark.parametrize("page_size", ["a4", "a5"])
def test_the_page_before_a_deferred_figure_is_at_most_a_third_empty(heading_and_tall_figure_near_the_foot,
                                                                     page_size, tmp_path):
    path = tmp_path / "lighthouse.pdf"
    path.write_bytes(export(heading_and_tall_figure_near_the_foot, "pdf",
                            ExportOptions(page_size=page_size, cover=False)))
    pages = pdftotext(path).split("\f")
    # The caption marks the figure's page (WeasyPrint gives every page the same image resources).
    figure_pages = [number for number, text in enumerate(pages, start=1) if CAPTION in text]
    assert len(figure_pages) == 1
    before = figure_pages[0] - 1
    geometry = PAGE_GEOMETRY[page_size]
    top_margin, _, bottom_margin, _ = (points(margin) for margin in geometry.margins)
    top, bottom = top_margin, geometry.height * 72 - bottom_margin
    lowest = lowest_text_in_body_area(path, before, top, bottom)
    assert lowest is not None, f"page {before}, before the figure's, holds text"
    assert bottom - lowest <= (bottom - top) / 3, f"page {before} is {(bottom - lowest) / (bottom - top):.0%} empty"
    # The heading stays with the text that follows it.
    assert re.search(r"The tower\s+The keeper climbed", pages[before - 1])

    # All the text, in the author's order; only the figure moved, with its caption and alt text.
    text = re.sub(r"\s+", " ", "".join(pages))
    markers = [f"Opening {number}." for number in range(2)] + ["The tower"] + [f"After {number}." for number in range(8)]
    places = [text.find(marker) for marker in markers]
    assert -1 not in places and places == sorted(places), list(zip(markers, places))
    assert text.count(" stair ") == len(OPENING) * 3 + len(AFTER) * 6  # a word too short to hyphenate
    alts = [element["/Alt"] for element in structure_elements(PdfReader(path)) if element["/S"] == "/Figure"]
    assert alts == [ALT]


def structure_elements(reader: PdfReader):
    """Every element of the PDF's tag tree, depth first."""
    pending = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while pending:
        node = pending.pop().get_object()
        if isinstance(node, list):
            pending.extend(reversed(node))
        elif isinstance(node, dict):
            if "/S" in node:
                yield node
            if "/K" in node:
                pending.append(node["/K"])


def test_a_figure_is_never_moved_into_the_next_section(heading_and_tall_figure_ending_its_section, tmp_path):
    path = tmp_path / "lighthouse.pdf"
    path.write_bytes(export(heading_and_tall_figure_ending_its_section, "pdf", ExportOptions(page_size="a4", cover=False)))
    text = re.sub(r"\s+", " ", pdftotext(path))
    assert text.index("Opening 1.") < text.index(CAPTION) < text.index("The keepers The keeper climbed")
