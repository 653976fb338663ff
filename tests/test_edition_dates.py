"""The editions' dates: the article's own, else SOURCE_DATE_EPOCH, else when its source last changed;
resolved when the article is read, and printed only when the article has one."""

from __future__ import annotations

import datetime
import io
import os
import shutil
import zipfile

from lxml import etree
from pypdf import PdfReader

from pressroom.articles import read_article
from pressroom.execution import export_set
from conftest import SAMPLE
from validators import pdfinfo, pdftotext

OPF = {"opf": "http://www.idpf.org/2007/opf"}
# 14 November 2023, 22:13:20 UTC
MODIFIED = 1700000000


def editions_of(source, folder):
    editions = export_set(read_article(source), ["pdf", "epub"])
    pdf = folder / "book.pdf"
    pdf.write_bytes(editions["pdf"].main.data)
    opf = etree.fromstring(zipfile.ZipFile(io.BytesIO(editions["epub"].main.data)).read("EPUB/content.opf"))
    return pdf, opf.findtext(".//opf:meta[@property='dcterms:modified']", namespaces=OPF), editions["epub"].main.data


def undated_sample(tmp_path):
    source = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, source)
    os.utime(source, (MODIFIED, MODIFIED))
    return source


def test_an_undated_article_takes_its_files_modification_time(tmp_path):
    pdf, modified, epub = editions_of(undated_sample(tmp_path), tmp_path)
    assert modified == "2023-11-14T22:13:20Z"
    assert PdfReader(pdf).metadata["/CreationDate"].startswith("D:20231114221320")
    assert zipfile.ZipFile(io.BytesIO(epub)).infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)


def test_an_undated_article_holds_no_invented_date(tmp_path):
    pdf, modified, epub = editions_of(undated_sample(tmp_path), tmp_path)
    text = pdftotext(pdf)
    assert "2000" not in text and "This edition" not in text and "November" not in text
    assert "2000" not in pdfinfo(pdf)["CreationDate"] and not modified.startswith("2000")
    book = zipfile.ZipFile(io.BytesIO(epub))
    assert not any(b"2000-01-01" in book.read(name) for name in book.namelist())


def test_source_date_epoch_comes_before_the_modification_time(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    _, modified, _ = editions_of(undated_sample(tmp_path), tmp_path)
    assert modified == "2020-09-13T12:26:40Z"


def test_the_articles_own_date_comes_first(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    source = tmp_path / "dated.md"
    source.write_text("---\ntitle: Dated\ndate: 2024-03-01\n---\n\nText.\n", encoding="utf-8")
    os.utime(source, (MODIFIED, MODIFIED))
    pdf, modified, _ = editions_of(source, tmp_path)
    assert modified == "2024-03-01T00:00:00Z"
    assert "March 1, 2024" in pdftotext(pdf)  # printed on the title page, in the article's language (en)


def test_the_date_is_resolved_when_the_article_is_read_not_at_export(tmp_path):
    source = undated_sample(tmp_path)
    article = read_article(source)
    os.utime(source, (MODIFIED + 86400, MODIFIED + 86400))
    assert article.edition_date == datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)
    assert read_article(source).edition_date.day == 15
    assert read_article(source).digest != article.digest  # editions made before are not served for it
