"""Every page of the shared corpus of real web articles (read where it lies, beside the checkout, never
copied into the project) makes an EPUB that EPUBCheck passes without an error or a warning: read as a
saved page, and read back from the Markdown the library stores when the page is imported."""

from __future__ import annotations

import pytest

from conftest import ROOT
from pressroom.articles import read_article, read_article_bytes
from pressroom.articles.markdown_writer import markdown_files
from pressroom.exporters import ExportOptions
from pressroom.exporters.epub import EpubExporter
from validators import epubcheck_reports

# The team's corpus lies in `shared/` beside the checkout (or beside a folder holding it).
CORPUS = next((folder / "shared" / "corpus" / "web-articles" / "html" for folder in ROOT.parents
               if (folder / "shared" / "corpus" / "web-articles" / "html").is_dir()), None)


@pytest.mark.skipif(CORPUS is None, reason="the shared corpus of web articles is not beside this checkout "
                                           "(../shared/corpus/web-articles), and is never copied into it")
def test_every_corpus_page_makes_an_epub_epubcheck_passes(tmp_path):
    pages = sorted(CORPUS.glob("*.html.gz"))
    assert len(pages) >= 40, f"{CORPUS} holds {len(pages)} pages: the shared corpus has 46"
    exporter = EpubExporter()
    settings = exporter.settings(ExportOptions(cover=False, page_list=False))
    books = {}
    for page in pages:
        article = read_article(page)
        name, markdown, _ = markdown_files(article)[0]
        stored = read_article_bytes(tmp_path / name, markdown)
        for label, edition in (("page", article), ("stored Markdown", stored)):
            book = tmp_path / f"{article.slug}-{len(books)}.epub"
            book.write_bytes(exporter.export(edition, settings).main.data)
            books[book] = f"{page.name} ({label})"
    reports = epubcheck_reports(list(books))
    failures = {books[book]: [(m["ID"], m["message"], [place["path"] for place in m["locations"]][:1])
                              for m in messages] for book, messages in reports.items() if messages}
    assert failures == {}
    assert len(reports) == 2 * len(pages)
