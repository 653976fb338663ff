"""The PDF edition, judged by pypdf, poppler and qpdf."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from pressroom.articles import read_article
from conftest import FIXTURES, LONG, RICH, SAMPLE
from pressroom.exporters import ExportOptions
from pressroom.execution import export
from validators import pdffonts, pdfinfo, pdftotext, qpdf_check

PAGE_POINTS = {"a4": (595.276, 841.89), "letter": (612, 792), "a5": (419.528, 595.276), "6x9": (432, 648)}


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "sample.pdf"
    path.write_bytes(export(read_article(SAMPLE), "pdf"))
    return path


def squash(text: str) -> str:
    """Text with every run of white space (the no-break space included) as one space."""
    return re.sub(r"\s+", " ", text).strip()


def test_every_sentence_of_the_sample_is_in_the_text(sample, sample_pdf):
    # A sentence may run across a page break: the page's number and running head are not part of it.
    heads = {squash(sample.title), *(squash(section.label) for section in sample.sections)}
    pages = [[line for line in page.splitlines() if line.strip() and not line.strip().isdigit()]
             for page in pdftotext(sample_pdf).split("\f")]
    text = squash(" ".join(" ".join(lines[1:] if lines and squash(lines[0]) in heads and number > 1 else lines)
                           for number, lines in enumerate(pages)))
    dehyphenated = re.sub(r"(\w)[-\u2010] (\w)", r"\1\2", text)
    source = SAMPLE.read_text(encoding="utf-8")
    body = dehyphenated[dehyphenated.index("Photography in North"):]
    position = 0
    for paragraph in list(filter(str.strip, source.split("\n\n")))[1:]:
        for sentence in re.split(r"(?<=[.?!])\s+", squash(re.sub(r"^\d+\.\s+", "", paragraph.strip()))):
            assert sentence in text or sentence in dehyphenated, sentence
            found = body.find(sentence, position)
            assert found >= 0, f"out of reading order: {sentence}"
            position = found + len(sentence)


def test_curly_apostrophes_and_the_no_break_space_survive(sample_pdf):
    text = squash(pdftotext(sample_pdf))
    assert "It’s not clear" in text and "don’t want us" in text
    # poppler prints U+00A0 as a space, so the no-break space is read through the PDF's ToUnicode map.
    body = "".join(page.extract_text() for page in PdfReader(sample_pdf).pages)
    assert "It shows\u00a0a broken" in body


def test_outline_is_the_four_items_in_order_and_invents_no_introduction(sample, sample_pdf):
    reader = PdfReader(sample_pdf)
    titles = [item.title for item in reader.outline]
    assert titles == [squash(s.label) for s in sample.sections[1:]]
    assert [title.split(".")[0] for title in titles] == ["1", "2", "3", "4"]
    # The four items all begin on the text's first page: a contents would list one page number for all.
    assert "CONTENTS" not in pdftotext(sample_pdf).upper()
    assert "Introduction" not in pdftotext(sample_pdf)


@pytest.fixture(scope="module")
def long_list():
    return read_article(LONG)


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory, long_list):
    path = tmp_path_factory.mktemp("pdf") / "long.pdf"
    path.write_bytes(export(long_list, "pdf"))
    return path


def test_printed_contents_give_the_pages_where_sections_start(long_list, long_pdf):
    sample, reader = long_list, PdfReader(long_pdf)
    pages = [squash(page.extract_text()) for page in reader.pages]
    contents_page = next(i for i, text in enumerate(pages) if text.startswith("CONTENTS"))
    body_start = contents_page + 1
    for section in sample.contents:
        outline_item = next(item for item in reader.outline if item.title == squash(section.label))
        physical = reader.get_destination_page_number(outline_item)
        printed = physical - body_start + 1
        entry = re.search(re.escape(squash(section.title)) + r" (\d+)", pages[contents_page])
        assert entry and int(entry.group(1)) == printed, section.id


def test_contents_entries_are_links_to_their_sections(long_pdf):
    reader = PdfReader(long_pdf)
    contents = next(page for page in reader.pages if "CONTENTS" in page.extract_text())
    links = [a.get_object() for a in contents.get("/Annots", []) if a.get_object()["/Subtype"] == "/Link"]
    assert len(links) >= 5


def test_pdfinfo_reports_a_tagged_titled_pdf(sample, sample_pdf):
    info = pdfinfo(sample_pdf)
    assert info["Tagged"] == "yes"
    assert info["Title"] == sample.title
    assert int(info["Pages"]) == 4  # cover, two pages of text, colophon


def test_fonts_are_the_bundled_ones_embedded_and_subset(sample_pdf):
    fonts = pdffonts(sample_pdf)
    assert fonts
    for row in fonts:
        name, emb, sub = row[0], row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert re.match(r"[A-Z]{6}\+(Noto-Serif|Lato)", name), row


def test_qpdf_finds_no_problem(sample_pdf):
    result = qpdf_check(sample_pdf)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout
    assert "WARNING" not in (result.stdout + result.stderr).upper()


@pytest.mark.parametrize("page_size", sorted(PAGE_POINTS))
def test_page_size_option(sample, page_size, tmp_path):
    path = tmp_path / "sized.pdf"
    path.write_bytes(export(sample, "pdf", ExportOptions(page_size=page_size)))
    width, height = (float(v) for v in re.findall(r"[\d.]+", pdfinfo(path)["Page size"])[:2])
    assert (width, height) == pytest.approx(PAGE_POINTS[page_size], abs=0.01)


def test_rich_article_has_its_image_and_footnotes(rich, tmp_path):
    path = tmp_path / "rich.pdf"
    path.write_bytes(export(rich, "pdf"))
    sizes = {image.image.size for page in PdfReader(path).pages for image in page.images}
    with Image.open(RICH.parent / "images" / "boat.png") as image:
        assert image.size in sizes
    text = squash(pdftotext(path))
    assert "Sunrise was at 06:40 that week." in text
    assert pdfinfo(path)["Author"] == "Ada Lovelace, Grace Hopper"


def test_no_cover_option_drops_the_cover_page(sample):
    with_cover = PdfReader(io.BytesIO(export(sample, "pdf")))
    without = PdfReader(io.BytesIO(export(sample, "pdf", ExportOptions(cover=False))))
    assert len(without.pages) == len(with_cover.pages) - 1


def test_two_exports_are_byte_identical(sample):
    assert export(sample, "pdf") == export(read_article(SAMPLE), "pdf")


@pytest.mark.parametrize(("variant", "claim"), [("pdf/ua-1", b"pdfuaid:part"), ("pdf/a-2b", b"pdfaid:part"),
                                                ("pdf/a-3b", b"pdfaid:part")])
def test_every_variant_is_tagged_and_says_what_it_conforms_to(sample, variant, claim, tmp_path):
    path = tmp_path / "variant.pdf"
    path.write_bytes(export(sample, "pdf", ExportOptions(pdf_variant=variant)))
    assert pdfinfo(path)["Tagged"] == "yes"
    assert qpdf_check(path).returncode == 0
    metadata = PdfReader(path).trailer["/Root"]["/Metadata"].get_object().get_data()
    assert claim in metadata


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


@pytest.fixture(scope="module")
def rich_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "rich.pdf"
    path.write_bytes(export(read_article(RICH), "pdf", ExportOptions(page_size="a5")))
    return path


def test_figures_carry_their_alt_text_in_the_tags(rich_pdf):
    alts = [e["/Alt"] for e in structure_elements(PdfReader(rich_pdf)) if e["/S"] == "/Figure"]
    assert alts == ["A blue fishing boat moored at a stone quay"]


def test_the_generated_cover_is_text_and_shapes_not_a_picture(rich_pdf):
    reader = PdfReader(rich_pdf)
    assert squash(reader.pages[0].extract_text()) == ("Field Notes from the Harbour A week among the fishing boats "
                                                      "Ada Lovelace and Grace Hopper")
    # WeasyPrint shares one resource dictionary between pages: the article's image is the only one.
    with Image.open(RICH.parent / "images" / "boat.png") as boat:
        assert {image.image.size for page in reader.pages for image in page.images} == {boat.size}


def test_footnotes_sit_on_the_page_that_cites_them(rich_pdf):
    pages = [squash(page.extract_text()) for page in PdfReader(rich_pdf).pages]
    for citing, note in (("before the town does", "Sunrise was at 06:40 that week."),
                         ("printed in the harbour office", "The office opens at eight, most days.")):
        citing_pages = [text for text in pages if citing in text]
        assert citing_pages, f"no page holds the text citing {note!r}"
        assert all(note in text for text in citing_pages), note


def test_metadata_has_subject_and_keywords(rich_pdf):
    reader = PdfReader(rich_pdf)
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    info = reader.metadata
    assert info["/Subject"] == "Notes, photographs and a tide table from a week at the harbour."
    assert info["/Keywords"] == "harbours, fishing"
    assert info["/CreationDate"] == "D:20240301000000Z"


def test_internal_links_go_to_sections_and_external_ones_are_uris(rich_pdf, tmp_path):
    destinations = [a.get_object().get("/Dest") for page in PdfReader(rich_pdf).pages
                    for a in page.get("/Annots", []) or []]
    assert "article-the-tides" in destinations  # the section's id, prefixed as every article id is
    path = tmp_path / "plain.pdf"
    path.write_bytes(export(read_article(FIXTURES / "article_without_front_matter.md"), "pdf"))
    uris = [a.get_object()["/A"]["/URI"] for page in PdfReader(path).pages for a in page.get("/Annots", []) or []
            if "/A" in a.get_object()]
    assert uris == ["https://example.org/"]


def test_code_is_set_in_the_bundled_monospace(rich_pdf):
    fonts = [row[0] for row in pdffonts(rich_pdf)]
    assert any(name.endswith("+DejaVu-Sans-Mono") for name in fonts)
    for row in pdffonts(rich_pdf):
        assert re.match(r"[A-Z]{6}\+(Noto-Serif|Lato|DejaVu-Sans-Mono)", row[0]), row
