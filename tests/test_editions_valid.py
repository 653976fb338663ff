"""Every test article at every page size, PDF and EPUB made together: EPUBCheck finds nothing, page
breaks stand where the content model allows them, and ids and file names are unique."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from pressroom.articles import ContentError, read_article
from pressroom.exporters import ExportOptions
from pressroom.exporters.page_breaks import insert_page_breaks
from pressroom.exporters.pagination import PageStart
from pressroom.exporters.registry import make_editions, plan_editions
from conftest import FIXTURES, SAMPLE
from validators import epubcheck_reports

HOSTILE = Path(__file__).resolve().parent / "hostile"
PAGE_SIZES = ("a4", "letter", "a5", "6x9")
X = "{http://www.w3.org/1999/xhtml}"
# Where a span may not stand: elements that hold rows, cells, items, terms or columns, not text.
NO_TEXT = {"table", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "ul", "ol", "dl", "figure"}


def readable_articles():
    """Every article of the test corpus that reads (some are there to fail reading)."""
    sources = [SAMPLE, *sorted(FIXTURES.glob("*.md")), *sorted(FIXTURES.glob("*.txt")),
               *sorted(FIXTURES.glob("*/article.md")), *sorted(HOSTILE.iterdir())]
    articles = []
    for source in sources:
        try:
            articles.append(read_article(source))
        except ContentError:
            continue
    return articles


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """{(article file, page size): its EPUB}, each made with the PDF in one set as the CLI makes them."""
    folder = tmp_path_factory.mktemp("editions")
    made = {}
    for article in readable_articles():
        name = article.source_path.relative_to(article.source_path.parent.parent).as_posix()
        for size in PAGE_SIZES:
            options = ExportOptions(page_size=size)
            epub = make_editions(article, plan_editions(["pdf", "epub"], options), options)["epub"]
            path = folder / f"{article.slug}-{len(made)}-{size}.epub"
            path.write_bytes(epub.main.data)
            made[name, size] = path
    return made


@pytest.fixture(scope="module")
def epubcheck_by_book(editions):
    return epubcheck_reports(list(editions.values()))


def test_the_corpus_holds_the_hard_cases(editions):
    names = {name for name, _ in editions}
    for case in ("content/titles_with_control_characters.md", "content/sections_whose_names_collide.md",
                 "content/tables_lists_and_definitions_across_pages.md", "hostile/only_a_title.txt"):
        assert case in names


@pytest.mark.parametrize("size", PAGE_SIZES)
def test_epubcheck_finds_nothing_in_any_book_with_a_page_list(size, editions, epubcheck_by_book):
    found = {name: [(m["ID"], m["message"]) for m in epubcheck_by_book[path]]
             for (name, book_size), path in editions.items() if book_size == size}
    assert {name: messages for name, messages in found.items() if messages} == {}


def page_breaks(path: Path):
    """(chapter file, marker) for every page-break marker of the EPUB at `path`."""
    book = zipfile.ZipFile(path)
    for name in book.namelist():
        if name.endswith(".xhtml"):
            for marker in etree.fromstring(book.read(name)).iter(f"{X}span"):
                if marker.get("role") == "doc-pagebreak":
                    yield name, marker


def test_page_breaks_stand_only_where_text_may_and_never_shift_a_cell(editions):
    for (name, size), path in editions.items():
        for chapter, marker in page_breaks(path):
            assert etree.QName(marker.getparent()).localname not in NO_TEXT, (name, size, chapter)
            for row in marker.getroottree().iter(f"{X}tr"):
                assert {etree.QName(cell).localname for cell in row} <= {"td", "th"}, (name, size)


def test_pages_begin_inside_tables_and_lists_at_every_size(editions):
    for size in PAGE_SIZES:
        path = editions["content/tables_lists_and_definitions_across_pages.md", size]
        inside = Counter(etree.QName(marker.getparent()).localname for _, marker in page_breaks(path))
        assert inside["td"] and inside["li"] and inside["dt"] + inside["dd"], (size, inside)


def test_member_names_and_ids_are_unique_whatever_the_titles(editions):
    for (name, size), path in editions.items():
        book = zipfile.ZipFile(path)
        members = book.namelist()
        assert len(members) == len(set(members)), name
        for member in members:
            if member.endswith(".xhtml"):
                ids = [element.get("id") for element in etree.fromstring(book.read(member)).iter()
                       if element.get("id")]
                assert len(ids) == len(set(ids)), (name, size, member)


def chapter(body: str) -> bytes:
    return (f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body>'
            f'<section id="s"><h1 id="s-title">S</h1>{body}</section></body></html>').encode()


def offset_of(word: str, block: str) -> int:
    """Where `word` begins in the text of `block`, as the print layout counts it."""
    return "".join(etree.fromstring(block).itertext()).index(word)


def marker_in(document: bytes):
    root = etree.fromstring(document)
    return next(span for span in root.iter(f"{X}span") if span.get("role") == "doc-pagebreak")


def test_a_page_beginning_at_a_table_row_is_marked_in_its_first_cell():
    table = ("<table><thead><tr><th>Day</th><th>Tide</th></tr></thead>\n<tbody>\n<tr>\n<td>Mon</td>\n<td>6</td>\n"
             "</tr>\n<tr>\n<td>Tue</td>\n<td>7</td>\n</tr>\n</tbody></table>")
    marker = marker_in(insert_page_breaks(chapter(table), [PageStart("2", "s", 1, offset_of("Tue", table))]))
    assert etree.QName(marker.getparent()).localname == "td" and marker.tail == "Tue"


def test_a_page_beginning_between_list_items_is_marked_in_the_next_item():
    items = "<ul>\n<li>One</li>\n<li>Two</li>\n</ul>"
    marker = marker_in(insert_page_breaks(chapter(items), [PageStart("2", "s", 1, offset_of("Two", items) - 1)]))
    assert etree.QName(marker.getparent()).localname == "li" and marker.tail == "Two"


def test_a_page_beginning_at_a_definition_in_a_group_is_marked_in_its_term():
    terms = "<dl>\n<div><dt>Tide</dt><dd>The sea rising.</dd></div>\n<div><dt>Ebb</dt><dd>Falling.</dd></div>\n</dl>"
    marker = marker_in(insert_page_breaks(chapter(terms), [PageStart("2", "s", 1, offset_of("Ebb", terms) - 1)]))
    assert etree.QName(marker.getparent()).localname == "dt" and marker.tail == "Ebb"


def test_a_table_with_no_text_after_the_page_start_is_marked_before_it():
    table = "<table><tr><td>Mon</td></tr>\n</table>"
    marker = marker_in(insert_page_breaks(chapter(table), [PageStart("2", "s", 1, offset_of("Mon", table) + 4)]))
    assert etree.QName(marker.getparent()).localname == "section"
    assert etree.QName(marker.getnext()).localname == "table"


def test_markers_in_one_section_find_their_blocks_after_earlier_markers():
    body = "<p>One</p><p>Two</p><p>Three</p>"
    document = insert_page_breaks(chapter(body), [PageStart("2", "s", 2, 0), PageStart("3", "s", 3, 0)])
    root = etree.fromstring(document)
    assert root.find(f".//{X}*[@id='page-3']").getnext().text == "Three"
