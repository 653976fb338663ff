"""Editions as a demanding reader would have them (issue 33): every article in its language, short
pieces not padded, notes on their page, curly quotes in every prose field, books citing sources."""

from __future__ import annotations

import io
import random
import re
import zipfile

import pytest
from lxml import etree
from pypdf import PdfReader

from conftest import FIXTURES
from pressroom.articles import read_article, read_book
from pressroom.cli import main
from pressroom.exporters import load_exporters
from validators import pdftotext

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
NBSP = "\u00a0"


def export(path, formats=("epub",), **options):
    article = read_article(path) if not hasattr(path, "metadata") else path
    exporters = load_exporters()
    return {name: exporters[name].export(article, exporters[name].settings(options)).main.data for name in formats}


def epub_parts(data: bytes) -> tuple[etree._Element, dict[str, str]]:
    """The EPUB's package document, and its XHTML documents' text by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as epub:
        opf_name = next(name for name in epub.namelist() if name.endswith(".opf"))
        package = etree.fromstring(epub.read(opf_name))
        documents = {name: epub.read(name).decode() for name in epub.namelist() if name.endswith(".xhtml")}
    return package, documents


def pdf_page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("fixture, language, opening, closing, contents", [
    ("plain_text_in_german.txt", "de", "„", "“", "Inhalt"),
    ("plain_text_in_french.txt", "fr", f"«{NBSP}", f"{NBSP}»", "Table des matières"),
])
def test_plain_text_without_front_matter_is_set_in_its_own_language(fixture, language, opening, closing, contents):
    article = read_article(FIXTURES / fixture)
    assert article.language == language and article.warnings == ()
    package, documents = epub_parts(export(article)["epub"])
    assert package.findtext(f"{OPF}metadata/{DC}language") == language
    text = "".join(documents.values())
    quoted = re.search(f"{re.escape(opening)}[^{re.escape(closing[-1])}]+{re.escape(closing)}", text)
    assert quoted is not None and '"' not in quoted.group()
    navigation = etree.fromstring(next(data for name, data in documents.items() if name.endswith("nav.xhtml")).encode())
    assert navigation.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    assert contents in "".join(navigation.itertext())
    # Hyphenation follows the language the text is tagged with, in the e-book and in the PDF.
    assert all(f'xml:lang="{language}"' in document for name, document in documents.items() if "text/" in name)
    assert PdfReader(io.BytesIO(export(article, ("pdf",))["pdf"])).trailer["/Root"]["/Lang"] == language


def test_text_too_short_to_tell_falls_back_to_english_and_says_so(tmp_path):
    (tmp_path / "note.txt").write_text("Hallo\n\nJa.\n", encoding="utf-8")
    article = read_article(tmp_path / "note.txt")
    assert article.language == "en"
    assert len(article.warnings) == 1 and "could not be told with confidence" in article.warnings[0]


def test_the_language_chosen_wins_over_the_one_declared_and_the_one_detected(runner, tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: A\nlang: en\n---\nSome \"quoted\" words.\n", encoding="utf-8")
    assert read_article(tmp_path / "a.md", language="de").language == "de"
    result = runner.invoke(main, ["export", str(FIXTURES / "plain_text_in_french.txt"), "-f", "epub", "--lang", "fr-CA",
                                  "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    package, _ = epub_parts((tmp_path / "out" / "plain-text-in-french.epub").read_bytes())
    assert package.findtext(f"{OPF}metadata/{DC}language") == "fr-CA"
    refused = runner.invoke(main, ["export", str(tmp_path / "a.md"), "--lang", "not a tag", "-o", str(tmp_path)])
    assert refused.exit_code == 2 and "not a language tag" in refused.output


def test_a_plain_text_front_matter_declares_its_language(tmp_path):
    (tmp_path / "a.txt").write_text("---\nlang: de\n---\nTitel\n\nEin \"Satz\".\n", encoding="utf-8")
    article = read_article(tmp_path / "a.txt")
    assert (article.language, article.title) == ("de", "Titel")
    assert "„Satz“" in article.sections[0].html


def short_article(tmp_path, words: int = 300):
    vocabulary = "the harbour was quiet that morning and boats lay still on water while gulls circled".split()
    text = [vocabulary[index % len(vocabulary)] for index in range(words - 6)]
    third = len(text) // 3
    one, two, three = (" ".join(text[start:start + third]) for start in (0, third, 2 * third))
    path = tmp_path / "short.md"
    path.write_text(f"---\ntitle: The Keeper's \"Last\" Night\nlang: en\nauthor: Ann Lee\n---\n\n## One\n\n{one}.\n\n"
                    f"## Two\n\n{two}.\n\n## Three\n\n{three}.\n", encoding="utf-8")
    return path


def test_a_300_word_article_at_a4_with_its_cover_is_cover_text_and_colophon(tmp_path):
    pages = pdf_page_texts(export(short_article(tmp_path), ("pdf",), page_size="a4", cover=True)["pdf"])
    assert len(pages) == 3
    assert "The Keeper’s" in pages[0]  # the cover
    assert pages[1].startswith("The Keeper’s “Last” Night") and "harbour" in pages[1]  # the title opens the text
    assert "CONTENTS" not in "".join(pages).upper()  # three sections, all on one page: no contents
    assert "Made with Pressroom" in pages[2]


def test_a_long_article_keeps_its_title_page_and_contents(tmp_path):
    pages = pdf_page_texts(export(short_article(tmp_path, words=4000), ("pdf",), page_size="a4", cover=False)["pdf"])
    assert pages[0].strip().startswith("The Keeper’s") and "harbour" not in pages[0]
    assert "CONTENTS" in pages[1].upper()


def article_with_notes(tmp_path):
    """Paragraphs of varied length, every other one calling a note (CALLnZ marks each call), so that
    at every page size some note is called near the foot of a full page."""
    chosen = random.Random(3)
    words = "harbour quiet morning boats still water gulls circled pier looking scraps fishermen weather".split()
    paragraphs, notes = [], []
    for index in range(60):
        sentence = [chosen.choice(words) for _ in range(chosen.randint(30, 90))]
        if index % 2 == 0:
            number = len(notes) + 1
            sentence.insert(chosen.randint(5, 25), f"CALL{number}Z[^{number}]")
            notes.append(f"[^{number}]: NOTEBODY{number} " + " ".join(chosen.choice(words) for _ in range(chosen.randint(5, 40))))
        paragraphs.append(sentence[0].capitalize() + " " + " ".join(sentence[1:]) + ".")
    path = tmp_path / "notes.md"
    path.write_text("---\ntitle: Notes\nlang: en\n---\n\n" + "\n\n".join(paragraphs) + "\n\n" + "\n".join(notes) + "\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("page_size", ["a4", "letter", "a5", "6x9"])
def test_every_note_sits_at_the_foot_of_the_page_that_calls_it(tmp_path, page_size):
    pdf = tmp_path / "notes.pdf"
    pdf.write_bytes(export(article_with_notes(tmp_path), ("pdf",), page_size=page_size)["pdf"])
    called, printed = {}, {}
    for number, text in enumerate(pdftotext(pdf).split("\f"), start=1):
        for match in re.finditer(r"CALL(\d+)Z", text):
            called.setdefault(int(match.group(1)), number)
        for match in re.finditer(r"NOTEBODY(\d+)", text):
            printed.setdefault(int(match.group(1)), number)
    assert len(called) == 30
    assert {note: (page, printed.get(note)) for note, page in called.items() if printed.get(note) != page} == {}


def test_a_title_with_straight_quotes_is_curled_on_the_cover_the_title_and_dc_title(tmp_path):
    made = export(short_article(tmp_path), ("pdf", "epub", "md"), cover=True)
    pages = pdf_page_texts(made["pdf"])
    assert "The Keeper’s" in pages[0] and "“Last”" in pages[0].replace("\n", " ")
    assert "The Keeper’s “Last” Night" in pages[1]
    package, _ = epub_parts(made["epub"])
    assert package.findtext(f"{OPF}metadata/{DC}title") == "The Keeper’s “Last” Night"
    markdown = made["md"].decode()
    assert '\\"' not in markdown and "\\'" not in markdown
    assert "\nlang: en\n" in markdown and "language:" not in markdown


def test_a_books_pdf_holds_no_path_of_the_machine_that_made_it(tmp_path):
    folder = tmp_path / "machine-folder-7f3a"
    (folder / "articles").mkdir(parents=True)
    short_article(folder / "articles")
    (folder / "articles" / "web.md").write_text("---\ntitle: From the web\nlang: en\nsource_url: https://example.org/a\n"
                                                "---\n\nText of the page.\n", encoding="utf-8")
    (folder / "BOOK.yaml").write_text('title: A book\nsubtitle: The "best" one\nlang: en\n'
                                      "articles: [articles/short.md, articles/web.md]\n", encoding="utf-8")
    book = read_book(folder / "BOOK.yaml")
    assert [chapter.source for chapter in book.chapters] == [None, "https://example.org/a"]
    assert book.metadata.subtitle == "The “best” one"
    data = export(book, ("pdf",))["pdf"]
    (tmp_path / "book.pdf").write_bytes(data)
    text = pdftotext(tmp_path / "book.pdf")
    assert "https://example.org/a" in text
    for trace in ("machine-folder-7f3a", "articles/short.md", str(tmp_path)):
        assert trace not in text and trace.encode() not in data
