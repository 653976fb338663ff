"""Curly quotes and apostrophes by the article's language, for Markdown and plain text; never in
code, addresses or raw HTML attributes."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree

from pressroom.articles import read_article
from pressroom.articles.content.quotes import curl_quotes, quote_marks
from pressroom.execution import export_set
from conftest import SAMPLE
from validators import pdftotext

NBSP = "\u00a0"


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "“Don’t,” she said, ‘l’eau’."),
    ("en-GB", "“Don’t,” she said, ‘l’eau’."),
    ("fr", f"«{NBSP}Don’t,{NBSP}» she said, “l’eau”."),
    ("de", "„Don’t,“ she said, ‚l’eau‘."),
    ("ja", "「Don’t,」 she said, 『l’eau』."),
    ("ru", "«Don’t,» she said, „l’eau“."),
    ("sv", "”Don’t,” she said, ’l’eau’."),
    ("xx", "“Don’t,” she said, ‘l’eau’."),
])
def test_quotes_follow_the_language(language, expected):
    assert curl_quotes("\"Don't,\" she said, 'l'eau'.", quote_marks(language)) == expected


def test_addresses_and_unpaired_quotes_keep_their_characters():
    marks = quote_marks("en")
    assert curl_quotes("See https://example.org/it's?q=\"x\" now", marks) == "See https://example.org/it's?q=\"x\" now"
    assert curl_quotes("the dogs' bowls and a lone \" mark", marks) == "the dogs’ bowls and a lone \" mark"


def markdown_article(tmp_path, language: str):
    source = tmp_path / "quotes.md"
    source.write_text(f"---\ntitle: Quotes\nlang: {language}\n---\n\n"
                      "## The \"harbour\" master\n\n"
                      "He said \"don't wait\" and 'l'eau' at https://example.org/it's, "
                      "`\"code\"` and <abbr title=\"a 'raw' attribute\">\"HTML\"</abbr>.\n\n"
                      "```\nprint(\"block\")\n```\n", encoding="utf-8")
    return read_article(source)


def test_markdown_quotes_are_curly_in_english_but_not_in_code_addresses_or_attributes(tmp_path):
    section = markdown_article(tmp_path, "en").sections[0]
    assert section.title == "The “harbour” master"
    body = section.html
    assert "He said “don’t wait” and ‘l’eau’" in body
    assert "https://example.org/it's" in body
    assert "<code>\"code\"</code>" in body and "print(\"block\")" in body
    assert "title=\"a 'raw' attribute\"" in body and ">“HTML”</abbr>" in body


def test_markdown_quotes_are_guillemets_with_no_break_spaces_in_french(tmp_path):
    body = markdown_article(tmp_path, "fr").sections[0].html
    assert f"He said «{NBSP}don’t wait{NBSP}» and “l’eau”" in body


def test_markdown_quotes_are_curly_in_the_epub_and_the_pdf(tmp_path):
    editions = export_set(markdown_article(tmp_path, "en"), ["pdf", "epub"])
    book = zipfile.ZipFile(io.BytesIO(editions["epub"].main.data))
    chapter = etree.fromstring(book.read("EPUB/text/the-harbour-master.xhtml"))
    text = "".join(chapter.itertext())
    assert "The “harbour” master" in text and "He said “don’t wait” and ‘l’eau’" in text
    pdf = tmp_path / "quotes.pdf"
    pdf.write_bytes(editions["pdf"].main.data)
    printed = re.sub(r"\s+", " ", pdftotext(pdf))
    assert "He said “don’t wait” and ‘l’eau’" in printed and "\"don't" not in printed


def test_plain_text_quotes_become_curly_and_every_other_character_stays(tmp_path):
    source = tmp_path / "quotes.txt"
    source.write_text("A \"quoted\" title\n\nIt's \"here\"\u00a0now, 'they' said.\n\n1. An item's caption. Its text.\n",
                      encoding="utf-8")
    article = read_article(source)
    assert article.title == "A “quoted” title"
    assert article.sections[0].html == "<p>It’s “here”\u00a0now, ‘they’ said.</p>"
    assert article.sections[1].title == "An item’s caption."


def test_the_sample_keeps_its_own_curly_quotes_and_every_character(sample):
    source = SAMPLE.read_text(encoding="utf-8")
    assert "\"" not in source and "'" not in source  # nothing straight to curl: the text must not change
    body = "".join(section.title + section.html for section in sample.sections)
    assert body.count("’") == source.count("’") and body.count("“") == source.count("“")
