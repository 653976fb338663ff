"""The plain-text reader on the sample article and on bad input."""

from __future__ import annotations

import hashlib
import html
import re

import pytest

from pressroom.articles import ContentError, read_article, read_article_bytes
from conftest import FIXTURES, SAMPLE

SEED_SHA256 = "c6d2566ac21ddaf3f472c139ef2480c928d7dcd9003de561a6c744535599c362"

NBSP = "\u00a0"


def test_sample_is_the_seed_byte_for_byte():
    # The digest of shared/seed/000_5e651c334f7c76c4.txt, which is not beside every clone.
    assert hashlib.sha256(SAMPLE.read_bytes()).hexdigest() == SEED_SHA256


def test_sample_title_keeps_its_no_break_space(sample):
    assert sample.title == f"28 Banned Photos That Were Secretly Smuggled Out Of North{NBSP}Korea"


def test_sample_has_an_untitled_opening_and_four_numbered_items(sample):
    assert [s.id for s in sample.sections] == ["opening", "item-1", "item-2", "item-3", "item-4"]
    assert sample.sections[0].title == "" and not sample.sections[0].titled
    assert [s.number for s in sample.contents] == [1, 2, 3, 4]
    assert [s.number for s in sample.sections] == [None, 1, 2, 3, 4]
    assert sample.sections[2].title == "A lineup for a bus."
    assert sample.sections[4].label == "4. Power outages are extremely common in North Korea."


def test_sample_keeps_every_character_of_its_text(sample):
    body = "".join(section.title + section.html for section in sample.sections)
    assert "It’s not clear" in body
    assert "don’t want us to know" in body
    assert f"It shows{NBSP}a broken down bus" in body


def test_each_item_is_its_paragraph_split_at_the_first_sentence(sample):
    paragraphs = [p for p in SAMPLE.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    items = [p.strip("\n") for p in paragraphs if re.match(r"\d+\.\s", p.strip("\n"))]
    assert len(items) == 4
    for section, paragraph in zip(sample.sections[1:], items, strict=True):
        body = html.unescape(section.html.removeprefix("<p>").removesuffix("</p>"))
        pattern = rf"{section.number}\.\s+{re.escape(section.title)}\s+{re.escape(body)}"
        assert re.fullmatch(pattern, paragraph), section.id
    intro = sample.sections[0].html
    assert intro.startswith("<p>Photography in North Korea is restricted and heavily patrolled.</p>")
    assert intro.count("<p>") == 3


def test_sample_digest_and_slug_are_stable(sample):
    again = read_article(SAMPLE)
    assert sample.digest == again.digest and len(sample.digest) == 64
    assert sample.slug == "28-banned-photos-smuggled-out-of-north-korea"


def test_paragraphs_after_an_item_belong_to_it(tmp_path):
    source = tmp_path / "list.txt"
    source.write_text("Title\n\n1. First thing. More words.\n\nA second paragraph.\n\n2. Second\n", encoding="utf-8")
    article = read_article(source)
    assert [s.id for s in article.sections] == ["item-1", "item-2"]
    assert article.sections[0].html == "<p>More words.</p><p>A second paragraph.</p>"
    assert article.sections[1].title == "Second" and article.sections[1].html == ""


def test_text_is_escaped_not_interpreted(tmp_path):
    source = tmp_path / "html.txt"
    source.write_text("<b>Title</b>\n\n<script>alert(1)</script> & more\n", encoding="utf-8")
    article = read_article(source)
    assert article.title == "<b>Title</b>"
    assert article.sections[0].html == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>"


def test_crlf_and_bom_are_normalised(tmp_path):
    article = read_article_bytes(tmp_path / "w.txt", b"\xef\xbb\xbfTitle\r\n\r\nText.\r\n")
    assert article.title == "Title"
    assert article.sections[0].html == "<p>Text.</p>"


def test_an_empty_file_has_no_title():
    with pytest.raises(ContentError) as error:
        read_article(FIXTURES / "empty_file_without_title.txt")
    assert error.value.line == 1
    assert str(error.value) == (f"{FIXTURES / 'empty_file_without_title.txt'}, line 1: the file has no text, "
                                "so it has no title (put the article's title on the first line)")


def test_an_undecodable_byte_names_its_line():
    with pytest.raises(ContentError) as error:
        read_article(FIXTURES / "text_with_undecodable_byte.txt")
    assert error.value.line == 3
    assert "byte 0xff is not valid UTF-8" in str(error.value)
    assert "save the file as UTF-8" in str(error.value)


def test_a_missing_file_is_a_content_error(tmp_path):
    with pytest.raises(ContentError, match="no such file"):
        read_article(tmp_path / "missing.txt")


def test_an_unknown_extension_says_which_are_known(tmp_path):
    source = tmp_path / "notes.docx"
    source.write_bytes(b"x")
    with pytest.raises(ContentError, match=r"cannot read '\.docx' files \(use one of \.txt, \.md, \.markdown, \.html, \.htm, \.xhtml, \.html\.gz, \.htm\.gz, \.xhtml\.gz\)"):
        read_article(source)


def test_items_with_the_same_number_get_distinct_ids(tmp_path):
    source = tmp_path / "twice.txt"
    source.write_text("Title\n\n1. First. Text.\n\n1. Again. Text.\n", encoding="utf-8")
    assert [s.id for s in read_article(source).sections] == ["item-1", "item-1-2"]


def test_an_article_with_only_a_title_lists_its_opening_under_the_title(tmp_path):
    source = tmp_path / "alone.txt"
    source.write_text("Alone\n", encoding="utf-8")
    article = read_article(source)
    assert [(s.id, s.title) for s in article.contents] == [("opening", "")]
