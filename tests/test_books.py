"""Books: a manifest binding several articles into one PDF and EPUB that credit every article."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from pressroom.articles import ContentError, read_book
from pressroom.cli import main
from conftest import FIXTURES, RICH, SAMPLE
from test_fetch_guard import html_page, site
from validators import ace_violations, epubcheck_reports, pdftotext, qpdf_check
from web_pages import png

XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
THIRD = """---
title: Notes on the Lighthouse
authors: [Mary Keeper]
lang: en
---

The lamp was lit at dusk. See [the harbour](../field/article.md) and its [tides](../field/article.md#the-tides).

## Notes

A [note on the keeper](#notes) and the [list of photos](../banned.txt).
"""
MANIFEST = """title: Three Voices
subtitle: Writing from the coast
editors:
  - name: Eve Editor
    file_as: Editor, Eve
lang: en
date: 2024-05-01
publisher: Pressroom Test Press
articles:
  - path: banned.txt
    authors: [Tom Text]
  - field/article.md
  - path: light/lighthouse.md
    title: The Lighthouse
"""
CHAPTERS = [("28 Banned Photos That Were Secretly Smuggled Out Of North Korea", "Tom Text"),
            ("Field Notes from the Harbour", "Ada Lovelace and Grace Hopper"),
            ("The Lighthouse", "Mary Keeper")]


def three_articles(folder: Path, manifest: str = MANIFEST) -> Path:
    """A folder holding a .txt article, a .md one with images and footnotes, a third .md, and BOOK.yaml."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE, folder / "banned.txt")
    shutil.copytree(RICH.parent, folder / "field")
    (folder / "light").mkdir()
    (folder / "light" / "lighthouse.md").write_text(THIRD, encoding="utf-8")
    (folder / "BOOK.yaml").write_text(manifest, encoding="utf-8")
    return folder / "BOOK.yaml"


def squash(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, Path]:
    """The PDF and EPUB `pressroom book BOOK.yaml -o out` writes, built twice (the second in `again`)."""
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("book")
    manifest = three_articles(folder / "source")
    for out in ("out", "again"):
        result = CliRunner().invoke(main, ["book", str(manifest), "-f", "pdf", "-f", "epub", "-o", str(folder / out)])
        assert result.exit_code == 0, result.output
    return folder / "out" / "book.pdf", folder / "out" / "book.epub"


def epub_file(path: Path, name: str):
    return etree.fromstring(zipfile.ZipFile(path).read(f"EPUB/{name}"))


def test_the_book_is_written_as_its_manifest_slug_in_each_format_and_rebuilds_byte_identical(written):
    pdf, epub = written
    assert pdf.read_bytes().startswith(b"%PDF-") and epub.read_bytes().startswith(b"PK")
    for path in written:
        assert path.read_bytes() == (path.parent.parent / "again" / path.name).read_bytes(), path.name


def test_the_pdf_and_the_epub_pass_qpdf_epubcheck_and_ace(written, tmp_path):
    pdf, epub = written
    checked = qpdf_check(pdf)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert epubcheck_reports([epub])[epub] == []
    assert ace_violations(epub, tmp_path / "ace") == []


def test_the_printed_contents_and_the_outline_list_the_three_chapters_with_their_authors(written):
    pdf, _ = written
    reader = PdfReader(pdf)
    contents = next(squash(page.extract_text()) for page in reader.pages if "CONTENTS" in page.extract_text())
    for number, (title, authors) in enumerate(CHAPTERS, start=1):
        assert f"{number}. {title} — {authors}" in contents
    outline = [squash(item.title) for item in reader.outline if not isinstance(item, list)]
    assert outline[:3] == [f"{title} — {authors}" for title, authors in CHAPTERS]
    assert outline[3:] == ["Contributors", "Sources"]


def test_each_chapter_opens_its_own_page_with_its_byline_and_source(written):
    pages = [squash(page) for page in pdftotext(written[0]).split("\f")]
    for number, (title, authors) in enumerate(CHAPTERS, start=1):
        (opening,) = [page for page in pages if page.startswith(f"CHAPTER {number} ")]
        assert opening.startswith(f"CHAPTER {number} {title} ")
        assert f" By {authors} " in opening[:300]
    assert "Source: https://example.org/harbour" in pages[[p[:9] for p in pages].index("CHAPTER 2")]
    # A file on the machine that bound the book is not a source: the chapter cites none.
    assert "Source" not in next(page for page in pages if page.startswith("CHAPTER 1 "))


def test_the_running_heads_are_the_book_title_and_the_chapter_title(written):
    pages = [squash(page) for page in pdftotext(written[0]).split("\f")]
    continued = [page for page in pages if page.startswith(("Three Voices", "Field Notes from the Harbour"))]
    assert any(page.startswith("Three Voices") for page in continued)
    assert any(page.startswith("Field Notes from the Harbour") and "CHAPTER" not in page[:40] for page in continued)


def test_footnotes_are_numbered_per_chapter_and_images_are_printed(written):
    reader = PdfReader(written[0])
    assert any("/Image" in str(page.get("/Resources", {}).get("/XObject", {}) and
                              [xobject.get_object().get("/Subtype") for xobject in
                               page["/Resources"]["/XObject"].values()]) for page in reader.pages)
    harbour = next(squash(page) for page in pdftotext(written[0]).split("\f") if page.startswith("CHAPTER 2"))
    assert "1. Sunrise was at 06:40 that week." in harbour


def test_the_epub_navigation_and_ncx_list_the_chapters_with_their_authors_nested(written):
    _, epub = written
    nav = epub_file(epub, "text/nav.xhtml")
    toc = nav.find(f".//{XHTML}nav[@id='toc']/{XHTML}ol")
    entries = [squash("".join(item.find(f"{XHTML}a").itertext())) for item in toc.findall(f"{XHTML}li")]
    assert entries == [f"{number}. {title} — {authors}" for number, (title, authors) in enumerate(CHAPTERS, start=1)]
    assert toc.find(f"{XHTML}li[2]/{XHTML}ol/{XHTML}li/{XHTML}a").get("href") == "chapter-2.xhtml#c2-the-boats"
    ncx = epub_file(epub, "toc.ncx")
    labels = [squash(text) for text in ncx.xpath("/n:ncx/n:navMap/n:navPoint/n:navLabel/n:text/text()",
                                                 namespaces={"n": "http://www.daisy.org/z3986/2005/ncx/"})]
    assert labels == [f"{number}. {title} — {authors}" for number, (title, authors) in enumerate(CHAPTERS, start=1)]


def test_the_epub_credits_editors_as_creators_and_chapter_authors_as_contributors(written):
    opf = epub_file(written[1], "content.opf")
    metadata = opf.find(f"{OPF}metadata")
    roles = {meta.get("refines")[1:]: meta.text for meta in metadata.findall(f"{OPF}meta[@property='role']")}
    creators = [(element.text, roles[element.get("id")]) for element in metadata.findall(f"{DC}creator")]
    contributors = [(element.text, roles[element.get("id")]) for element in metadata.findall(f"{DC}contributor")]
    assert creators == [("Eve Editor", "edt")]
    assert contributors == [("Tom Text", "aut"), ("Ada Lovelace", "aut"), ("Grace Hopper", "aut"), ("Mary Keeper", "aut")]
    assert [element.text for element in metadata.findall(f"{DC}title")] == ["Three Voices", "Writing from the coast"]


def test_each_epub_chapter_opens_with_its_byline_and_source_and_keeps_its_own_language(written):
    harbour = epub_file(written[1], "text/chapter-2.xhtml")
    chapter = harbour.find(f".//{XHTML}section[@id='chapter-2']")
    assert chapter.get("lang") == "en-GB" and chapter.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"
    opening = squash(" ".join(chapter.find(f"{XHTML}header").itertext()))
    assert opening.startswith("Chapter 2 Field Notes from the Harbour A week among the fishing boats "
                              "By Ada Lovelace and Grace Hopper")
    assert opening.endswith("Source: https://example.org/harbour")
    assert epub_file(written[1], "text/chapter-3.xhtml").find(f".//{XHTML}section[@id='chapter-3']").get("lang") is None
    back = squash(" ".join(epub_file(written[1], "text/contributors.xhtml").itertext()))
    assert "Editor" not in back and "Hopper, Grace" not in back
    assert back.index("Hopper") < back.index("Keeper") < back.index("Lovelace") < back.index("Text")


def test_links_between_bound_articles_become_links_inside_the_book(tmp_path):
    book = read_book(three_articles(tmp_path))
    lighthouse = book.chapters[2].sections
    html = "".join(section.html for section in lighthouse)
    assert 'href="#chapter-2"' in html and 'href="#c2-the-tides"' in html and 'href="#chapter-1"' in html
    assert 'href="#c3-notes"' in html


def test_two_articles_with_the_same_section_names_get_distinct_anchors_and_working_links(tmp_path, runner):
    for name, author in (("first", "Ann"), ("second", "Bob")):
        (tmp_path / f"{name}.md").write_text(
            f"---\ntitle: The {name} article\nauthors: [{author}]\n---\n\nSee the [notes](#notes) and the "
            f"[other notes]({'second' if name == 'first' else 'first'}.md#notes).[^1]\n\n## Notes\n\nShort.\n\n"
            f"[^1]: A note of the {name}.\n", encoding="utf-8")
    (tmp_path / "BOOK.yaml").write_text("title: Twins\narticles: [first.md, second.md]\n", encoding="utf-8")
    book = read_book(tmp_path / "BOOK.yaml")
    ids = [section.id for section in book.sections] + [note.id for s in book.sections for note in s.footnotes]
    assert len(ids) == len(set(ids)) and {"c1-notes", "c2-notes", "c1-fn-1", "c2-fn-1"} <= set(ids)
    assert 'href="#c1-notes"' in book.sections[0].html and 'href="#c2-notes"' in book.sections[0].html
    result = runner.invoke(main, ["book", str(tmp_path / "BOOK.yaml"), "-f", "epub", "-f", "pdf", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    epub = tmp_path / "out" / "book.epub"
    first = etree.tostring(epub_file(epub, "text/chapter-1.xhtml"), encoding="unicode")
    assert 'href="#c1-notes"' in first and 'href="chapter-2.xhtml#c2-notes"' in first  # its own file's id: no file named
    assert 'href="#c1-fn-1"' in first and 'id="c1-fnref-1"' in first and 'href="#c1-fnref-1"' in first
    assert epubcheck_reports([epub])[epub] == []  # EPUBCheck follows every link to its anchor
    reader = PdfReader(tmp_path / "out" / "book.pdf")
    links = [annotation.get_object()["/Dest"] for page in reader.pages
             for annotation in page.get("/Annots", []) if "/Dest" in annotation.get_object()]
    assert len(links) >= 4


def test_parts_nest_their_chapters_in_the_contents(tmp_path):
    manifest = three_articles(tmp_path, "title: In parts\nparts:\n  - title: Pictures\n    articles: [banned.txt]\n"
                                        "  - title: Coast\n    articles: [field/article.md, light/lighthouse.md]\n")
    book = read_book(manifest)
    assert [(part.title, [chapter.number for chapter in part.chapters]) for part in book.parts] == [
        ("Pictures", [1]), ("Coast", [2, 3])]


BAD_MANIFESTS = [
    ("title: A\narticles:\n  - banned.txt\n  - gone.md\n", 4, "there is no article at 'gone.md'"),
    ("title: A\narticles:\n  - banned.txt\n  - broken.txt\n", 4, "the article 'broken.txt' cannot be read"),
    ("title: A\narticles: []\n", 2, "'articles' is an empty list"),
    ("title: A\narticles:\n  - banned.txt\n  - ./banned.txt\n", 4, "'./banned.txt' is listed twice (first on line 3)"),
    ("title: [A, B]\narticles: [banned.txt]\n", 1, "'title' must be text, not a list"),
    ("title: A\narticles: banned.txt\n", 2, "'articles' must be a list of articles"),
    ("title: A\narticles:\n  - path: banned.txt\n    titel: B\n", 4, "an article entry has no key 'titel'"),
    ("title: A\narticles:\n  - 42: banned.txt\n", 3, "an article entry is {'42': 'banned.txt'}, not a path"),
    ("title: A\nchapters: [banned.txt]\n", 2, "the manifest has no key 'chapters'"),
    ("articles: [banned.txt]\n", 1, "the manifest gives the book no title"),
    ("title: A\n", 1, "the manifest lists no articles"),
    ("title: A\nparts:\n  - articles: [banned.txt]\n", 3, "each part needs a 'title' and 'articles'"),
    ("title: A\ndate: someday\narticles: [banned.txt]\n", 2, "'date' is 'someday', which is not a calendar date"),
    ("title: A\narticles:\n  - http://127.0.0.2/a.html\n", 3, "refused: 127.0.0.2 is at 127.0.0.2"),
    ('title: "A\narticles: [banned.txt]\n', 1, "invalid YAML manifest"),
]


@pytest.mark.parametrize("manifest, line, problem", BAD_MANIFESTS, ids=[case[2][:40] for case in BAD_MANIFESTS])
def test_a_bad_manifest_is_an_error_naming_its_line_and_leaves_no_file(runner, tmp_path, manifest, line, problem):
    shutil.copy(SAMPLE, tmp_path / "banned.txt")
    (tmp_path / "broken.txt").write_bytes(b"Title\n\n\xff\xfe bytes\n")
    (tmp_path / "BOOK.yaml").write_text(manifest, encoding="utf-8")
    result = runner.invoke(main, ["book", str(tmp_path / "BOOK.yaml"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"BOOK.yaml, line {line}: " in result.output and problem in result.output, result.output
    assert "(" in result.output.split(problem)[-1]  # a fix follows
    assert not (tmp_path / "out").exists()


def test_an_article_listed_by_its_name_and_by_a_symlink_to_it_is_listed_twice(runner, tmp_path):
    shutil.copy(SAMPLE, tmp_path / "banned.txt")
    (tmp_path / "alias.txt").symlink_to("banned.txt")
    (tmp_path / "BOOK.yaml").write_text("title: A\narticles:\n  - banned.txt\n  - alias.txt\n", encoding="utf-8")
    result = runner.invoke(main, ["book", str(tmp_path / "BOOK.yaml"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "BOOK.yaml, line 4: 'alias.txt' is listed twice (first on line 3)" in result.output, result.output


def test_an_entry_that_is_a_symlink_loop_is_no_article(runner, tmp_path):
    (tmp_path / "loop.md").symlink_to("back.md")
    (tmp_path / "back.md").symlink_to("loop.md")
    (tmp_path / "BOOK.yaml").write_text("title: A\narticles:\n  - loop.md\n", encoding="utf-8")
    result = runner.invoke(main, ["book", str(tmp_path / "BOOK.yaml"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "BOOK.yaml, line 3: there is no article at 'loop.md'" in result.output, result.output


def test_skip_bad_leaves_out_an_unreadable_article_with_a_warning(runner, tmp_path):
    shutil.copy(SAMPLE, tmp_path / "banned.txt")
    (tmp_path / "broken.txt").write_bytes(b"Title\n\n\xff bytes\n")
    (tmp_path / "BOOK.yaml").write_text("title: A\narticles: [broken.txt, banned.txt]\n", encoding="utf-8")
    result = runner.invoke(main, ["book", str(tmp_path / "BOOK.yaml"), "-f", "epub", "--skip-bad",
                                  "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "'broken.txt' is left out of the book" in result.output
    book = read_book(tmp_path / "BOOK.yaml", skip_bad=True)
    assert [chapter.article.slug for chapter in book.chapters] == ["banned"]
    assert [chapter.source for chapter in book.chapters] == [None]  # a file's path is not a source


def test_an_article_outside_the_library_is_refused_when_the_book_is_confined_to_it(tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    shutil.copy(SAMPLE, tmp_path / "outside.txt")
    (library / "BOOK.yaml").write_text("title: A\narticles: [../outside.txt]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="lies outside the content folder") as error:
        read_book(library / "BOOK.yaml", within=library)
    assert error.value.line == 2


def test_export_with_book_binds_the_sources_in_order(runner, tmp_path):
    result = runner.invoke(main, ["export", str(RICH), str(SAMPLE), str(FIXTURES / "article_in_greek.md"),
                                  "--book", "Collected Pieces", "-f", "epub", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output.split() == [str(tmp_path / "collected-pieces.epub")]
    names = zipfile.ZipFile(tmp_path / "collected-pieces.epub").namelist()
    assert {"EPUB/text/chapter-1.xhtml", "EPUB/text/chapter-3.xhtml", "EPUB/text/c1/images/boat.png"} <= set(names)
    greek = epub_file(tmp_path / "collected-pieces.epub", "text/chapter-3.xhtml")
    assert greek.find(f".//{XHTML}section[@id='chapter-3']").get("lang") == "el"


def test_a_manifest_binds_web_pages_fetched_like_an_address_on_the_command_line(runner, tmp_path):
    shutil.copy(SAMPLE, tmp_path / "banned.txt")
    routes = {"/news/a.html": html_page(), "/news/images/lamp.png": (200, {"Content-Type": "image/png"}, png())}
    with site(routes) as base:
        (tmp_path / "BOOK.yaml").write_text(f"title: Found\narticles:\n  - banned.txt\n  - {base}/news/a.html\n",
                                            encoding="utf-8")
        refused = runner.invoke(main, ["book", str(tmp_path / "BOOK.yaml"), "-f", "epub", "-o", str(tmp_path / "no")])
        assert refused.exit_code == 1 and "--allow-host 127.0.0.1" in refused.output, refused.output
        result = runner.invoke(main, ["book", str(tmp_path / "BOOK.yaml"), "-f", "epub", "-f", "pdf",
                                      "--allow-host", "127.0.0.1", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "no").exists()
    book = zipfile.ZipFile(tmp_path / "out" / "book.epub")
    chapter = book.read("EPUB/text/chapter-2.xhtml").decode()
    assert f"{base}/news/a.html" in chapter and "A lamp on the quay" in chapter  # its source, its image's alt
    assert any(name.startswith("EPUB/text/c2/") and name.endswith(".png") for name in book.namelist())
    epub = tmp_path / "out" / "book.epub"
    assert epubcheck_reports([epub])[epub] == []
    assert f"{base}/news/a.html" in pdftotext(tmp_path / "out" / "book.pdf")


def test_export_book_binds_files_and_web_addresses_in_order(runner, tmp_path):
    shutil.copy(SAMPLE, tmp_path / "banned.txt")
    with site({"/a.html": html_page(), "/images/lamp.png": (200, {"Content-Type": "image/png"}, png())}) as base:
        result = runner.invoke(main, ["export", f"{base}/a.html", str(tmp_path / "banned.txt"), "--book", "Two",
                                      "--allow-host", "127.0.0.1", "-f", "epub", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    nav = zipfile.ZipFile(tmp_path / "out" / "two.epub").read("EPUB/text/nav.xhtml").decode()
    assert nav.index("1.") < nav.index("2.") and "28 Banned Photos" in nav.split("2.", 1)[1]


def test_a_library_book_lists_only_the_librarys_articles(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "banned.txt")
    (tmp_path / "BOOK.yaml").write_text("title: A\narticles:\n  - banned.txt\n  - http://127.0.0.2/a.html\n",
                                        encoding="utf-8")
    with pytest.raises(ContentError, match="line 4: 'http://127.0.0.2/a.html' is a web address; a book of the "
                                           "library binds the library's articles"):
        read_book(tmp_path / "BOOK.yaml", within=tmp_path)
