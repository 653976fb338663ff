"""The EPUB edition: package structure read as XML, EPUBCheck, reproducibility."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree
from pypdf import PdfReader

from pressroom.articles import read_article
from conftest import LONG, RICH, SAMPLE, VALID_MARKDOWN
from pressroom.exporters.epub.cover import cover_png
from pressroom.exporters import ExportOptions
from pressroom.execution import export, export_set
from validators import ace_violations, epubcheck_messages

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/"}


def open_epub(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def xml(book: zipfile.ZipFile, name: str):
    return etree.fromstring(book.read(name))


@pytest.fixture
def sample_epub(sample):
    return open_epub(export(sample, "epub"))


def test_mimetype_comes_first_and_stored(sample_epub):
    first = sample_epub.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert sample_epub.read("mimetype") == b"application/epub+zip"


def test_nav_lists_the_four_items_in_order_and_invents_no_introduction(sample, sample_epub):
    nav = xml(sample_epub, "EPUB/text/nav.xhtml")
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    links = toc.findall(".//x:a", NS)
    assert [a.get("href") for a in links] == [f"item-{n}.xhtml" for n in range(1, 5)]
    assert [a.findtext("x:span", namespaces=NS) for a in links] == ["1.", "2.", "3.", "4."]
    assert "Introduction" not in etree.tostring(nav, encoding="unicode")
    assert nav.find(".//x:nav[@epub:type='landmarks']", NS) is not None


def test_the_opening_is_a_chapter_without_a_heading_titled_by_the_article(sample, sample_epub):
    opening = xml(sample_epub, "EPUB/text/opening.xhtml")
    assert opening.findtext(".//x:title", namespaces=NS) == sample.title
    assert opening.find(".//x:h1", NS) is None
    assert opening.find(".//x:p", NS).text == "Photography in North Korea is restricted and heavily patrolled."


def test_ncx_mirrors_the_nav(sample, sample_epub):
    ncx = xml(sample_epub, "EPUB/toc.ncx")
    points = ncx.findall(".//ncx:navPoint", NS)
    assert [p.find("ncx:content", NS).get("src") for p in points] == [f"text/{s.id}.xhtml" for s in sample.contents]
    assert [p.get("playOrder") for p in points] == ["1", "2", "3", "4"]


def test_one_chapter_per_section_in_the_spine(sample, sample_epub):
    opf = xml(sample_epub, "EPUB/content.opf")
    manifest = {item.get("id"): item.get("href") for item in opf.findall(".//opf:manifest/opf:item", NS)}
    spine = [manifest[ref.get("idref")] for ref in opf.findall(".//opf:spine/opf:itemref", NS)]
    assert spine == (["text/cover.xhtml", "text/titlepage.xhtml", "text/nav.xhtml"]
                     + [f"text/{s.id}.xhtml" for s in sample.sections])
    assert opf.find(".//opf:spine", NS).get("toc") == "ncx"
    names = set(sample_epub.namelist()) - {"mimetype", "META-INF/container.xml", "EPUB/content.opf"}
    assert names == {f"EPUB/{href}" for href in manifest.values()}


def test_sample_metadata(sample, sample_epub):
    opf = xml(sample_epub, "EPUB/content.opf")
    assert opf.findtext(".//dc:title", namespaces=NS) == sample.title
    assert opf.findtext(".//dc:language", namespaces=NS) == "en"
    assert opf.findtext(".//dc:identifier", namespaces=NS).startswith("urn:uuid:")


def test_rich_metadata_matches_the_front_matter(rich):
    opf = xml(open_epub(export(rich, "epub")), "EPUB/content.opf")
    assert opf.findtext(".//dc:identifier", namespaces=NS) == "urn:isbn:9780000000002"
    assert [t.text for t in opf.findall(".//dc:title", NS)] == ["Field Notes from the Harbour",
                                                              "A week among the fishing boats"]
    assert [c.text for c in opf.findall(".//dc:creator", NS)] == ["Ada Lovelace", "Grace Hopper"]
    assert opf.findtext(".//opf:meta[@refines='#creator-1'][@property='file-as']", namespaces=NS) == "Lovelace, Ada"
    assert opf.findtext(".//dc:language", namespaces=NS) == "en-GB"
    assert opf.findtext(".//dc:date", namespaces=NS) == "2024-03-01"
    assert opf.findtext(".//opf:meta[@property='dcterms:modified']", namespaces=NS) == "2024-03-01T00:00:00Z"
    assert [s.text for s in opf.findall(".//dc:subject", NS)] == ["harbours", "fishing"]
    assert opf.findtext(".//opf:meta[@property='belongs-to-collection']", namespaces=NS) == "Coastal Notes"


def test_images_footnotes_and_links_in_the_rich_epub(rich):
    book = open_epub(export(rich, "epub"))
    assert book.read("EPUB/text/images/boat.png") == (RICH.parent / "images" / "boat.png").read_bytes()
    boats = xml(book, "EPUB/text/the-boats.xhtml")
    assert boats.find(".//x:img", NS).get("alt") == "A blue fishing boat moored at a stone quay"
    assert boats.find(".//x:a[.='the tides']", NS).get("href") == "the-tides.xhtml#article-the-tides"
    tides = xml(book, "EPUB/text/the-tides.xhtml")
    assert tides.find(".//x:a[@epub:type='noteref']", NS).get("href") == "#article-fn-2"
    assert tides.find(".//x:aside[@epub:type='footnote']", NS).get("id") == "article-fn-2"


@pytest.mark.parametrize("source", [SAMPLE, *VALID_MARKDOWN], ids=lambda path: path.stem)
def test_epubcheck_finds_nothing(source, tmp_path):
    path = tmp_path / "book.epub"
    path.write_bytes(export(read_article(source), "epub"))
    assert epubcheck_messages(path) == []


def test_two_exports_are_byte_identical(sample, rich):
    for article in (sample, rich):
        assert export(article, "epub") == export(read_article(article.source_path), "epub", ExportOptions())


def test_the_epubcheck_harness_reports_a_broken_book(sample, tmp_path):
    good = open_epub(export(sample, "epub"))
    path = tmp_path / "broken.epub"
    with zipfile.ZipFile(path, "w") as broken:
        for info in good.infolist():
            if info.filename != "EPUB/text/nav.xhtml":
                broken.writestr(info, good.read(info.filename))
    assert any(m["severity"] in ("ERROR", "FATAL") for m in epubcheck_messages(path))


def test_the_generated_cover_is_the_cover_image_and_first_page(sample, sample_epub):
    opf = xml(sample_epub, "EPUB/content.opf")
    cover = opf.find(".//opf:item[@properties='cover-image']", NS)
    assert cover.get("href") == "cover.png" and cover.get("media-type") == "image/png"
    assert opf.find(".//opf:meta[@name='cover']", NS).get("content") == cover.get("id")
    assert sample_epub.read("EPUB/cover.png") == cover_png(sample)
    page = xml(sample_epub, "EPUB/text/cover.xhtml")
    image = page.find(".//x:img", NS)
    assert image.get("src") == "../cover.png" and image.get("role") == "doc-cover"
    assert image.get("alt") == f"Cover of {sample.title}"


def test_a_front_matter_cover_is_used_as_it_is(rich, tmp_path):
    source = tmp_path / "with-cover.md"
    source.write_text(RICH.read_text(encoding="utf-8").replace("---\n\n", "cover: images/boat.png\n---\n\n", 1),
                      encoding="utf-8")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "boat.png").write_bytes((RICH.parent / "images" / "boat.png").read_bytes())
    book = open_epub(export(read_article(source), "epub"))
    opf = xml(book, "EPUB/content.opf")
    assert opf.find(".//opf:item[@properties='cover-image']", NS).get("href") == "text/images/boat.png"
    assert "EPUB/cover.png" not in book.namelist()
    path = tmp_path / "book.epub"
    path.write_bytes(export(read_article(source), "epub"))
    assert epubcheck_messages(path) == []


def test_no_cover_option(sample):
    book = open_epub(export(sample, "epub", ExportOptions(cover=False)))
    assert "EPUB/text/cover.xhtml" not in book.namelist() and "EPUB/cover.png" not in book.namelist()


def test_no_page_list_unless_asked(sample_epub):
    nav = xml(sample_epub, "EPUB/text/nav.xhtml")
    assert nav.find(".//x:nav[@epub:type='page-list']", NS) is None


@pytest.fixture(scope="module")
def paginated(tmp_path_factory):
    """The long fixture's PDF and EPUB (A5), exported together as the CLI does."""
    folder = tmp_path_factory.mktemp("paginated")
    article = read_article(LONG)
    editions = export_set(article, ["pdf", "epub"], ExportOptions(page_size="a5"))
    (folder / "book.pdf").write_bytes(editions["pdf"].main.data)
    (folder / "book.epub").write_bytes(editions["epub"].main.data)
    return folder


def printed_body_pages(pdf_path) -> list[str]:
    """The text of each PDF page whose folio is an arabic number (the body pages), in order."""
    pages = []
    for page in PdfReader(pdf_path).pages:
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        if lines and lines[-1].strip().isdigit():
            pages.append("\n".join(lines))
    return pages


def test_the_page_list_has_an_entry_per_body_page_of_the_pdf(paginated):
    book = zipfile.ZipFile(paginated / "book.epub")
    links = xml(book, "EPUB/text/nav.xhtml").findall(".//x:nav[@epub:type='page-list']//x:a", NS)
    body_pages = printed_body_pages(paginated / "book.pdf")
    assert len(body_pages) >= 6
    assert [a.text for a in links] == [str(n) for n in range(1, len(body_pages) + 1)]


def test_each_page_break_sits_where_that_pdf_page_begins(paginated):
    book = zipfile.ZipFile(paginated / "book.epub")
    body_pages = printed_body_pages(paginated / "book.pdf")
    links = xml(book, "EPUB/text/nav.xhtml").findall(".//x:nav[@epub:type='page-list']//x:a", NS)
    for link, page_text in zip(links, body_pages, strict=True):
        file_name, anchor = link.get("href").split("#")
        chapter = xml(book, f"EPUB/text/{file_name}")
        marker = chapter.find(f".//*[@id='{anchor}']", NS)
        assert marker.get("role") == "doc-pagebreak" and marker.get("{%s}type" % NS["epub"]) == "pagebreak"
        following = " ".join("".join(marker.xpath("following::text()")).split())
        first_words = page_text.splitlines()[1 if link.text != "1" else 0].split()[1:4]
        # The marker stands at the start of the word the page begins with (or the word it finishes).
        assert " ".join(first_words) in following[:120], (link.text, following[:80], first_words)


def test_the_package_names_the_page_source_and_claims_page_navigation(paginated):
    opf = xml(zipfile.ZipFile(paginated / "book.epub"), "EPUB/content.opf")
    assert opf.findtext(".//opf:meta[@property='pageBreakSource']", namespaces=NS).endswith("#pdf-a5")
    features = [m.text for m in opf.findall(".//opf:meta[@property='schema:accessibilityFeature']", NS)]
    assert "pageBreakMarkers" in features and "pageNavigation" in features


def test_the_paginated_epub_passes_epubcheck_and_is_reproducible(paginated):
    assert epubcheck_messages(paginated / "book.epub") == []
    again = export(read_article(LONG), "epub", ExportOptions(page_size="a5", page_list=True))
    assert again == (paginated / "book.epub").read_bytes()


def test_the_print_layout_is_made_once_per_export_set(monkeypatch, tmp_path):
    from pressroom.exporters.pdf import layout

    article = read_article(LONG)
    log = tmp_path / "layouts.log"
    original = layout.laid_out

    def counted_layout(*args):
        with log.open("a") as stream:  # exports run in forked workers: count in a file
            stream.write("layout\n")
        return original(*args)

    monkeypatch.setattr(layout, "laid_out", counted_layout)
    editions = export_set(article, ["epub", "pdf"], ExportOptions(page_size="letter"))
    assert log.read_text().count("layout") == 1
    nav = xml(zipfile.ZipFile(io.BytesIO(editions["epub"].main.data)), "EPUB/text/nav.xhtml")
    marked = nav.findall(".//x:nav[@epub:type='page-list']//x:a", NS)
    assert len(marked) == len(editions["pdf"].pages.starts) >= 5
    export(article, "epub", ExportOptions(page_size="6x9", page_list=True))
    assert log.read_text().count("layout") == 2
    export(article, "epub", ExportOptions(page_size="6x9"))
    assert log.read_text().count("layout") == 2


@pytest.mark.parametrize("source", [SAMPLE, *VALID_MARKDOWN], ids=lambda path: path.stem)
def test_ace_finds_no_violation(source, tmp_path):
    path = tmp_path / "book.epub"
    path.write_bytes(export(read_article(source), "epub"))
    assert ace_violations(path, tmp_path / "ace") == []


def test_ace_finds_no_violation_in_the_paginated_book(paginated, tmp_path):
    assert ace_violations(paginated / "book.epub", tmp_path / "ace") == []


def test_the_ace_harness_reports_a_missing_language(sample, tmp_path):
    good = open_epub(export(sample, "epub"))
    path = tmp_path / "no-lang.epub"
    with zipfile.ZipFile(path, "w") as broken:
        for info in good.infolist():
            content = good.read(info.filename)
            if info.filename == "EPUB/content.opf":
                content = content.replace(b' xml:lang="en"', b"")
            broken.writestr(info, content)
    assert any(rule == "epub-lang" for _, rule, _ in ace_violations(path, tmp_path / "ace"))


def test_the_sample_claims_wcag_conformance(sample_epub):
    opf = xml(sample_epub, "EPUB/content.opf")
    assert opf.findtext(".//opf:meta[@property='dcterms:conformsTo']", namespaces=NS) == (
        "EPUB Accessibility 1.1 - WCAG 2.2 Level AA")
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_an_undescribed_image_limits_the_claims_and_warns(tmp_path):
    (tmp_path / "boat.png").write_bytes((RICH.parent / "images" / "boat.png").read_bytes())
    source = tmp_path / "x.md"
    source.write_text("# T\n\n![](boat.png)\n", encoding="utf-8")
    article = read_article(source)
    assert any("has no alt text" in warning for warning in article.warnings)
    opf = xml(open_epub(export(article, "epub")), "EPUB/content.opf")
    assert opf.find(".//opf:meta[@property='dcterms:conformsTo']", NS) is None
    features = [m.text for m in opf.findall(".//opf:meta[@property='schema:accessibilityFeature']", NS)]
    assert "alternativeText" not in features
    sufficient = [m.text for m in opf.findall(".//opf:meta[@property='schema:accessModeSufficient']", NS)]
    assert sufficient == ["textual,visual"]
