"""The print-ready edition, judged by pypdf, poppler and qpdf: a KDP interior of a 6 × 9 in book, its
wrap-around cover, IngramSpark's PDF/X-1a, and the preflight of each."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import RICH, SAMPLE
from pressroom.articles import book_of_sources, read_article
from pressroom.cli import main
from pressroom.execution import export_set
from pressroom.exporters import ExportOptions, exporter_for
from pressroom.exporters.pdf import IN_MEMORY
from pressroom.exporters.pdf.printready import print_job
from pressroom.exporters.pdf.printready.cover import cover_pdf
from pressroom.exporters.pdf.printready.geometry import BARCODE, BARCODE_INSET, TRIMS
from pressroom.exporters.pdf.printready.inspect import read_facts
from pressroom.exporters.pdf.printready.interior import press_fetcher_files
from validators import pdffonts, qpdf_check, require

POINTS = 72


def generated_article(folder: Path, number: int) -> Path:
    """An article long enough to fill a dozen 6 × 9 in pages."""
    sections = "\n\n".join(
        f"## Part {part}\n\n" + "\n\n".join(
            f"Paragraph {paragraph} of part {part} of chapter {number} tells of the harbour, the boats and "
            "the people who work them, at a length a printed book would give it, with words enough to "
            "fill the measure of a line several times over before the paragraph ends." for paragraph in range(6))
        for part in range(1, 9))
    path = folder / f"chapter-{number}.md"
    path.write_text(f"---\ntitle: Chapter {number}\nauthors: [Ada Lovelace]\ndate: 2024-03-01\n"
                    f"description: A long account of the harbour, its boats and its people.\n---\n\n{sections}\n",
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    folder = tmp_path_factory.mktemp("print-book")
    return book_of_sources("Harbour Book", [SAMPLE, generated_article(folder, 1), generated_article(folder, 2)])


def print_edition(publication, **chosen):
    return export_set(publication, ["print"], ExportOptions({"printer": "kdp", "trim": "6x9", **chosen}))["print"]


@pytest.fixture(scope="module")
def kdp(book, tmp_path_factory):
    edition = print_edition(book)
    folder = tmp_path_factory.mktemp("kdp")
    for file in edition.files:
        (folder / file.name).write_bytes(file.data)
    return edition, folder / edition.files[0].name, folder / edition.files[1].name


def test_every_page_is_the_trim_with_bleed_outside_and_the_trim_box_on_the_spine_side(kdp):
    _, interior, _ = kdp
    reader = PdfReader(interior)
    assert len(reader.pages) >= 24
    for number, page in enumerate(reader.pages, start=1):
        media, trim, bleed = page.mediabox, page.trimbox, page.bleedbox
        assert (float(media.width), float(media.height)) == pytest.approx((6.125 * POINTS, 9.25 * POINTS))
        assert (float(trim.width), float(trim.height)) == pytest.approx((6 * POINTS, 9 * POINTS))
        assert [float(value) for value in bleed] == [float(value) for value in media]
        spine_side = (media.left, trim.left) if number % 2 else (media.right, trim.right)  # rectos bind on the left
        assert float(spine_side[0]) == pytest.approx(float(spine_side[1])), number


def test_no_link_annotations_no_bookmarks_and_every_font_embedded(kdp):
    _, interior, _ = kdp
    reader = PdfReader(interior)
    assert "/Outlines" not in reader.trailer["/Root"]
    assert not any("/Annots" in page for page in reader.pages)
    fonts = pdffonts(interior)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts


def test_the_output_intent_is_a_cmyk_profile_and_the_xmp_says_pdf_x_4(kdp):
    _, interior, cover = kdp
    for path in (interior, cover):
        root = PdfReader(path).trailer["/Root"]
        (intent,) = root["/OutputIntents"]
        intent = intent.get_object()
        assert intent["/S"] == "/GTS_PDFX"
        assert intent["/DestOutputProfile"].get_object()["/N"] == 4
        xmp = root["/Metadata"].get_object().get_data()
        assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp


def test_the_same_book_gives_the_same_bytes_and_qpdf_finds_nothing(book, kdp):
    edition, interior, cover = kdp
    again = print_edition(book)
    assert [file.data for file in again.files] == [file.data for file in edition.files]
    assert b"xmp.did:" in edition.files[0].data
    for path in (interior, cover):
        checked = qpdf_check(path)
        assert checked.returncode == 0 and "No syntax or stream encoding errors" in checked.stdout, checked.stdout


def test_the_dates_come_from_the_article_not_the_clock():
    edition = print_edition(read_article(RICH))
    for file in edition.files:
        reader = PdfReader(io.BytesIO(file.data))
        assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"] == "D:20240301000000Z"
        assert b"<xmp:MetadataDate>2024-03-01T00:00:00Z</xmp:MetadataDate>" in file.data


def test_the_edition_holds_the_files_the_queue_expects(book, kdp):
    edition, _, _ = kdp
    planned = exporter_for("print").planned_files(book)
    assert [(file.name, file.media_type) for file in edition.files] == list(planned.items())


def test_the_preflight_finds_every_kdp_rule_met(kdp):
    edition, _, _ = kdp
    findings = exporter_for("print").check(edition)
    assert not [finding.text for finding in findings if finding.level == "error"]
    texts = " ".join(finding.text for finding in findings)
    for rule in ("Page size", "trim box", "Gutter", "Fonts", "Resolution", "Output intent", "Annotations",
                 "Bookmarks", "Cover:"):
        assert rule in texts


def cover_of(article, pages: int, **chosen) -> bytes:
    settings = exporter_for("print").settings(ExportOptions({"printer": "kdp", "trim": "6x9", "paper": "cream",
                                                             **chosen}))
    job = print_job(article, settings)
    return cover_pdf(article, job, pages, settings["paper"], press_fetcher_files(article, job, IN_MEMORY), IN_MEMORY)


@pytest.mark.parametrize("pages", [120, 240, 480])
def test_the_cover_is_two_trims_the_spine_and_bleed_wide(pages):
    reader = PdfReader(io.BytesIO(cover_of(read_article(RICH), pages)))
    (page,) = reader.pages
    width = 2 * 6 + pages * 0.0025 + 2 * 0.125
    assert float(page.mediabox.width) / POINTS == pytest.approx(width, abs=0.001)
    assert float(page.mediabox.height) / POINTS == pytest.approx(9.25, abs=0.001)
    assert float(page.trimbox.width) / POINTS == pytest.approx(width - 0.25, abs=0.001)


def text_in(pdf: bytes, folder: Path, left: float, top: float, width: float, height: float) -> str:
    """The text poppler finds in a region of the page, in inches from the trim's top left corner."""
    path = folder / "cover.pdf"
    path.write_bytes(pdf)
    crop = [str(round(value * POINTS)) for value in (left + 0.125, top + 0.125, width, height)]
    return subprocess.run([require("pdftotext"), "-r", str(POINTS), "-x", crop[0], "-y", crop[1], "-W", crop[2],
                           "-H", crop[3], str(path), "-"], capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.parametrize(("pages", "text"), [(120, True), (60, False)])
def test_the_spine_carries_the_title_only_above_79_pages(tmp_path, pages, text):
    spine = pages * 0.0025
    found = text_in(cover_of(read_article(RICH), pages), tmp_path, 6, 0, spine, 9)
    assert ("Field Notes" in found.replace("\n", " ")) is text, found


def test_the_back_has_the_description_and_the_barcode_area_kept_clear(tmp_path):
    article = read_article(RICH)
    cover = cover_of(article, 120)
    width, height = BARCODE
    assert "tide table" in text_in(cover, tmp_path, 0, 0, 6, 9)
    assert text_in(cover, tmp_path, 6 - BARCODE_INSET - width, 9 - BARCODE_INSET - height, width, height) == ""


def test_ingramspark_gets_pdf_x_1a_without_rgb_or_transparency():
    edition = print_edition(read_article(RICH), printer="ingramspark")
    for file in edition.files:
        facts, images = read_facts(file.data)
        assert facts.pdfx == "PDF/X-1a:2003"
        assert not facts.rgb and not facts.transparency
        assert all(image.colour_space in ("/DeviceCMYK", "/DeviceGray") for image in images)
        reader = PdfReader(io.BytesIO(file.data))
        for page in reader.pages:
            for image in page.images:
                assert image.image.mode in ("CMYK", "L")
    assert any(images for images in (read_facts(edition.files[0].data)[1],))


def test_a_72_dpi_image_is_named_in_a_warning_and_fails_the_resolution_rule(tmp_path):
    Image.new("RGB", (216, 144), (40, 90, 160)).save(tmp_path / "coarse.png", dpi=(72, 72))
    source = tmp_path / "coarse.md"
    source.write_text("---\ntitle: Coarse\ndate: 2024-03-01\n---\n\n"
                      "![A blue field](coarse.png){width=100%}\n\nText.\n", encoding="utf-8")
    article = read_article(source)
    edition = print_edition(article)
    assert any("coarse.png" in warning and "dpi" in warning for warning in edition.warnings), edition.warnings
    failing = [finding.text for finding in exporter_for("print").check(edition) if finding.level == "error"]
    assert any(text.startswith("Resolution:") and "page" in text for text in failing), failing


@pytest.fixture
def print_settings(monkeypatch):
    """--icc and --custom-trim set the print settings of the run: put them back after the test."""
    for name in ("PRESSROOM_PRINT_ICC", "PRESSROOM_PRINT_TRIM"):
        monkeypatch.setenv(name, "")


def test_the_cli_refuses_a_profile_that_is_not_cmyk_naming_it(tmp_path, print_settings):
    from click.testing import CliRunner
    from PIL import ImageCms

    screen = tmp_path / "screen.icc"
    screen.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    result = CliRunner().invoke(main, ["export", str(RICH), "-f", "print", "--icc", str(screen), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "screen.icc: is a RGB" in result.output
    assert not list(tmp_path.glob("*.pdf"))


def test_a_custom_trim_from_the_cli_sizes_the_pages(tmp_path, print_settings):
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["export", str(RICH), "-f", "print", "--custom-trim", "5.06x7.81", "--no-bleed",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    page = PdfReader(tmp_path / "article-interior.pdf").pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((5.06 * POINTS, 7.81 * POINTS))


def test_the_cli_keeps_the_print_settings_off_the_queue(tmp_path, print_settings):
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["export", str(RICH), "-f", "print", "--custom-trim", "5x8", "--queue",
                                       "redis://127.0.0.1:1/0", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "apply to exports made here" in result.output
