"""Web pages as sources: every kind of saved page, their images and metadata, bad pages, the editions."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import gzip
import io
import os
import subprocess
import sys
import time
import zipfile

import pytest
from lxml import etree

from conftest import PRESSROOM
from pressroom.articles import ContentError, read_article
from pressroom.cli import main
from pressroom.execution import export, export_set
from pressroom.jobs.payload import job_payload, read_payload_article
from validators import ace_violations, epubcheck_messages, pdftotext
from web_pages import PARAGRAPHS, article_body, data_uri, figure, page, png, saved_complete

DC = {"dc": "http://purl.org/dc/elements/1.1/", "opf": "http://www.idpf.org/2007/opf"}


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def body_html(article) -> str:
    return "".join(section.html for section in article.sections)


def test_a_page_saved_complete_gives_editions_with_its_images_captions_and_metadata(runner, tmp_path):
    source = saved_complete(tmp_path / "saved")
    result = runner.invoke(main, ["export", str(source), "-f", "md", "-f", "epub", "-f", "pdf", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "out" / "harbour.md").read_text(encoding="utf-8")
    assert markdown.startswith("---\ntitle: Harbour Lights\nauthors:\n- Mara Quayle\ndate: 2024-05-02\nlang: en-GB\n")
    assert "publisher: The Coastal Gazette\nsource_url: https://gazette.example/news/harbour-lights\n" in markdown
    assert '![A lamp on the quay](harbour-images/01-lamp.png "The first lamp, relit.")' in markdown
    assert (tmp_path / "out" / "harbour-images" / "01-lamp.png").read_bytes() == png()
    assert "Related stories" not in markdown and "cookies" not in markdown and "Home" not in markdown
    book = zipfile.ZipFile(tmp_path / "out" / "harbour.epub")
    opf = etree.fromstring(book.read("EPUB/content.opf"))
    assert opf.findtext(".//dc:source", namespaces=DC) == "https://gazette.example/news/harbour-lights"
    assert opf.findtext(".//dc:publisher", namespaces=DC) == "The Coastal Gazette"
    assert any(name.endswith("01-lamp.png") for name in book.namelist())
    text = " ".join(pdftotext(tmp_path / "out" / "harbour.pdf").split())
    assert "The Coastal Gazette" in text and "https://gazette.example/news/harbour-lights" in text
    assert "The first lamp, relit." in text and "Mara Quayle" in text


def test_the_exported_markdown_exported_again_is_the_same_file(runner, tmp_path):
    source = saved_complete(tmp_path / "saved")
    assert runner.invoke(main, ["export", str(source), "-f", "md", "-o", str(tmp_path / "one")]).exit_code == 0
    again = runner.invoke(main, ["export", str(tmp_path / "one" / "harbour.md"), "-f", "md", "-o", str(tmp_path / "two")])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "two" / "harbour.md").read_bytes() == (tmp_path / "one" / "harbour.md").read_bytes()
    assert (tmp_path / "two" / "harbour-images" / "01-lamp.png").read_bytes() == png()


def test_a_single_file_page_keeps_its_data_uri_images(tmp_path):
    source = write(tmp_path / "single.html", page(article_body(figure(data_uri(png(80, 50))))))
    article = read_article(source)
    [asset] = article.assets
    assert asset.media_type == "image/png" and asset.read_bytes() == png(80, 50) and asset.path is None
    assert f'<img src="{asset.href}" alt="A lamp on the quay"/><figcaption>The first lamp, relit.</figcaption>' \
        in body_html(article)
    assert article.warnings == ()


def test_bare_html_without_head_or_body_is_an_article(tmp_path):
    source = write(tmp_path / "bare.html", "<h1>Bare Page</h1>" + "".join(f"<p>{text}</p>" for text in PARAGRAPHS))
    article = read_article(source)
    assert article.title == "Bare Page"
    assert article.metadata.language == "en" and article.metadata.source_url is None
    assert [section.title for section in article.sections] == [""]
    assert PARAGRAPHS[2] in body_html(article)


@pytest.mark.parametrize("name", ["harbour.htm", "harbour.xhtml", "harbour.html.gz"])
def test_every_page_extension_is_read(tmp_path, name):
    text = page(article_body())
    if name.endswith(".xhtml"):
        text = '<?xml version="1.0" encoding="utf-8"?>\n' + text
    data = gzip.compress(text.encode()) if name.endswith(".gz") else text.encode()
    (tmp_path / name).write_bytes(data)
    article = read_article(tmp_path / name)
    assert article.slug == "harbour" and article.title == "Harbour Lights"
    assert [section.title for section in article.sections] == ["", "A long winter"]


def test_a_page_in_a_declared_legacy_encoding_is_decoded(tmp_path):
    text = page(article_body()).replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    (tmp_path / "legacy.html").write_bytes(text.replace("winter in the dark", "winter in the dark — café").encode("cp1252"))
    assert "winter in the dark — café" in body_html(read_article(tmp_path / "legacy.html"))


def test_metadata_comes_from_json_ld_opengraph_and_the_html_lang(tmp_path):
    head = """<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
      "headline": "Les feux du port", "datePublished": "2023-11-20T06:00:00+01:00",
      "author": [{"@type": "Person", "name": "Jeanne Marin"}, {"@type": "Person", "name": "Paul Roc"}],
      "publisher": {"@type": "Organization", "name": "La Gazette"}}</script>"""
    text = page(article_body(), head=head, lang="fr-FR").replace('<meta name="author" content="Mara Quayle">', "")
    text = text.replace('<meta property="article:published_time" content="2024-05-02T08:00:00Z">', "")
    meta = read_article(write(tmp_path / "feux.html", text)).metadata
    assert meta.title == "Les feux du port" and meta.language == "fr-FR"
    assert [author.name for author in meta.authors] == ["Jeanne Marin", "Paul Roc"]
    assert meta.date == datetime.date(2023, 11, 20)
    assert meta.publisher == "The Coastal Gazette"
    assert meta.description == "The quay’s lamps are back after a dark winter."  # prose: the language's quotes
    assert meta.source_url == "https://gazette.example/news/harbour-lights"


def test_lazy_images_show_their_real_address_and_tracking_pixels_go_silently(tmp_path):
    folder = tmp_path / "lazy_files"
    folder.mkdir()
    (folder / "big.png").write_bytes(png(300, 200))
    (folder / "small.png").write_bytes(png(30, 20))
    (folder / "pixel.png").write_bytes(png(1, 1))
    images = (f'<p><img src="{data_uri(png(1, 1))}" data-src="lazy_files/big.png" alt="Lazy"></p>'
              '<p><img src="lazy_files/small.png" srcset="lazy_files/small.png 300w, lazy_files/big.png 1200w" alt="Set"></p>'
              '<p><img src="lazy_files/pixel.png" alt=""></p>'
              '<p><img src="https://tracker.example/p.gif" width="1" height="1"></p>')
    article = read_article(write(tmp_path / "lazy.html", page(article_body(images))))
    assert [asset.read_bytes() for asset in article.assets] == [png(300, 200)]
    assert [image.alt for section in article.sections for image in section.images] == ["Lazy", "Set"]
    assert article.warnings == ()


def test_images_a_saved_page_cannot_carry_are_dropped_with_a_warning_and_strict_fails(tmp_path):
    images = ('<p><img src="https://cdn.example/photo.jpg" alt="web"></p>'
              '<p><img src="missing_files/gone.png" alt="gone"></p>'
              '<p><img src="data:image/png;base64,bm90IGFuIGltYWdl" alt="not an image"></p>')
    source = write(tmp_path / "lossy.html", page(article_body(images)))
    article = read_article(source)
    assert article.assets == ()
    assert any("'https://cdn.example/photo.jpg' dropped: it is on the web" in warning for warning in article.warnings)
    assert any("'missing_files/gone.png' dropped: the file is not in the page's folder" in warning
               for warning in article.warnings)
    assert any("an embedded image dropped: the image" in warning and "is not a PNG, JPEG, GIF or WebP" in warning
               for warning in article.warnings)
    strict = subprocess.run([PRESSROOM, "export", "--strict", str(source), "-f", "md", "-o", str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert strict.returncode == 1 and "(--strict)" in strict.stderr
    assert not (tmp_path / "out").exists()


def test_an_image_outside_the_pages_folder_is_not_read(tmp_path):
    (tmp_path / "secret.png").write_bytes(png())
    folder = tmp_path / "site"
    folder.mkdir()
    article = read_article(write(folder / "escape.html", page(article_body('<p><img src="../secret.png" alt="x"></p>'))))
    assert article.assets == ()
    assert any("outside the page's folder" in warning for warning in article.warnings)


def test_scripts_styles_frames_forms_and_handlers_never_reach_an_edition(tmp_path):
    hostile = ('<p onclick="steal()" style="color:red">Clicked <a href="javascript:steal()">here</a>.</p>'
               '<iframe src="https://video.example/embed/1"></iframe><script>steal()</script>'
               '<form action="/login"><input name="password"></form><style>p { display: none }</style>'
               '<p><img src="x.png" onerror="steal()"></p>')
    article = read_article(write(tmp_path / "hostile.html", page(article_body(hostile))))
    editions = export_set(article, ["html", "epub", "md"])
    outputs = [editions["html"].main.data, editions["md"].main.data]
    book = zipfile.ZipFile(io.BytesIO(editions["epub"].main.data))
    outputs += [book.read(name) for name in book.namelist() if name.endswith(".xhtml")]
    for output in outputs:
        lowered = output.lower()
        for forbidden in (b"steal()", b"onclick", b"onerror", b"<iframe", b"<form", b"password", b"javascript:"):
            assert forbidden not in lowered
    assert any("<iframe> element left out of the article" in warning for warning in article.warnings)
    assert any("<form> element left out of the article" in warning for warning in article.warnings)


@pytest.mark.parametrize("text", [
    "",
    "<html><head><title>Nothing</title></head><body></body></html>",
    "<html><head><title>Sign in</title></head><body><form><p>Please sign in to continue.</p>"
    "<input name=user><input type=password name=pw><button>Sign in</button></form></body></html>",
    "<html><head><title>Index</title></head><body><ul>"
    + "".join(f'<li><a href="/story/{n}">Story {n}</a></li>' for n in range(40)) + "</ul></body></html>",
], ids=["empty file", "empty body", "login wall", "index of links"])
def test_a_page_without_an_article_exits_1_saying_so(tmp_path, text):
    source = write(tmp_path / "nothing.html", text)
    result = subprocess.run([PRESSROOM, "export", str(source), "-f", "md", "-o", str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "no article found in nothing.html" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("broken", [
    "<p>Unclosed <b>bold <i>and italic<p>and a stray </div></span> close</table>",
    "<div><div><p>Overlapping <b>tags <i>cross</b> here</i></p>" * 50,
    "<p>" + "<div>" * 5000 + "deep" + "</div>" * 10 + "<p>\x00\x07 control characters",
    "<![CDATA[ cdata ]]><!-- unclosed comment",
])
def test_malformed_html_is_read_without_crashing(tmp_path, broken):
    article = read_article(write(tmp_path / "broken.html", page(article_body(broken))))
    assert PARAGRAPHS[0] in body_html(article)
    for name in ("html", "epub", "md"):
        assert export(article, name)


def test_a_ten_megabyte_page_of_scripts_around_an_article_is_read_quickly(tmp_path):
    padding = "<script>var x = '" + "x" * (10 * 1024 * 1024) + "';</script>"
    source = write(tmp_path / "heavy.html", page(article_body(), head=padding))
    started = time.monotonic()
    assert read_article(source).title == "Harbour Lights"
    assert time.monotonic() - started < 30


def test_a_ten_megabyte_page_of_elements_is_refused_at_once(tmp_path):
    flood = "".join(f"<p>Paragraph {n} of a page that never ends.</p>" for n in range(250_000))
    source = write(tmp_path / "flood.html", page(flood))
    assert source.stat().st_size > 10 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(ContentError, match=r"more than the 15000 Pressroom reads"):
        read_article(source)
    assert time.monotonic() - started < 30


def test_a_page_larger_than_the_limit_is_refused(tmp_path):
    source = write(tmp_path / "vast.html", page(article_body(), head="<!--" + "x" * (17 * 1024 * 1024) + "-->"))
    with pytest.raises(ContentError, match="larger than 16 MiB"):
        read_article(source)


def test_a_queued_saved_page_travels_as_the_page_and_the_files_of_its_folder_it_took(tmp_path):
    source = saved_complete(tmp_path / "saved")
    (source.parent / "harbour_files" / "unused.png").write_bytes(png())
    article = read_article(source)
    payload = job_payload(article, ["epub"], {})
    # The page's own bytes, and only the image files it took, by their names beside the page.
    assert payload["name"] == "harbour.html" and payload["url"] is None and payload["fetched"] == {}
    assert base64.b64decode(payload["source"]) == source.read_bytes()
    assert list(payload["assets"]) == ["harbour_files/lamp.png"]
    worker_folder = tmp_path / "worker"
    worker_folder.mkdir()
    received = read_payload_article(payload, worker_folder)
    assert received.source_path == worker_folder / "harbour.html" and received.warnings == article.warnings
    assert dataclasses.replace(received, source_path=article.source_path) == article
    assert export(received, "epub") == export(article, "epub")


def test_a_queued_fetched_page_is_read_again_from_what_was_fetched_and_nothing_else(tmp_path):
    from pressroom.articles.readers.sources import read_fetched_page
    from pressroom.articles.webimport.fetching import Fetched, RecordedFetcher

    html = page(article_body(figure("images/lamp.png") + figure("images/gone.png", caption="Gone.")))
    fetched = Fetched("https://gazette.example/news/harbour.html", html.encode(), "text/html")
    article = read_fetched_page(fetched, RecordedFetcher({"https://gazette.example/news/images/lamp.png": png()}))
    assert any("gone.png" in warning and "not fetched where the page was read" in warning
               for warning in article.warnings)
    payload = job_payload(article, ["epub"], {})
    assert payload["url"] == fetched.url and payload["assets"] == {}
    assert list(payload["fetched"]) == ["https://gazette.example/news/images/lamp.png"]
    received = read_payload_article(payload, tmp_path)
    assert received == article and list(tmp_path.iterdir()) == []
    assert export(received, "epub") == export(article, "epub")


@pytest.mark.validators  # slow: kept out of --quick
def test_the_epub_of_an_imported_page_passes_epubcheck_and_ace(tmp_path):
    article = read_article(saved_complete(tmp_path / "saved"))
    path = tmp_path / "harbour.epub"
    path.write_bytes(export(article, "epub"))
    assert epubcheck_messages(path) == []
    assert ace_violations(path, tmp_path / "ace") == []


def test_a_caption_outside_a_figure_stays_text(tmp_path):
    listed = "<ul><li>Before <figcaption>A stray caption</figcaption> after</li><li>Another item here</li></ul>"
    article = read_article(write(tmp_path / "stray.html", page(article_body(listed))))
    html = body_html(article)
    assert "A stray caption" in html and "<figcaption" not in html


FRENCH = ("Les lampes du quai est ont été rallumées mardi, après un hiver dans le noir. Les pêcheurs disaient "
          "qu'elles leur avaient manqué plus qu'ils ne l'auraient cru, et restaient dans le froid pour les regarder.")


def _in_a_fresh_process(script: str, tmp_path) -> list[str]:
    """What `script` prints, run in `tmp_path` by a new Python (whose imports are its own) with an empty cache."""
    environment = {**os.environ, "PRESSROOM_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=environment, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_reading_a_page_runs_no_language_detector_it_does_not_need(tmp_path):
    """trafilatura imports py3langid (and numpy), which Pressroom needs only for a page that declares no language."""
    write(tmp_path / "harbour.html", page(article_body()))
    script = ("import sys; from pressroom.articles import read_article; "
              "print(read_article('harbour.html').metadata.language, 'numpy' in sys.modules)")
    assert _in_a_fresh_process(script, tmp_path) == ["en-GB", "False"]


def test_after_a_page_is_read_the_language_detector_works_for_pressroom_and_trafilatura(tmp_path):
    write(tmp_path / "harbour.html", page(article_body()))
    write(tmp_path / "port.html", page(f"<p>{FRENCH}</p>" * 3).replace(' lang="en-GB"', ""))
    script = ("from pressroom.articles import read_article; "
              "print(read_article('harbour.html').metadata.language, read_article('port.html').metadata.language); "
              "from trafilatura.utils import language_classifier; "
              "print(language_classifier('Der Hafenmeister freut sich, dass die Lampen wieder brennen.', ''))")
    assert _in_a_fresh_process(script, tmp_path) == ["en-GB", "fr", "de"]
