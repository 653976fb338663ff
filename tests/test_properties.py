"""Property-based tests of the readers and the e-book: any input gives an article or the one
content error, and every EPUB written is well-formed."""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
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
@given(text=ARTICLE_TEXT, extension=st.sampled_from(["txt", "md"]))
def test_any_text_gives_an_article_or_a_content_error(tmp_path_factory, text, extension):
    path = tmp_path_factory.getbasetemp() / f"fuzz.{extension}"
    try:
        read_article_bytes(path, text.encode("utf-8", "surrogatepass"))
    except ContentError:
        pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
