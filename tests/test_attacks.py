"""The web app attacked as a hostile user would, against `pressroom serve` on 127.0.0.1: each attack
of issue 17 reproduced, and what the server did instead (status, page, files, its own memory)."""

from __future__ import annotations

import http.client
import http.cookiejar
import io
import os
import random
import re
import shutil
import socket
import struct
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pressroom.articles import ContentError, Library, UploadedFile
from pressroom.articles.library import uploads
from pressroom.exporters import load_exporters
from conftest import RICH, SAMPLE
from server import running_server

SLUG = "28-banned-photos-smuggled-out-of-north-korea"
BOAT = (RICH.parent / "images" / "boat.png").read_bytes()
MiB = 1024 * 1024


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """A browser of the server: a session cookie, the form's CSRF token, no redirects followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)
        page = self.get("/add")[2]
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def get(self, path: str) -> tuple[int, dict, str]:
        """The page at `path`; work in progress (202) is asked for again after its Retry-After, as the
        page's script does."""
        while True:
            answer = self._open(urllib.request.Request(self.base + path))
            if answer[0] != 202:
                return answer
            time.sleep(int(answer[1]["Retry-After"]))

    def upload(self, files: list[tuple[str, bytes]], **fields: str) -> tuple[int, dict, str]:
        boundary = "pressroom-attack-" + os.urandom(8).hex()
        parts = [(f'Content-Disposition: form-data; name="{name}"', value.encode())
                 for name, value in {"csrf_token": self.token, "source": "upload", **fields}.items()]
        parts += [(f'Content-Disposition: form-data; name="files"; filename="{name}"\r\n'
                   "Content-Type: application/octet-stream", data) for name, data in files]
        return self.post_multipart(parts, boundary)

    def post_multipart(self, parts: list[tuple[str, bytes]], boundary: str) -> tuple[int, dict, str]:
        body = b"".join(f"--{boundary}\r\n{headers}\r\n\r\n".encode() + data + b"\r\n" for headers, data in parts)
        body += f"--{boundary}--\r\n".encode()
        return self._open(urllib.request.Request(
            self.base + "/add", data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}))

    def paste(self, text: str, **fields: str) -> tuple[int, dict, str]:
        form = {"csrf_token": self.token, "source": "paste", "kind": "md", "text": text, **fields}
        return self._open(urllib.request.Request(self.base + "/add", data=urllib.parse.urlencode(form).encode()))

    def _open(self, request) -> tuple[int, dict, str]:
        try:
            with self.opener.open(request, timeout=300) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def resident_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def stored_files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def zipped(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Duplicate name")  # a hostile zip may hold one name twice
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def patched(data: bytes, local_offset: int, central_offset: int, fmt: str, value: int) -> bytes:
    """`data` (a zip of one entry) with one field of its local header and central directory changed."""
    data = bytearray(data)
    local, central = data.index(b"PK\x03\x04"), data.index(b"PK\x01\x02")
    struct.pack_into(fmt, data, local + local_offset, value)
    struct.pack_into(fmt, data, central + central_offset, value)
    return bytes(data)


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    return folder


def alias_bomb(levels: int = 7) -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    names = "abcdefghij"
    lines += [f"{names[n]}: &{names[n]} [{', '.join([f'*{names[n - 1]}'] * 10)}]" for n in range(1, levels)]
    return "\n".join(lines)


def test_the_alias_bomb_is_refused_with_a_small_page_and_no_growth_of_the_servers_memory(library):
    bomb = alias_bomb()
    with running_server(library) as base:
        visitor = Visitor(base)
        visitor.upload([("warm.md", b"---\ntitle: [x\n---\nBody\n")])  # the error path's code loaded once
        before = resident_kib(base.pid)
        answers = [visitor.upload([("bomb.md", f"---\n{bomb}\ntitle: Bomb\ndate: *g\n---\nBody\n".encode())]),
                   visitor.upload([("key.md", f"---\n{bomb}\ntitle: Key\n? *g\n: x\n---\nBody\n".encode())]),
                   visitor.paste(f"---\n{bomb}\ntitle: Pasted\ndate: *g\n---\nBody\n")]
        growth = resident_kib(base.pid) - before
        library_page = visitor.get("/")[2]
    for status, _, page in answers:
        assert status == 422
        assert "line 2: the front matter uses the YAML anchor &#39;&amp;a&#39;" in page
        assert len(page) < 10_000
    assert stored_files(library) == [SAMPLE.name] and "Bomb" not in library_page
    print(f"\nalias bomb: 3 refusals, pages of {max(len(page) for _, _, page in answers)} bytes, "
          f"server memory {growth:+d} KiB")
    assert growth < 5 * 1024


def test_one_image_at_five_hundred_paths_is_refused_and_nothing_is_stored(library):
    text = "# One image\n\n" + "\n".join(f"![p](d{n}/p.png)" for n in range(500)) + "\n"
    with running_server(library) as base:
        status, _, page = Visitor(base).upload([("many.md", text.encode()), ("p.png", BOAT)])
    assert status == 422
    assert "the article uses the one image p.png at 500 paths (d0/p.png, d1/p.png, d2/p.png, …)" in page
    assert stored_files(library) == [SAMPLE.name]


def test_eight_zips_in_one_request_are_refused_before_they_are_unpacked(library):
    generator = random.Random(17)
    # 48 MiB (one zip is within the budget) that deflate about a hundredfold, like the report's 50 MiB.
    entry = bytearray(48 * MiB)
    for position in range(0, len(entry), 500):
        entry[position] = generator.randrange(256)
    archive = zipped([("notes.md", b"# Notes\n\nBody.\n"), ("big.bin", bytes(entry))], zipfile.ZIP_DEFLATED)
    del entry
    assert 100 < 48 * MiB / len(archive) < 200  # each zip on its own is within the zip-bomb ratio
    with running_server(library) as base:
        visitor = Visitor(base)
        visitor.upload([("warm.zip", zipped([("warm.md", b"# Warm\n")]))])
        before = resident_kib(base.pid)
        status, _, page = visitor.upload([(f"part{n}.zip", archive) for n in range(8)])
        growth = resident_kib(base.pid) - before
    assert status == 422
    assert "part1.zip: the upload unpacks to more than an article may hold (keep it under 50 MiB unpacked" in page
    assert stored_files(library) == [SAMPLE.name, "warm/warm.md"]
    print(f"\neight zips of {len(archive) // 1024} KiB ({8 * len(archive) // MiB} MiB sent, 384 MiB declared): "
          f"refused, server memory {growth:+d} KiB")
    assert growth < 40 * 1024  # what was sent, held while it is read; nothing unpacked


def raw_request(base: str, method: str, path: str, host: str, body: bytes = b"",
                headers: dict | None = None) -> tuple[int, dict, str]:
    """A request with the exact path and Host given (urllib would normalise them)."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host)
        for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_a_foreign_host_is_refused_and_redirects_are_relative(library):
    with running_server(library) as base:
        port = urlsplit(base).port
        visitor = Visitor(base)
        cookie = "; ".join(f"{c.name}={c.value}" for c in visitor.cookies)
        foreign = f"rebind.attacker.example:{port}"
        form = urllib.parse.urlencode({"csrf_token": visitor.token, "source": "paste", "kind": "txt",
                                       "replace": "on", "text": "Overwritten\n\nGone.\n",
                                       "name": SLUG}).encode()
        refused = [raw_request(base, "GET", "/", foreign), raw_request(base, "GET", "/add", foreign),
                   raw_request(base, "POST", "/add", foreign, form,
                               {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}),
                   raw_request(base, "GET", f"/articles/{SLUG}", foreign)]
        answered = [raw_request(base, "GET", "/", name) for name in (f"127.0.0.1:{port}", f"localhost:{port}")]
        redirect = raw_request(base, "GET", f"/articles/{SLUG}", f"localhost:{port}")
        with pytest.raises(ConnectionRefusedError):  # it listens on 127.0.0.1 only
            socket.create_connection(("127.0.0.2", port), timeout=5).close()
    for status, headers, page in refused:
        assert status == 400 and "Location" not in headers
        assert "This server does not answer to that name" in page and 'name="csrf_token"' not in page
    assert [status for status, _, _ in answered] == [200, 200]
    assert redirect[0] == 308 and redirect[1]["Location"] == f"/articles/{SLUG}/"
    assert (library / SAMPLE.name).read_bytes() == SAMPLE.read_bytes()


def test_serve_on_every_interface_asks_for_the_trusted_hosts(runner):
    from pressroom.cli import main

    result = runner.invoke(main, ["serve", "--host", "0.0.0.0"], env={"PRESSROOM_TRUSTED_HOSTS": ""})
    assert result.exit_code == 2 and "list them in PRESSROOM_TRUSTED_HOSTS" in result.output


def test_the_trusted_hosts_of_a_server():
    from pressroom.web.security import trusted_hosts

    assert trusted_hosts("127.0.0.1") == ["127.0.0.1", "localhost", "[::1]"]
    assert trusted_hosts("press.example.org") == ["press.example.org"]
    os.environ["PRESSROOM_TRUSTED_HOSTS"] = "press.example.org, 10.0.0.5"
    try:
        assert trusted_hosts("0.0.0.0") == ["press.example.org", "10.0.0.5"]
    finally:
        del os.environ["PRESSROOM_TRUSTED_HOSTS"]


@pytest.fixture
def library_with_a_slow_article(library):
    paragraph = "A sentence that goes on and on, to make a very long book indeed. " * 40
    (library / "endless.txt").write_text("An endless article\n\n" + "\n\n".join(
        f"{n}. Item {n}. {paragraph}" for n in range(1, 600)) + "\n", encoding="utf-8")
    return library


@pytest.mark.render  # slow: kept out of --quick
def test_pages_and_cached_editions_are_answered_while_the_export_limit_is_full(library_with_a_slow_article):
    with running_server(library_with_a_slow_article, PRESSROOM_EXPORT_SECONDS="40") as base:
        visitor = Visitor(base)
        first_check = visitor.get(f"/articles/{SLUG}/check/epub")
        html_a4 = visitor.get(f"/articles/{SLUG}/download/html?page_size=a4")
        with ThreadPoolExecutor(3) as pool:
            slow = [pool.submit(visitor.get, f"/articles/endless/download/pdf?page_size={size}")
                    for size in ("a4", "a5", "letter")]
            refused = next(future for future in _as_completed(slow))
            pages = [visitor.get("/"), visitor.get(f"/articles/{SLUG}/"), visitor.get("/add")]
            second_check = visitor.get(f"/articles/{SLUG}/check/epub")
            html_a5 = visitor.get(f"/articles/{SLUG}/download/html?page_size=a5")
            uncached = visitor.get(f"/articles/{SLUG}/download/epub?page_size=letter&page_list=on")
            running = sum(not future.done() for future in slow)
        finished = [future.result() for future in slow]
    status, headers, page = refused.result()
    assert status == 503 and headers["Retry-After"] == "30"
    assert "Pressroom is already making 2 editions or checks, as many as it makes at once" in page
    assert running == 2  # both slots were still taken when everything below was answered
    assert [answer[0] for answer in pages] == [200, 200, 200]
    assert first_check[0] == 200 and second_check[0] == 200 and second_check[2] == first_check[2]  # from the cache
    assert html_a4[0] == html_a5[0] == 200 and html_a5[2] == html_a4[2]  # page_size is not the HTML's: cached
    assert uncached[0] == 503  # anything that must be made waits for a slot
    assert sorted(answer[0] for answer in finished) == [422, 422, 503]


def _as_completed(futures):
    from concurrent.futures import as_completed

    return as_completed(futures, timeout=120)


@pytest.fixture
def library_with_post_and_its_images(tmp_path):
    folder = tmp_path / "content"
    (folder / "post" / "images").mkdir(parents=True)
    (folder / "post.md").write_text("# The old post\n\n![boat](post/images/boat.png)\n", encoding="utf-8")
    (folder / "post" / "images" / "boat.png").write_bytes(BOAT)
    return folder


def test_replace_of_an_article_beside_a_folder_of_its_name_stores_the_new_one(library_with_post_and_its_images):
    folder = library_with_post_and_its_images
    with running_server(folder) as base:
        visitor = Visitor(base)
        status, headers, _ = visitor.upload([("post.md", b"# The new post\n\nNew words.\n")], replace="on")
        page = visitor.get("/articles/post/")[2]
    assert status == 303 and headers["Location"] == "/articles/post/"
    assert stored_files(folder) == ["post/post.md"] and "New words." in page


def test_replace_that_fails_to_move_in_keeps_the_old_article(library_with_post_and_its_images, monkeypatch):
    folder = library_with_post_and_its_images
    before = {name: (folder / name).read_bytes() for name in stored_files(folder)}
    real_rename = os.rename

    def failing_rename(source, target):
        if Path(source).parent.name.startswith(".upload-"):  # the new article moving in
            raise OSError(28, "No space left on device")
        real_rename(source, target)

    monkeypatch.setattr(uploads.os, "rename", failing_rename)
    with pytest.raises(ContentError, match=r"post.md: the article could not be stored \(No space left on device\)"):
        Library(folder).add([UploadedFile("post.md", b"# The new post\n")], replace=True)
    assert {name: (folder / name).read_bytes() for name in stored_files(folder)} == before


def broken_uploads() -> dict[str, list[tuple[str, bytes]]]:
    """A corpus of uploads that must each get a page a person can act on, never a 500."""
    article = b"# Notes\n\n![boat](images/boat.png)\n"
    one = zipped([("notes.md", b"# Notes\n\nThe text of the notes, long enough to damage.\n")])
    data_at = one.index(b"The text")
    bad_crc = bytearray(one)
    bad_crc[data_at] ^= 0xFF
    link = zipfile.ZipInfo("notes/link.png")
    link.external_attr = 0o120777 << 16
    with_link = io.BytesIO()
    with zipfile.ZipFile(with_link, "w") as archive:
        archive.writestr("notes/notes.md", article)
        archive.writestr(link, "/etc/passwd")
    long_name = "n" * 300
    return {
        "bad CRC": [("notes.zip", bytes(bad_crc))],
        "unknown compression method": [("notes.zip", patched(one, 8, 10, "<H", 77))],
        "false small size": [("notes.zip", patched(one, 22, 24, "<I", 5))],
        "false large size": [("notes.zip", patched(one, 22, 24, "<I", 4_000_000_000))],
        "false compressed size": [("notes.zip", patched(one, 18, 20, "<I", 3))],
        "encrypted": [("notes.zip", patched(one, 6, 8, "<H", 1))],
        "truncated zip": [("notes.zip", one[: len(one) // 2])],
        "not a zip": [("notes.zip", b"plain text, not a zip")],
        "empty zip": [("notes.zip", zipped([]))],
        "300-character file name": [(f"{long_name}.md", b"# Long\n")],
        "300-character zip entry": [("notes.zip", zipped([("notes.md", article), (f"images/{long_name}.png", BOAT)]))],
        "a.png beside a.png/b.png in a zip": [("notes.zip", zipped([("notes.md", b"![a](a.png)\n"),
                                                                    ("a.png", BOAT), ("a.png/b.png", BOAT)]))],
        "a.png beside a.png/b.png as files": [("notes.md", b"# N\n\n![a](a.png) ![b](a.png/b.png)\n"),
                                              ("a.png", BOAT), ("a.png/b.png", BOAT)],
        "one name twice in a zip": [("notes.zip", zipped([("notes.md", article), ("images/boat.png", BOAT),
                                                           ("images/boat.png", b"other")]))],
        "a link in a zip": [("notes.zip", with_link.getvalue())],
        "a climbing name": [("notes.zip", zipped([("notes.md", article), ("../../boat.png", BOAT)]))],
        "an absolute name": [("/etc/notes.md", article)],
        "a folder named like the article": [("notes.zip", zipped([("notes.md", b"# N\n\n![x](notes.md/x.png)\n"),
                                                                   ("notes.md/x.png", BOAT)]))],
        "two articles": [("a.md", b"# A\n"), ("b.txt", b"B\n")],
        "an article of 3 MiB": [("big.md", b"# Big\n\n" + b"word " * (600 * 1024))],
        "a missing image": [("notes.md", article)],
    }


ACCEPTED_UPLOADS = {
    "macOS copies in a zip": [("notes.zip", zipped([("notes/notes.md", b"# Notes\n"), ("__MACOSX/notes/._notes.md", b"\0"),
                                                     ("notes/._notes.md", b"\0\5"), ("notes/.DS_Store", b"\0")]))],
    "Windows separators": [("notes.zip", zipped([("notes\\notes.md", b"# N\n\n![b](images/boat.png)\n"),
                                                  ("notes\\images\\boat.png", BOAT)]))],
}


def test_no_upload_in_a_corpus_of_broken_zips_and_names_is_a_500(library):
    corpus = broken_uploads()
    with running_server(library) as base:
        visitor = Visitor(base)
        answers = {case: visitor.upload(files) for case, files in corpus.items()}
        accepted = {case: visitor.upload(files) for case, files in ACCEPTED_UPLOADS.items()}
        pasted = visitor.paste("Yes/No: \x01a question\n\nBody.\n", kind="txt")
        named = visitor.paste("# T\n\nBody.\n", name="../../etc/passwd")
        boundary = "many-parts"
        parts = [(f'Content-Disposition: form-data; name="field{n}"', b"x") for n in range(1001)]
        too_many_parts = visitor.post_multipart(parts, boundary)
    wrong = {case: (status, page[-300:]) for case, (status, _, page) in answers.items()
             if status != 422 or 'class="form-error" role="alert"' not in page}
    assert wrong == {}
    for case, (status, _, page) in answers.items():
        message = re.search(r'role="alert" id="upload-error">([^<]+)<', page).group(1)
        assert "(" in message and len(message) < 400, case  # the problem and its fix, names cut short
    assert {case: status for case, (status, _, _) in accepted.items()} == {case: 303 for case in ACCEPTED_UPLOADS}
    assert stored_files(library / "notes") == ["notes.md"]
    assert pasted[0] == 303 and pasted[1]["Location"] == "/articles/yes-no-a-question/"
    assert named[0] == 303 and named[1]["Location"] == "/articles/etc-passwd/"
    status, _, page = too_many_parts
    assert status == 413 and "more than 1,000 parts" in page and "MiB" not in page


def test_concurrent_uploads_of_one_name_give_one_article_each_never_a_500_or_a_mix(library):
    with running_server(library) as base:
        visitors = [Visitor(base) for _ in range(6)]

        def add(number: int, replace: str = "") -> tuple[int, dict, str]:
            text = f"# Same name\n\nWritten by upload {number}.\n".encode()
            return visitors[number % 6].upload([("same.md", text)], **({"replace": "on"} if replace else {}))

        with ThreadPoolExecutor(6) as pool:
            added = list(pool.map(add, range(30)))
            replaced = list(pool.map(lambda number: add(100 + number, "on"), range(12)))
        pages = {answer[1]["Location"]: visitors[0].get(answer[1]["Location"])[2] for answer in added}
    assert [status for status, _, _ in added] == [303] * 30 and len(pages) == 30
    for page in pages.values():
        assert len(re.findall(r"Written by upload \d+\.", page)) == 1
    assert [status for status, _, _ in replaced] == [303] * 12
    survivor = (library / "same" / "same.md").read_text(encoding="utf-8")
    assert re.fullmatch(r"# Same name\n\nWritten by upload 1\d\d\.\n", survivor)
    assert not [path for path in library.iterdir() if path.name.startswith((".upload-", ".replaced-"))]


@pytest.fixture
def library_with_hostile_pages(library):
    (library / "broken.md").write_text("---\ntitle: [x\n---\nBody\n", encoding="utf-8")
    (library / "warned.md").write_text('---\ntitle: "Warned\\x01"\n---\n\n![far](https://example.org/x.png)\n',
                                       encoding="utf-8")
    return library


def test_no_page_shows_an_absolute_path_of_the_server(library_with_hostile_pages):
    folder = library_with_hostile_pages
    with running_server(folder, PRESSROOM_EXPORT_MEMORY_MB="64") as base:
        visitor = Visitor(base)
        answers = [visitor.get(path) for path in (
            "/", "/add", "/articles/warned/", "/articles/broken/", f"/articles/{SLUG}/download/pdf",
            "/articles/nope/", f"/articles/{SLUG}/files/../../etc/passwd")]
        answers.append(visitor.upload([("notes.md", b"---\ndate: 2024-02-30\n---\n")]))
        answers.append(visitor.paste("---\ntitle: [x\n---\n"))
    statuses = [status for status, _, _ in answers]
    assert statuses == [200, 200, 200, 422, 422, 404, 404, 422, 422]
    pages = "\n".join(page for _, _, page in answers)
    assert "broken.md, line 2: invalid YAML front matter" in pages
    assert "warned.md, line 2: 1 control character (such as U+0001) removed from &#39;title&#39;" in pages
    assert f"{SLUG}.txt: this article cannot be exported as PDF" in pages
    for absolute in {str(folder), str(folder.resolve()), str(Path(folder).parent), os.getcwd()}:
        assert absolute not in pages


def test_static_paths_are_normalised_before_they_are_checked(library):
    with running_server(library) as base:
        host = urlsplit(base).netloc
        answers = {path: raw_request(base, "GET", path, host)[0] for path in (
            "/static/web/../pdf/print.css", "/static/web/%2e%2e/pdf/print.css", "/static/web/./app.css",
            "/static/fonts/../../app.py", "/static/web/app.css")}
    assert answers == {"/static/web/../pdf/print.css": 404, "/static/web/%2e%2e/pdf/print.css": 404,
                       "/static/web/./app.css": 404, "/static/fonts/../../app.py": 404, "/static/web/app.css": 200}


def test_ebook_files_are_served_with_the_manifests_media_type(client):
    book = zipfile.ZipFile(io.BytesIO(client.get("/articles/field-notes/download/epub").data))
    manifest = book.read("EPUB/content.opf").decode()
    items = re.findall(r'<item [^>]*href="([^"]+)"[^>]*media-type="([^"]+)"', manifest)
    items += [(href, media) for media, href in re.findall(r'<item [^>]*media-type="([^"]+)"[^>]*href="([^"]+)"',
                                                          manifest)]
    assert any(media == "application/xhtml+xml" for _, media in items) and any(
        media.startswith("image/") for _, media in items)
    served = {href: client.get(f"/articles/field-notes/view/epub/{href}") for href, _ in items}
    for href, media_type in items:  # what the preview shows (not the NCX, say), as the manifest types it
        assert served[href].status_code == 404 or served[href].mimetype == media_type, href
    assert {media for href, media in items if served[href].status_code == 200} >= {"application/xhtml+xml",
                                                                                   "image/png"}


def test_an_articles_ids_are_prefixed_and_its_classes_limited_in_the_web_page(client, content_dir):
    (content_dir / "clobber.md").write_text(
        '# Clobber\n\n## Main\n\n<p id="csrf_token" class="download footnote">Token</p>\n\n'
        '<a id="app" class="download" href="#csrf_token">jump</a> [up](#main) and [outside](https://example.org/#x)\n',
        encoding="utf-8")
    page = client.get("/articles/clobber/").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert "csrf_token" not in ids and "app" not in ids and ids.count("main") == 1  # the page's own <main>
    assert 'id="article-csrf_token"' in page and 'href="#article-csrf_token"' in page
    assert 'id="article-main"' in page and 'href="#article-main"' in page
    assert 'href="https://example.org/#x"' in page
    # One download button per edition, nothing of the article's.
    assert page.count('class="download"') == page.count('data-format=') == len(load_exporters())
    assert '<p id="article-csrf_token" class="footnote">Token</p>' in page
