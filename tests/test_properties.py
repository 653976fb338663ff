"""Property-based tests of the readers and the e-book: any input gives an article or the one
content error, and every EPUB written is well-formed."""

from __future__ import annotations

import io
import os
import zipfile

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from pressroom.articles import ContentError, read_article_bytes
from pressroom.exporters import ExportOptions
from pressroom.exporters.epub import EpubExporter

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Text that looks like articles: lines, numbers, markup characters, controls, bidi marks, astral planes.
ARTICLE_TEXT = st.lists(
    st.one_of(
        st.text(max_size=80),
        st.sampled_from(["", "1. Item", "2.\u00a0Item", "---", "title: x", "# T", "## S", "![a](b.png)",
                         "[^1]", "[^1]: note", "<script>", "| a | b |", "|---|---|", "> q", "```", "\u202e", "\x0b"]),
    ),
    max_size=40,
).map("\n".join)


@SETTINGS
# Failures found so far: front matter holding a character YAML refuses (U+007F, U+0090, U+009F) or
# reads as a line break (U+0085).
@example(data=b"---\ntitle: a\x7f\n---\nx", extension="md")
@example(data="---\ntitle: a\x85\n---\nx".encode(), extension="md")
@example(data="---\ntitle: a\x90\n---\nx".encode(), extension="md")
@example(data="---\ntitle: a\x9f\n---\nx".encode(), extension="md")
# The hostile cases of tests/test_hostile.py and the readers' tests.
@example(data=b'---\ntitle: !!python/object/apply:os.system ["echo CANARY-YAML-0e44"]\n---\n\nBody.\n', extension="md")
@example(data=b"---\ntitle: &a [*a]\n---\nBody\n", extension="md")
@example(data=b"---\ntitle: " + b"[" * 5000 + b"]" * 5000 + b"\n---\nBody\n", extension="md")
@example(data=b"---\ntitle: x\ndate: 2024-13-40\n---\nBody\n", extension="md")
@example(data=b"---\ntitle: x\nsubjects: " + b"x" * 70000 + b"\n---\nBody\n", extension="md")
@example(data=b"---\ntitle: never closed\n", extension="md")
@example(data=b"Title\n\nA byte that is not UTF-8: \xff\n", extension="txt")
@example(data=b"Title\n\nA NUL \x00 character\n", extension="txt")
@example(data="\ufeffTitle\r\n\r\nA bell \x07, \u202e reversed \u202c, a non-character \uffff.\r\n".encode(),
         extension="txt")
@given(data=st.binary(max_size=2000), extension=st.sampled_from(["txt", "md"]))
def test_any_bytes_give_an_article_or_a_content_error(tmp_path_factory, data, extension):
    path = tmp_path_factory.getbasetemp() / f"fuzz.{extension}"
    try:
        article = read_article_bytes(path, data)
    except ContentError as error:
        assert str(error).startswith(str(path))
    else:
        assert article.title.strip()


@SETTINGS
@example(text="---\ntitle: a\x7f\n---\nx", extension="md")
@example(text="---\ntitle: a\x85\n---\nx", extension="md")
@example(text="---\ntitle: a\x9f\n---\nx", extension="md")
@given(text=ARTICLE_TEXT, extension=st.sampled_from(["txt", "md"]))
def test_any_text_gives_an_article_or_a_content_error(tmp_path_factory, text, extension):
    path = tmp_path_factory.getbasetemp() / f"fuzz.{extension}"
    try:
        read_article_bytes(path, text.encode("utf-8", "surrogatepass"))
    except ContentError:
        pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(text="Title\n\nA bell \x07, a vertical tab \x0b, \u202e reversed \u202c, a non-character \uffff.",
         extension="txt")
@example(text="---\ntitle: T\x85\n---\n1. Item\n[^1]\n\n[^1]: note", extension="md")
@given(text=ARTICLE_TEXT, extension=st.sampled_from(["txt", "md"]))
def test_every_epub_written_is_well_formed(tmp_path_factory, text, extension):
    path = tmp_path_factory.getbasetemp() / f"fuzz.{extension}"
    try:
        article = read_article_bytes(path, text.encode("utf-8", "surrogatepass"))
    except ContentError:
        return
    exporter = EpubExporter()
    edition = exporter.export(article, exporter.settings(ExportOptions(cover=False, page_list=False)))
    book = zipfile.ZipFile(io.BytesIO(edition.main.data))
    for name in book.namelist():
        if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
            etree.fromstring(book.read(name))  # raises on anything that is not well-formed XML


def test_ci_tries_the_same_examples_on_every_run():
    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.database is None and ci.print_blob
    assert settings.default.derandomize == bool(os.environ.get("CI"))
