"""The web UI through Flask's test client: every route and every error page."""

from __future__ import annotations

import io
import time
import re
import zipfile
from urllib.parse import unquote

import pytest
from pypdf import PdfReader

from pressroom.web.downloads import content_disposition, edition_filename

SLUG = "28-banned-photos-smuggled-out-of-north-korea"
PREVIEW = f"/articles/{SLUG}/"


def test_library_lists_every_article_with_its_facts(client):
    page = client.get("/").get_data(as_text=True)
    assert f'href="/articles/{SLUG}/"' in page
    assert "28 Banned Photos That Were Secretly Smuggled Out Of North\u00a0Korea" in page
    assert "Field Notes from the Harbour" in page and "Ada Lovelace and Grace Hopper" in page
    assert re.search(r"\d+ words", page) and "min read" in page


def test_an_empty_library_says_how_to_add_an_article_without_the_servers_path(tmp_path):
    from pressroom.app import create_app

    page = create_app({"CONTENT_DIR": str(tmp_path)}).test_client().get("/").get_data(as_text=True)
    assert "The library is empty" in page and "in the content folder" in page and str(tmp_path) not in page


def test_a_broken_article_is_listed_with_its_error(client, content_dir):
    (content_dir / "broken.md").write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    page = client.get("/").get_data(as_text=True)
    assert "broken.md, line 2: invalid YAML front matter" in page
    response = client.get("/articles/broken/")
    assert response.status_code == 422
    assert "line 2: invalid YAML front matter" in response.get_data(as_text=True)


def test_preview_shows_the_title_the_four_items_and_a_button_per_exporter(client):
    page = client.get(PREVIEW).get_data(as_text=True)
    assert "<h1 class=\"article-title\">28 Banned Photos" in page
    for number in range(1, 5):
        assert f'<span class="item-number">{number}.</span>' in page
    buttons = re.findall(r'<a class="download" data-format="(\w+)" download href="([^"]+)"', page)
    assert [name for name, _ in buttons] == ["pdf", "epub", "html", "md", "print"]


def test_preview_of_markdown_serves_its_images(client):
    page = client.get("/articles/field-notes/").get_data(as_text=True)
    assert '<img src="/articles/field-notes/files/images/boat.png"' in page
    with client.get("/articles/field-notes/files/images/boat.png") as image:
        assert image.status_code == 200 and image.mimetype == "image/png"
    assert client.get("/articles/field-notes/files/field-notes.md").status_code == 404


@pytest.mark.parametrize(("format_name", "media_type", "magic"), [
    ("pdf", "application/pdf", b"%PDF-"),
    ("epub", "application/epub+zip", b"PK\x03\x04"),
    ("html", "text/html", b"<!DOCTYPE html>"),
])
@pytest.mark.render  # slow: kept out of --quick
def test_each_download_is_a_file_of_its_type(client, format_name, media_type, magic):
    response = client.get(f"/articles/{SLUG}/download/{format_name}")
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.data.startswith(magic)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="28-Banned-Photos-That-Were-Secretly-Smuggled-Out-Of-North-Korea.')
    assert unquote(disposition.split("filename*=UTF-8''")[1]).endswith(f".{format_name}")


def test_download_follows_the_options(client):
    response = client.get(f"/articles/{SLUG}/download/pdf?page_size=letter&cover=off")
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)
    assert "CONTENTS" not in page.extract_text()


def test_downloads_answer_304_for_a_known_etag(client):
    first = client.get(f"/articles/{SLUG}/download/epub")
    etag = first.headers["ETag"]
    again = client.get(f"/articles/{SLUG}/download/epub", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get(f"/articles/{SLUG}/download/epub?page_list=on", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_an_etag_changes_only_with_the_options_its_format_reads(client):
    html = [client.get(f"/articles/{SLUG}/download/html?page_size={size}").headers["ETag"] for size in ("a4", "a5")]
    assert html[0] == html[1]
    pdf = [client.get(f"/articles/{SLUG}/download/pdf?page_size={size}").headers["ETag"] for size in ("a4", "a5")]
    assert pdf[0] != pdf[1]
    epub = [client.get(f"/articles/{SLUG}/download/epub?page_list=on&page_size={size}").headers["ETag"]
            for size in ("a4", "a5")]
    assert epub[0] != epub[1]


def test_etag_changes_when_the_article_changes(client, content_dir):
    before = client.get(f"/articles/{SLUG}/download/html").headers["ETag"]
    source = content_dir / f"{SLUG}.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\n\nOne more paragraph.\n", encoding="utf-8")
    after = client.get(f"/articles/{SLUG}/download/html", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before
    assert b"One more paragraph." in after.data


def test_epub_download_is_a_real_epub(client):
    book = zipfile.ZipFile(io.BytesIO(client.get(f"/articles/{SLUG}/download/epub").data))
    assert book.namelist()[0] == "mimetype"


@pytest.mark.parametrize("url", ["/articles/nope/", "/articles/nope/download/pdf", f"/articles/{SLUG}/download/docx",
                                 f"/articles/{SLUG}/files/../../etc/passwd", "/static/pdf/book.html.jinja",
                                 "/no/such/page"])
def test_unknown_things_are_404_pages(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Back to the library" in response.get_data(as_text=True)


def test_unknown_article_page_names_it(client):
    assert "There is no article called “nope”" in client.get("/articles/nope/").get_data(as_text=True)


def test_a_bad_option_is_a_400_page(client):
    response = client.get(f"/articles/{SLUG}/download/pdf?page_size=b5")
    assert response.status_code == 400
    assert "page size &#39;b5&#39; is not offered; choose one of a4, letter, a5, 6x9" in response.get_data(as_text=True)


def test_stylesheets_and_fonts_are_served_by_the_app(client):
    for url in ("/static/web/app.css", "/static/fonts/CharisSIL-Regular.ttf"):
        with client.get(url) as response:
            assert response.status_code == 200


def test_pages_carry_a_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'" and "script-src" not in directives  # scripts: own files only
    assert [name for name, value in directives.items() if "unsafe" in value] == ["style-src-attr"]
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"


@pytest.mark.parametrize("title", ['He said "hi"\r\nX-Injected: 1', "\u202eevil\u202c.exe", "Ωμέγα", "/../../etc", "x" * 500, ""])
def test_download_names_are_safe_for_any_title(title):
    header = content_disposition(title, "pdf")
    assert "\r" not in header and "\n" not in header
    ascii_name, full_name = edition_filename(title, "pdf")
    assert ascii_name.isascii() and '"' not in ascii_name and "/" not in ascii_name
    assert ascii_name.endswith(".pdf") and full_name.endswith(".pdf")
    assert "/" not in full_name and "\u202e" not in full_name and len(full_name) <= 100


def disposition_names(header: str) -> tuple[str, str]:
    """(the ASCII `filename`, the decoded `filename*`) of a Content-Disposition header."""
    return re.search(r'filename="([^"]+)"', header).group(1), unquote(header.split("filename*=UTF-8''")[1])


LONG_LATIN_TITLE = " ".join(["Smuggled photographs of a closed country"] * 12)
LONG_GREEK_TITLE = " ".join(["Φωτογραφίες από μια κλειστή χώρα"] * 12)
LONG_CHINESE_TITLE = "一个封闭国家的秘密照片" * 30


@pytest.mark.parametrize("title", [LONG_LATIN_TITLE, LONG_GREEK_TITLE, LONG_CHINESE_TITLE])
def test_a_long_titles_download_name_is_at_most_100_characters_cut_at_a_word(client, content_dir, title):
    (content_dir / "long.md").write_text(f"---\ntitle: {title}\n---\n\nA short text.\n", encoding="utf-8")
    header = client.get("/articles/long/download/pdf?page_size=a5&cover=off").headers["Content-Disposition"]
    ascii_name, full_name = disposition_names(header)
    assert len(full_name) <= 100 and len(full_name.encode("utf-8")) < 255 and len(ascii_name.encode()) <= 100
    assert full_name.endswith(" (A5, no cover).pdf") and ascii_name.endswith(".pdf")
    stem = full_name.removesuffix(" (A5, no cover).pdf")
    assert title.startswith(stem) and (" " not in title or title[len(stem)] == " ")  # a whole word last
    assert ascii_name.endswith("-A5-no-cover.pdf")
    if title.isascii():
        ascii_stem = ascii_name.removesuffix("-A5-no-cover.pdf")
        assert title.replace(" ", "-").startswith(ascii_stem) and title[len(ascii_stem)] == " "
    assert len(header.encode("ascii")) < 900


def test_the_epub_marks_the_print_pages_when_asked(client):
    url = f"/articles/{SLUG}/download/epub?page_size=a5"
    without = zipfile.ZipFile(io.BytesIO(client.get(url).data)).read("EPUB/text/nav.xhtml")
    marked = zipfile.ZipFile(io.BytesIO(client.get(url + "&page_list=on").data)).read("EPUB/text/nav.xhtml")
    assert b"page-list" not in without and b"page-list" in marked


def test_a_download_is_named_with_the_options_it_reads_that_differ_from_the_defaults(client):
    def names(url):
        disposition = client.get(url).headers["Content-Disposition"]
        return re.search(r'filename="([^"]+)"', disposition).group(1), unquote(disposition.split("''")[1])

    title = "28 Banned Photos That Were Secretly Smuggled Out Of North Korea"  # the no-break space made plain
    assert names(f"{PREVIEW}download/pdf?page_size=a5&cover=off") == (
        "28-Banned-Photos-That-Were-Secretly-Smuggled-Out-Of-North-Korea-A5-no-cover.pdf", f"{title} (A5, no cover).pdf")
    assert names(f"{PREVIEW}download/html?page_size=a5&cover=off")[1] == f"{title}.html"  # HTML reads neither
    assert names(f"{PREVIEW}download/epub?page_list=on&page_size=6x9") == (
        "28-Banned-Photos-That-Were-Secretly-Smuggled-Out-Of-North-page-numbers-of-the-PDF-6-x-9-in.epub",
        "28 Banned Photos That Were Secretly Smuggled Out Of North (page numbers of the PDF, 6 × 9 in).epub")


def test_the_check_page_states_what_it_checked(client):
    page = client.get(f"{PREVIEW}check/pdf?page_size=a5").get_data(as_text=True)
    assert "28 Banned Photos That Were Secretly Smuggled Out Of North Korea (A5).pdf" in page
    assert "Page size: A5; PDF: Tagged (PDF/UA-1); Cover: on" in page
    assert f"{SLUG}.txt" in page and re.search(r"\(\d+(\.\d)? kB\)", page) and " UTC</time>" in page


def test_a_book_size_shows_spreads_with_the_printed_page_numbers(client):
    page = client.get(f"{PREVIEW}?view=pdf&page_size=a5").get_data(as_text=True)
    spreads = re.findall(r'<li class="spread">(.*?)</li>', page, re.DOTALL)
    sides = [re.findall(r'class="page page-(left|right)"', spread) for spread in spreads]
    assert sides[0] == ["right"] and all(pair == ["left", "right"] for pair in sides[1:-1])
    labels = re.findall(r'<figcaption aria-hidden="true">([^<]+)</figcaption>', page)
    assert labels[:3] == ["i", "ii", "iii"] and "1" in labels and labels[-1] != "1"
    large = re.findall(r'<a href="([^"]+size=large[^"]*)"><img', page)
    assert len(large) == len(labels)
    assert client.get(large[0].replace("&amp;", "&")).data.startswith(b"\x89PNG")


def test_a_desk_size_shows_its_pages_one_by_one(client):
    page = client.get(f"{PREVIEW}?view=pdf&page_size=a4").get_data(as_text=True)
    assert 'class="pages"' in page and "page-left" not in page and "page-right" not in page


def test_e_book_documents_are_shown_with_a_readers_serif_defaults(client):
    page = client.get(f"{PREVIEW}?view=epub").get_data(as_text=True)
    chapter = re.findall(r'<iframe class="document" src="([^"]+)"', page)[3]
    response = client.get(chapter.replace("&amp;", "&"))
    assert b'<link rel="stylesheet" type="text/css" href="/static/web/reader.css"/>' in response.data
    assert response.data.index(b"reader.css") < response.data.index(b"epub.css")  # the book's own styles win
    assert response.headers["Content-Security-Policy"].endswith("sandbox allow-same-origin")  # no script, no forms
    with client.get("/static/web/reader.css") as stylesheet:
        assert "serif" in stylesheet.get_data(as_text=True)


def test_the_favicon_is_an_svg(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200 and response.mimetype == "image/svg+xml" and b"<svg" in response.data


@pytest.mark.validators  # slow: kept out of --quick
def test_a_slow_check_shows_its_progress_and_the_next_check_comes_from_the_cache(content_dir, monkeypatch):
    from pressroom.app import create_app
    from pressroom.exporters.epub import EpubExporter

    client = create_app({"CONTENT_DIR": str(content_dir), "SECRET_KEY": "k", "WORK_PATIENCE_SECONDS": 0}).test_client()
    url = f"{PREVIEW}check/epub"
    first = client.get(url)
    assert first.status_code == 202 and first.headers["Retry-After"] == "2"
    assert "Making the EPUB edition" in first.get_data(as_text=True) and 'class="job-state"' in first.get_data(as_text=True)
    seen = set()
    while first.status_code == 202:
        seen.add(re.search(r"<h1 class=\"page-title\">([^<]+)</h1>", first.get_data(as_text=True)).group(1))
        time.sleep(0.2)
        first = client.get(url)
    assert seen == {"Making the EPUB edition…", "Checking the EPUB edition…"}
    monkeypatch.setattr(EpubExporter, "check", lambda *args: pytest.fail("checked again"))
    second = client.get(url)
    assert second.status_code == 200 and second.data == first.data
