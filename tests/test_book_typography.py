"""The PDF set as a book: measure, running heads, rectos, page labels, hyphenation, cover, tables."""

from __future__ import annotations

import io
import re
import shutil
import statistics
import subprocess

import pytest
from pypdf import PdfReader

from conftest import LONG, RICH
from pressroom.articles import read_article
from pressroom.exporters import ExportOptions
from pressroom.execution import export
from pressroom.exporters.pdf import PAGE_GEOMETRY
from pressroom.exporters.pdf.labels import page_labels
from validators import require

SIZES = sorted(PAGE_GEOMETRY)


def page_text(path, number: int, crop: tuple[float, float, float, float] | None = None) -> str:
    """Poppler's text of page `number` (1-based), or of the area (x, y, width, height) in points."""
    area = [] if crop is None else [option for flag, value in zip(("-x", "-y", "-W", "-H"), crop)
                                    for option in (flag, str(round(value)))]
    return subprocess.run([require("pdftotext"), "-enc", "UTF-8", "-r", "72", "-f", str(number), "-l", str(number),
                           *area, str(path), "-"], capture_output=True, text=True, check=True).stdout


def export_to(tmp_path, article, name="edition.pdf", **options):
    path = tmp_path / name
    path.write_bytes(export(article, "pdf", ExportOptions(**options)))
    return path


def body_pages(path) -> list[int]:
    """The 1-based numbers of the text's pages: labelled 1, 2, 3..., before the colophon (the last page)."""
    labels = PdfReader(path).page_labels
    return [index + 1 for index, label in enumerate(labels[:-1]) if label.isdigit()]


@pytest.mark.parametrize("page_size", SIZES)
def test_a_body_line_holds_60_to_75_characters_at_every_size(page_size, tmp_path):
    path = export_to(tmp_path, read_article(LONG), page_size=page_size)
    lines = [line.strip() for number in body_pages(path)[:4] for line in page_text(path, number).splitlines()]
    lines = [line for line in lines if len(line) > 20]
    # A paragraph's last line is short: the full lines are those near the longest.
    full = [len(line) for line in lines if len(line) >= 0.8 * max(map(len, lines))]
    assert 60 <= statistics.median(full) <= 75, (page_size, statistics.median(full))


def head_and_text(path, number: int, page_size: str) -> tuple[str, str]:
    """What is printed above a page's text area (its running head, if any), and its text."""
    geometry = PAGE_GEOMETRY[page_size]
    top = float(geometry.margins[0].removesuffix("mm")) * 72 / 25.4 if geometry.margins[0].endswith("mm") \
        else float(geometry.margins[0].removesuffix("in")) * 72
    width, height = geometry.width * 72, geometry.height * 72
    # The head is centred in the top margin; the text's first line begins right below it.
    head = page_text(path, number, (0, 0, width, top * 0.8))
    text = page_text(path, number, (0, top * 0.8, width, height - top * 0.8))
    return head.strip(), re.sub(r"\s+", " ", text).strip()


def test_running_heads_skip_the_pages_that_open_the_text_or_a_section(tmp_path):
    article = read_article(LONG)
    path = export_to(tmp_path, article, page_size="a5")
    titles = [re.sub(r"\s+", " ", section.label) for section in article.sections if section.title]
    pages = body_pages(path)
    assert len(pages) > 6
    headed = 0
    for number in pages:
        head, text = head_and_text(path, number, "a5")
        opens_section = any(text.startswith(title[:30]) for title in titles)
        if number == pages[0] or opens_section:
            assert head == "", (number, head)
        else:
            assert head, f"page {number} has no running head"
            headed += 1
    assert headed >= 3


def test_title_page_contents_and_text_open_on_rectos_in_book_sizes(tmp_path):
    for page_size in ("a5", "6x9"):
        path = export_to(tmp_path, read_article(LONG), page_size=page_size)
        reader = PdfReader(path)
        texts = [re.sub(r"\s+", " ", page.extract_text()).strip() for page in reader.pages]
        title_page = next(i for i, text in enumerate(texts) if i > 0 and text.startswith("A Long List"))
        contents = next(i for i, text in enumerate(texts) if text.startswith("CONTENTS"))
        text_start = body_pages(path)[0] - 1
        # Page 1 (index 0) is the cover, a recto: rectos have even indexes.
        assert (title_page, contents % 2, text_start % 2) == (2, 0, 0), page_size
        assert texts[1] == texts[3] == "", "the versos before them are blank"


@pytest.mark.parametrize("page_size", SIZES)
def test_page_labels_match_the_printed_folios(page_size, tmp_path):
    path = export_to(tmp_path, read_article(LONG), page_size=page_size)
    labels = PdfReader(path).page_labels
    assert labels[0] == "i"
    checked = 0
    for number, label in enumerate(labels, start=1):
        lines = [line.strip() for line in page_text(path, number).splitlines() if line.strip()]
        folio = lines[-1] if lines else ""
        if re.fullmatch(r"\d+|[ivxlc]+", folio):
            assert folio == label, (number, folio, label)
            checked += 1
    assert checked >= len(body_pages(path))
    assert labels[body_pages(path)[0] - 1] == "1"


def test_page_labels_number_the_front_matter_in_roman_and_the_text_from_1():
    labels = page_labels(["cover", "", "title", "", "front", "", "body", "body", "back"])
    assert labels["Nums"] == [0, {"S": "/r"}, 6, {"S": "/D"}]
    assert page_labels(["body", "back"])["Nums"] == [0, {"S": "/D"}]


def test_page_1_of_a_pdf_with_a_cover_has_the_title_as_text(sample, tmp_path):
    path = export_to(tmp_path, sample)
    first = re.sub(r"\s+", " ", PdfReader(path).pages[0].extract_text()).strip()
    assert first == re.sub(r"\s+", " ", sample.title)


def test_a_front_matter_cover_stays_an_image(rich, tmp_path):
    folder = tmp_path / "article"
    shutil.copytree(RICH.parent, folder)
    source = folder / "article.md"
    source.write_text(source.read_text(encoding="utf-8").replace("lang: en-GB", "lang: en-GB\ncover: images/boat.png"),
                      encoding="utf-8")
    path = export_to(tmp_path, read_article(source))
    reader = PdfReader(path)
    assert reader.pages[0].extract_text().strip() == ""
    assert reader.pages[0].images


def test_hyphenation_leaves_at_least_3_letters_either_side(tmp_path):
    path = export_to(tmp_path, read_article(LONG), page_size="a5")
    text = "\n".join(page_text(path, number) for number in body_pages(path))
    breaks = re.findall(r"(\w+)[-\u2010]\n(\w+)", text)
    assert breaks, "a justified A5 text hyphenates somewhere"
    for before, after in breaks:
        assert len(before.split()[-1]) >= 3 and len(after) >= 3, (before, after)


def word_boxes(path, number: int) -> list[tuple[float, float, float, str]]:
    """(left, right, height, word) of every word on a page, from poppler's bounding boxes."""
    html = subprocess.run([require("pdftotext"), "-bbox", "-f", str(number), "-l", str(number), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return [(float(left), float(right), float(bottom) - float(top), word) for left, top, right, bottom, word in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def test_headings_are_never_hyphenated(tmp_path):
    source = tmp_path / "long-words.md"
    heading = "Extraordinarily incomprehensible characteristics notwithstanding internationalisation"
    source.write_text(f"---\ntitle: Long words\nlang: en\n---\n\n## {heading}\n\nA paragraph.\n", encoding="utf-8")
    path = export_to(tmp_path, read_article(source), page_size="a5", cover=False)
    text = page_text(path, body_pages(path)[0]).removeprefix("Long words").lstrip()  # a short piece's title opens it
    assert re.sub(r"\s+", " ", text).startswith(heading)
    assert not re.search(r"\w[-\u2010]\n", text.split("A paragraph")[0])


def test_a_right_aligned_columns_header_is_right_aligned(tmp_path):
    source = tmp_path / "numbers.md"
    source.write_text("---\ntitle: Numbers\n---\n\n## Counts\n\n| Name | N |\n|:--|--:|\n"
                      "| Alpha | 1,234,567,890 |\n| Beta | 2 |\n", encoding="utf-8")
    path = export_to(tmp_path, read_article(source), cover=False)
    right = {word: right for _, right, _, word in word_boxes(path, body_pages(path)[0])}
    assert right["N"] == pytest.approx(right["1,234,567,890"], abs=0.5)
    assert right["N"] == pytest.approx(right["2"], abs=0.5)
    left = {word: left for left, _, _, word in word_boxes(path, body_pages(path)[0])}
    assert left["Name"] == pytest.approx(left["Alpha"], abs=0.5)


def test_block_quotes_are_indented_and_smaller(rich, tmp_path):
    path = export_to(tmp_path, rich, cover=False)
    words = {word: (left, height) for left, _, height, word in word_boxes(path, body_pages(path)[0])}
    quote, body = words["gives,"], words["Most"]  # "The sea gives..." is quoted; "Most boats..." is not
    assert quote[0] > body[0] + 10
    assert quote[1] < body[1]


def fonts_of_runs(path, number: int) -> list[tuple[str, str]]:
    """(text, font name) of each run of text pypdf reads on a page."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip() and font:
            runs.append((text.strip(), str(font.get("/BaseFont"))))

    PdfReader(path).pages[number - 1].extract_text(visitor_text=visit)
    return runs


def test_a_listicle_items_long_heading_is_set_at_the_texts_size_not_as_a_bold_block(sample, tmp_path):
    path = export_to(tmp_path, sample, cover=False)
    number = body_pages(path)[0]
    heading_font = next(font for text, font in fonts_of_runs(path, number) if "North Korea is not only" in text)
    assert "Bold" not in heading_font
    sizes = {word: height for _, _, height, word in word_boxes(path, number)}
    assert sizes["isolated,"] == pytest.approx(sizes["Lafforgue"], abs=0.5)  # heading and text alike


def test_the_no_cover_pdf_starts_with_the_title_page(sample):
    reader = PdfReader(io.BytesIO(export(sample, "pdf", ExportOptions(cover=False, page_size="a5"))))
    assert reader.page_labels[0] == "i"
    assert reader.pages[0].extract_text().strip().startswith("28 Banned Photos")
