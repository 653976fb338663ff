"""The OPDS catalogue at /opds/: every feed valid against the OPDS 1.2 RELAX NG schema (jing), pages of 50
linked first/previous/next/last, hostile titles kept as text, ETag and Last-Modified, downloads with the
web UI's bytes, and answers in plain text (never an HTML page) when an edition cannot come now."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import SAMPLE
from pressroom.app import create_app
from validators import require

SCHEMA = Path(__file__).parent / "opds-schema" / "opds.rnc"
ATOM = "{http://www.w3.org/2005/Atom}"
NS = {"atom": "http://www.w3.org/2005/Atom", "dcterms": "http://purl.org/dc/terms/"}
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
HOSTILE_TITLE = "Tides <script>alert(1)</script> &amp; <b>bold</b> ]]> \"quoted\""
HOSTILE_SUMMARY = "<img src=x onerror=alert(2)> &lt;escaped&gt; & more"


def write(folder, name: str, front: str, body: str) -> None:
    (folder / name).write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def archive(content_dir):
    """The sample and the rich article, 120 numbered articles by two authors in two languages, one
    article with a hostile title and subtitle, and a book."""
    for number in range(120):
        author, language = ("Ada Byron", "en") if number % 2 else ("Marie Gardienne", "fr")
        write(content_dir, f"note-{number:03}.md",
              f"title: Note {number:03}\nauthors: [{author}]\nlang: {language}\ndate: 2024-03-{number % 28 + 1:02}\n"
              "subjects: [Tides, Harbours]\n", f"Tide table number {number}.")
    write(content_dir, "hostile.md", f"title: '{HOSTILE_TITLE}'\nsubtitle: '{HOSTILE_SUMMARY}'\n",
          "A lighthouse keeper writes.")
    (content_dir / "harbour-book.yaml").write_text("title: The Harbour Book\narticles: [note-001.md, note-002.md]\n")
    return content_dir


def feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response, etree.fromstring(response.data)


def links(element, rel: str) -> list[str]:
    return [link.get("href") for link in element.findall(f"{ATOM}link") if link.get("rel") == rel]


def entry_titled(document, title: str):
    return next(entry for entry in document.findall(f"{ATOM}entry") if entry.findtext(f"{ATOM}title") == title)


def jing_errors(paths: list[Path]) -> str:
    """What jing finds wrong with the documents at `paths` against the OPDS 1.2 schema ("" when valid)."""
    result = subprocess.run([require("jing"), "-c", str(SCHEMA), *map(str, paths)], capture_output=True, text=True)
    return result.stdout if result.returncode else ""


def test_every_feed_is_valid_opds_against_the_schema(client, archive, tmp_path):
    urls = ["/opds/", "/opds/articles", "/opds/articles?page=3", "/opds/articles?sort=added", "/opds/authors",
            "/opds/languages", "/opds/books", "/opds/articles?q=lighthouse", "/opds/articles?author=Ada+Byron",
            "/opds/articles?lang=fr&page=2"]
    paths = []
    for number, url in enumerate(urls):
        response = client.get(url)
        assert response.status_code == 200 and response.content_type in (NAVIGATION, ACQUISITION), url
        paths.append(tmp_path / f"feed-{number}.xml")
        paths[-1].write_bytes(response.data)
    assert jing_errors(paths) == ""


def test_the_schema_copy_finds_what_is_wrong(tmp_path):
    """The fixed schema still refuses an invalid feed (no id, a URI with a space), so its silence means something."""
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><updated>2024-01-01T00:00:00Z'
                       b'</updated><link rel="self" href="/a b"/></feed>')
    errors = jing_errors([broken])
    assert 'element "feed" incomplete' in errors and 'value of attribute "href" is invalid' in errors


def test_the_root_leads_to_newest_authors_languages_titles_books_and_search(client, archive):
    response, root = feed(client, "/opds/")
    assert response.content_type == NAVIGATION
    entries = {entry.findtext(f"{ATOM}title"): entry.find(f"{ATOM}link") for entry in root.findall(f"{ATOM}entry")}
    assert list(entries) == ["Newest", "By author", "By language", "By title", "Books"]
    assert entries["Newest"].get("href") == "/opds/articles?sort=added"
    assert entries["Newest"].get("rel") == "http://opds-spec.org/sort/new"
    assert entries["By author"].get("type") == NAVIGATION and entries["Books"].get("type") == ACQUISITION
    assert links(root, "search") == ["/opds/opensearch.xml"]
    description = etree.fromstring(client.get("/opds/opensearch.xml").data)
    url = description.find("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert url.get("template") == "/opds/articles?q={searchTerms}" and url.get("type") == ACQUISITION


def test_acquisition_feeds_come_in_pages_of_fifty_linked_both_ways(client, archive):
    _, first = feed(client, "/opds/articles")
    assert len(first.findall(f"{ATOM}entry")) == 50
    assert first.findtext("{http://a9.com/-/spec/opensearch/1.1/}totalResults") == "123"
    assert links(first, "first") == ["/opds/articles?page=1"] and links(first, "last") == ["/opds/articles?page=3"]
    assert links(first, "next") == ["/opds/articles?page=2"] and links(first, "previous") == []
    _, middle = feed(client, "/opds/articles?page=2")
    assert links(middle, "previous") == ["/opds/articles?page=1"] and links(middle, "next") == ["/opds/articles?page=3"]
    _, last = feed(client, "/opds/articles?page=3")
    assert len(last.findall(f"{ATOM}entry")) == 23 and links(last, "next") == []
    _, french = feed(client, "/opds/articles?lang=fr&page=2")
    assert links(french, "next") == [] and links(french, "first") == ["/opds/articles?lang=fr&page=1"]
    assert {entry.findtext("dcterms:language", namespaces=NS) for entry in french.findall(f"{ATOM}entry")} == {"fr"}


def test_an_entry_holds_what_the_catalogue_knows_and_a_link_per_edition(client, archive):
    _, found = feed(client, "/opds/articles?author=Ada+Byron")
    entry = entry_titled(found, "Note 001")
    assert [author.findtext(f"{ATOM}name") for author in entry.findall(f"{ATOM}author")] == ["Ada Byron"]
    assert entry.findtext("dcterms:language", namespaces=NS) == "en"
    assert entry.findtext("dcterms:issued", namespaces=NS) == "2024-03-02"
    assert entry.findtext(f"{ATOM}summary") == "Tide table number 1."
    assert [category.get("term") for category in entry.findall(f"{ATOM}category")] == ["Tides", "Harbours"]
    acquisitions = {link.get("type"): link.get("href") for link in entry.findall(f"{ATOM}link")
                    if link.get("rel") == "http://opds-spec.org/acquisition"}
    assert acquisitions["application/epub+zip"] == "/opds/articles/note-001/epub"
    assert acquisitions["application/pdf"] == "/opds/articles/note-001/pdf"
    assert links(entry, "http://opds-spec.org/image") == ["/opds/articles/note-001/cover"]
    assert links(entry, "http://opds-spec.org/image/thumbnail") == ["/opds/articles/note-001/cover?size=thumbnail"]
    _, authors = feed(client, "/opds/authors")
    names = {entry.findtext(f"{ATOM}title"): entry for entry in authors.findall(f"{ATOM}entry")}
    assert list(names) == sorted(names) and names["Marie Gardienne"].findtext(f"{ATOM}content") == "60 articles"
    assert links(names["Marie Gardienne"], "subsection") == ["/opds/articles?author=Marie+Gardienne"]
    _, books = feed(client, "/opds/books")
    book = entry_titled(books, "The Harbour Book")
    assert "/opds/books/harbour-book/epub" in links(book, "http://opds-spec.org/acquisition")


def test_a_hostile_title_and_summary_stay_text(client, archive):
    response, found = feed(client, "/opds/articles?q=lighthouse")
    entry = entry_titled(found, HOSTILE_TITLE.replace("\"quoted\"", "“quoted”"))  # prose: the language's quotes
    assert entry.findtext(f"{ATOM}summary") == HOSTILE_SUMMARY
    assert entry.find(f"{ATOM}title").get("type") is None and len(entry.find(f"{ATOM}title")) == 0
    assert not found.xpath("//*[local-name()='script' or local-name()='img' or local-name()='b']")
    assert b"<script>" not in response.data


def test_an_article_that_cannot_be_read_says_why_without_editions_or_the_servers_paths(client, content_dir):
    (content_dir / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nText.\n", encoding="utf-8")
    _, found = feed(client, "/opds/articles")
    [entry] = [entry for entry in found.findall(f"{ATOM}entry") if entry.findtext(f"{ATOM}id").endswith(":broken")]
    summary = entry.findtext(f"{ATOM}summary")
    assert summary.startswith("This article cannot be read: broken.md") and str(content_dir) not in summary
    assert links(entry, "http://opds-spec.org/acquisition") == [] and links(entry, "http://opds-spec.org/image") == []


def test_feeds_carry_an_etag_and_last_modified_and_change_with_the_library(client, archive):
    response = client.get("/opds/articles?page=2")
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    assert client.get("/opds/articles?page=2", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/opds/articles?page=2", headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get("/opds/articles?page=3", headers={"If-None-Match": etag}).status_code == 200
    for url in ("/opds/", "/opds/authors", "/opds/languages", "/opds/books"):
        assert {"ETag", "Last-Modified"} <= set(client.get(url).headers.keys()), url
    write(archive, "new-note.md", "title: A New Note\n", "Fresh.")
    changed = client.get("/opds/articles?page=2", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_an_edition_link_serves_the_web_uis_download(client):
    slug = SAMPLE.stem
    opds = client.get(f"/opds/articles/{slug}/epub")
    web = client.get(f"/articles/{slug}/download/epub")
    assert opds.status_code == 200 and opds.content_type == "application/epub+zip"
    assert opds.data == web.data and opds.headers["ETag"] == web.headers["ETag"]
    assert opds.headers["Content-Disposition"] == web.headers["Content-Disposition"]


def test_an_edition_not_made_in_time_is_a_plain_503_with_retry_after(content_dir):
    """With every export slot taken (none here), the e-reader hears "later" in words, not an HTML page."""
    busy = create_app({"CONTENT_DIR": str(content_dir), "TESTING": True, "SECRET_KEY": "test-secret",
                       "WORK_PATIENCE_SECONDS": None, "WALK_SECONDS": 0, "EXPORT_SLOTS": 0}).test_client()
    response = busy.get(f"/opds/articles/{SAMPLE.stem}/epub")
    assert response.status_code == 503 and response.content_type == "text/plain; charset=utf-8"
    assert int(response.headers["Retry-After"]) > 0 and b"<" not in response.data


def test_an_edition_still_on_the_queue_is_a_plain_503_with_retry_after(client, app, monkeypatch):
    from pressroom.web import state as web_state
    from pressroom.web.work import JobPending, Running

    def queued(*arguments):
        raise JobPending(Running())

    monkeypatch.setattr(web_state, "_made_on_queue", queued)
    monkeypatch.setattr(app.extensions[web_state.EXTENSION], "queue", object())
    response = client.get(f"/opds/articles/{SAMPLE.stem}/epub")
    assert response.status_code == 503 and response.content_type == "text/plain; charset=utf-8"
    assert int(response.headers["Retry-After"]) > 0 and b"<" not in response.data


@pytest.mark.parametrize("url", ["/opds/articles/no-such-article/epub", "/opds/articles/{sample}/no-such-format",
                                 "/opds/books/no-such-book/epub", "/opds/articles?year=soon",
                                 "/opds/articles?q=" + "long+" * 200])
def test_what_cannot_be_served_is_said_in_plain_text(client, url):
    response = client.get(url.format(sample=SAMPLE.stem))
    assert 400 <= response.status_code < 500
    assert response.content_type == "text/plain; charset=utf-8" and b"<" not in response.data


def test_a_book_that_cannot_be_made_is_a_plain_422(client, content_dir):
    (content_dir / "broken-book.yaml").write_text("title: Broken\narticles: [no-such-article.md]\n")
    response = client.get("/opds/books/broken-book/epub")
    assert response.status_code == 422 and response.content_type == "text/plain; charset=utf-8"


def test_the_cover_is_the_epubs_own_picture(client):
    full = client.get(f"/opds/articles/{SAMPLE.stem}/cover")
    thumbnail = client.get(f"/opds/articles/{SAMPLE.stem}/cover?size=thumbnail")
    assert full.content_type == thumbnail.content_type == "image/png"
    assert full.data[:8] == b"\x89PNG\r\n\x1a\n" and len(thumbnail.data) < len(full.data)
    with zipfile.ZipFile(io.BytesIO(client.get(f"/opds/articles/{SAMPLE.stem}/epub").data)) as epub:
        [inside] = [name for name in epub.namelist() if name.endswith("/cover.png")]
        assert epub.read(inside) == full.data
    assert client.get(f"/opds/articles/{SAMPLE.stem}/cover", headers={"If-None-Match": full.headers["ETag"]}
                      ).status_code == 304
