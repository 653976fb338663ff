"""Untrusted articles: the hostile corpus in tests/hostile/, one file per attack class, each with a
canary; nothing secret, remote or executable may reach an edition, and every case ends in bounds."""

from __future__ import annotations

import io
import os
import re
import struct
import subprocess
import threading
import zipfile
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin
from pypdf import PdfReader

from pressroom.articles import ContentError, read_article
from conftest import PRESSROOM, LONG
from pressroom.exporters import ExportFailed, ExportOptions
from pressroom.execution import ExportLimits, export
from validators import epubcheck_messages, pdfinfo, pdftotext

HOSTILE = Path(__file__).resolve().parent / "hostile"
# The hostile articles name this absolute path; each run puts its secrets in a folder of its own.
WRITTEN_CANARY_DIR = "/tmp/pressroom-canary"
SECRET = "SECRET-CONTENT-a91f"  # the content of every file an article must not read
FORMATS = ("pdf", "epub", "html")


@pytest.fixture(scope="module")
def canary_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("pressroom-canary")


@pytest.fixture(scope="module", autouse=True)
def secret_files(canary_dir):
    """Files an attacker would like to read: at an absolute path of this run and beside the article's folder."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (255, 0, 0)).save(buffer, format="PNG", pnginfo=info)
    for folder in (canary_dir,):
        (folder / "secret.png").write_bytes(buffer.getvalue())
        (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
        (folder / "secret.css").write_text(f"body::before {{ content: '{SECRET}'; }}", encoding="utf-8")
        (folder / "secret.svg").write_text(f"<svg xmlns='http://www.w3.org/2000/svg'><text id='x'>{SECRET}</text></svg>",
                                           encoding="utf-8")
    return buffer.getvalue()


@pytest.fixture
def place(tmp_path, secret_files, canary_dir):
    """Copy a hostile article into a folder of its own, with a secret beside that folder."""
    def placed(name: str, **replacements: str) -> Path:
        replacements = {WRITTEN_CANARY_DIR: str(canary_dir), **replacements}
        folder = tmp_path / "articles"
        folder.mkdir(exist_ok=True)
        (tmp_path / "secret.png").write_bytes(secret_files)
        # An innocent image of the same name in the article's own folder: a <base> must not redirect to the secret.
        Image.new("RGB", (4, 4), (0, 128, 0)).save(folder / "secret.png")
        text = (HOSTILE / name).read_bytes()
        for old, new in replacements.items():
            text = text.replace(old.encode(), new.encode())
        target = folder / name
        target.write_bytes(text)
        return target
    return placed


@pytest.fixture
def listener():
    """A loopback HTTP server that records every request made to it."""
    requests: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server calls)
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(SECRET.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def editions(article) -> dict[str, bytes]:
    return {name: export(article, name, ExportOptions(page_list=True)) for name in FORMATS}


def epub_entries(data: bytes) -> dict[str, bytes]:
    book = zipfile.ZipFile(io.BytesIO(data))
    return {name: book.read(name) for name in book.namelist()}


def assert_no_secret(outputs: dict[str, bytes], tmp_path: Path, secret_png: bytes) -> None:
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(outputs["pdf"])
    assert SECRET not in pdftotext(pdf)
    assert PdfReader(pdf).attachments == {}
    for name, content in epub_entries(outputs["epub"]).items():
        assert SECRET.encode() not in content, name
        assert content != secret_png, name
    assert SECRET.encode() not in outputs["html"]
    assert not re.search(rb'(?:src|href)="[^"]*pressroom-canary', outputs["html"])


def test_local_files_are_never_read(place, tmp_path, secret_files):
    source = place("local_file_reads.md")
    article = read_article(source)
    # Only the innocent image in the article's own folder is used (the <base> was ignored).
    assert [asset.path for asset in article.assets] == [source.parent / "secret.png"]
    assert any("dropped" in warning for warning in article.warnings)
    outputs = editions(article)
    assert_no_secret(outputs, tmp_path, secret_files)
    pdf = PdfReader(io.BytesIO(outputs["pdf"]))
    sizes = {image.image.size for page in pdf.pages for image in page.images}
    assert (8, 8) not in sizes


def test_no_attachment_reaches_the_pdf(place, tmp_path, secret_files):
    outputs = editions(read_article(place("pdf_attachments.md")))
    assert "/EmbeddedFiles" not in str(PdfReader(io.BytesIO(outputs["pdf"])).trailer["/Root"].get("/Names", {}))
    assert_no_secret(outputs, tmp_path, secret_files)


def test_no_request_leaves_the_server(place, listener, tmp_path, secret_files):
    address, requests = listener
    article = read_article(place("network_requests.md", LISTENER=address))
    assert sum("dropped" in warning for warning in article.warnings) >= 3
    outputs = editions(article)
    assert requests == []
    assert_no_secret(outputs, tmp_path, secret_files)


EXECUTABLE = re.compile(rb"<script|<iframe|<object|<embed|<form|http-equiv|\son[a-z]+\s*="
                        rb"|(?:href|src|action)\s*=\s*[\"']?\s*(?:java|vb)script:", re.IGNORECASE)


def test_nothing_executable_survives(place, tmp_path):
    article = read_article(place("executable_content.md"))
    assert any("raw HTML removed for safety: <form>" in w or "<script>" in w for w in article.warnings)
    outputs = editions(article)
    assert not EXECUTABLE.search(outputs["html"])
    for name, content in epub_entries(outputs["epub"]).items():
        assert not EXECUTABLE.search(content), name
    pdf = tmp_path / "exec.pdf"
    pdf.write_bytes(outputs["pdf"])
    assert pdfinfo(pdf)["JavaScript"] == "no"
    uris = [a.get_object().get("/A", {}).get("/URI", "") for page in PdfReader(pdf).pages
            for a in page.get("/Annots", []) or []]
    assert not [uri for uri in uris if "script" in uri.lower()]


def test_yaml_python_tags_are_refused_and_never_run(place, capfd):
    with pytest.raises(ContentError, match=r"line 2: invalid YAML front matter"):
        read_article(place("yaml_python_tags.md"))
    assert "CANARY-YAML-0e44" not in "".join(capfd.readouterr())


@pytest.mark.parametrize(("front", "message"), [
    ("title: x\ndate: 2024-13-40\n", "'date' has an impossible value"),
    ("title: " + "[" * 5000 + "]" * 5000 + "\n", "invalid YAML front matter"),
    ("title: x\nsubjects: " + "x" * 70000 + "\n", "longer than 65536 characters"),
    ("title: &a [*a]\n", "the front matter uses the YAML anchor '&a'"),
])
def test_front_matter_it_cannot_use_is_a_clear_error(tmp_path, front, message):
    source = tmp_path / "x.md"
    source.write_text(f"---\n{front}---\nBody\n", encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape(message)):
        read_article(source)


def test_control_characters_are_removed_and_bidi_text_kept(place, tmp_path):
    article = read_article(place("text_with_control_and_bidi_characters.txt"))
    assert article.warnings[0].endswith("line 3: 5 control characters (such as U+0007) removed: no edition can hold them")
    text = "".join(section.html for section in article.sections)
    assert "\u202e reversed \u202c" in text and "\x07" not in text and "\uffff" not in text
    path = tmp_path / "bidi.epub"
    path.write_bytes(export(article, "epub"))
    assert epubcheck_messages(path) == []


def test_a_title_and_nothing_else_gives_valid_editions(place, tmp_path):
    article = read_article(place("only_a_title.txt"))
    path = tmp_path / "title.epub"
    path.write_bytes(export(article, "epub"))
    assert epubcheck_messages(path) == []
    assert export(article, "pdf").startswith(b"%PDF-")


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels: a decompression bomb's calling card."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


@pytest.mark.parametrize(("data", "message"), [
    (png_claiming(60000, 60000), "more than the 40 million"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "is damaged"),
    (b"GIF89a" + b"\xff" * 10, "is damaged"),
])
def test_images_are_judged_by_their_content(tmp_path, data, message):
    (tmp_path / "picture.png").write_bytes(data)
    source = tmp_path / "x.md"
    source.write_text("# T\n\n![a picture](picture.png)\n", encoding="utf-8")
    with pytest.raises(ContentError, match=message):
        read_article(source)


def test_a_slow_export_is_stopped_and_the_next_one_works(sample):
    with pytest.raises(ExportFailed, match=r"cannot be exported as PDF: it took longer than 0.05 seconds"):
        export(read_article(LONG), "pdf", limits=ExportLimits(seconds=0.05))
    assert export(sample, "html").startswith(b"<!DOCTYPE html>")


def test_an_export_past_its_memory_limit_is_stopped(tmp_path):
    source = tmp_path / "big.txt"
    paragraph = "Words enough to fill a page many times over, laid out line by line. " * 30
    source.write_text("Big\n\n" + "\n\n".join(f"{n}. Item {n}. {paragraph}" for n in range(1, 400)), encoding="utf-8")
    with open("/proc/self/status") as status:
        used = int(re.search(r"VmSize:\s+(\d+) kB", status.read()).group(1)) * 1024
    with pytest.raises(ExportFailed, match=r"memory|stopped"):
        export(read_article(source), "pdf", limits=ExportLimits(memory_bytes=used + 16 * 1024 * 1024))


def test_an_engine_crash_is_a_clear_error(sample, monkeypatch):
    from pressroom.exporters.html import HtmlExporter

    def crash(self, article, settings, pages=None):
        raise RuntimeError("the engine fell over")

    monkeypatch.setattr(HtmlExporter, "export", crash)
    with pytest.raises(ExportFailed) as error:
        export(sample, "html")
    assert str(error.value).endswith("cannot be exported as HTML: HTML engine error (RuntimeError: the engine fell over)")


def test_a_stopped_cli_export_leaves_no_file(tmp_path):
    env = {**os.environ, "PRESSROOM_EXPORT_SECONDS": "0.05"}
    result = subprocess.run([PRESSROOM, "export", str(LONG), "-f", "pdf", "-o", str(tmp_path)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert "took longer than 0.05 seconds" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_strict_turns_warnings_into_a_failed_export(place, tmp_path):
    source = place("executable_content.md")
    result = subprocess.run([PRESSROOM, "export", "--strict", str(source), "-f", "html",
                             "-o", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 1
    assert "warning:" in result.stderr and "(--strict)" in result.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_slugs_cannot_traverse(tmp_path):
    from pressroom.articles.readers.sources import slug_for

    for name in ("../../etc/passwd.md", "..md", "/absolute/x.md", "CON.md", "a b\x00c.md", "ünïcødé.md"):
        slug = slug_for(Path(name))
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), (name, slug)


def test_deep_nesting_is_flattened_not_fatal(tmp_path):
    source = tmp_path / "deep.md"
    source.write_text("# Deep\n\n" + "> " * 5000 + "quoted\n\n" + "- " * 3000 + "listed\n\n"
                      + "<div>" * 5000 + "boxed" + "</div>" * 5000 + "\n", encoding="utf-8")
    article = read_article(source)
    for name in FORMATS:
        assert export(article, name)
    path = tmp_path / "deep.epub"
    path.write_bytes(export(article, "epub"))
    assert epubcheck_messages(path) == []


def test_an_image_symlinked_out_of_the_folder_is_refused(tmp_path, secret_files, canary_dir):
    folder = tmp_path / "article"
    folder.mkdir()
    (folder / "innocent.png").symlink_to(canary_dir / "secret.png")
    source = folder / "x.md"
    source.write_text("# T\n\n![looks local](innocent.png)\n", encoding="utf-8")
    with pytest.raises(ContentError, match="lies outside the article's folder"):
        read_article(source)
