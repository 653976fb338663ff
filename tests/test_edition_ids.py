"""The ids an author wrote (raw HTML ids, ids from headings) and the links to them carry the article's
prefix in every edition, so that no `id="app"` or `id="csrf_token"` reaches a reading system's scripts."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree
from lxml import html as lxml_html
from pypdf import PdfReader

from pressroom.articles import read_article
from pressroom.execution import export_set
from pressroom.exporters.xhtml import ARTICLE_ID_PREFIX
from conftest import FIXTURES

SOURCE = FIXTURES / "ids_a_reading_systems_scripts_use.md"
AUTHORS_IDS = {"app", "constructor", "csrf_token", "main"}
PREFIXED = {ARTICLE_ID_PREFIX + name for name in AUTHORS_IDS}


@pytest.fixture(scope="module")
def editions():
    return export_set(read_article(SOURCE), ["pdf", "epub", "html"])


def ids_and_links(tree) -> tuple[set[str], list[str]]:
    """Every id of an (X)HTML tree, and every link's address."""
    return ({element.get("id") for element in tree.iter() if isinstance(element.tag, str) and element.get("id")},
            [element.get("href") for element in tree.iter() if isinstance(element.tag, str) and element.get("href")])


def test_the_epub_has_only_prefixed_ids_and_every_link_reaches_one(editions):
    book = zipfile.ZipFile(io.BytesIO(editions["epub"].main.data))
    documents = {name.removeprefix("EPUB/text/"): etree.fromstring(book.read(name)) for name in book.namelist()
                 if name.startswith("EPUB/text/") and name.endswith(".xhtml")}
    ids = {name: ids_and_links(tree)[0] for name, tree in documents.items()}
    every_id = set().union(*ids.values())
    assert not AUTHORS_IDS & every_id and PREFIXED <= every_id
    assert "fn-1" not in every_id and ARTICLE_ID_PREFIX + "fn-1" in every_id  # the note the author cited
    for name, tree in documents.items():
        for href in ids_and_links(tree)[1]:
            document, _, fragment = href.partition("#")
            if fragment and not re.match(r"[a-z]+:", document):
                assert fragment in ids[document or name], (name, href)
    opening = documents["opening.xhtml"]
    links = {link.text: link.get("href") for link in opening.iter("{http://www.w3.org/1999/xhtml}a")}
    assert links["the app"] == "#article-app" and links["the token"] == "#article-csrf_token"
    assert links["the constructor"] == "#article-constructor" and links["the section called Main"] == "main.xhtml#article-main"


def test_the_html_edition_has_only_prefixed_ids_and_every_link_reaches_one(editions):
    ids, links = ids_and_links(lxml_html.fromstring(editions["html"].main.data))
    assert not AUTHORS_IDS & ids and PREFIXED <= ids
    internal = [href[1:] for href in links if href.startswith("#")]
    assert {f"{ARTICLE_ID_PREFIX}{name}" for name in ("app", "constructor", "csrf_token", "main")} <= set(internal)
    assert set(internal) <= ids


def test_the_pdfs_named_destinations_are_prefixed(editions):
    destinations = set(PdfReader(io.BytesIO(editions["pdf"].main.data)).named_destinations)
    assert not AUTHORS_IDS & destinations and PREFIXED <= destinations


def test_the_web_page_prefixes_each_id_once(client, content_dir):
    (content_dir / "ids.md").write_bytes(SOURCE.read_bytes())
    page = client.get("/articles/ids/").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert PREFIXED <= set(ids) and not {"app", "constructor", "csrf_token"} & set(ids)
    assert not [name for name in ids if name.startswith(ARTICLE_ID_PREFIX * 2)]
    assert 'href="#article-csrf_token"' in page and 'href="#article-main"' in page
