"""Pages added by address, attacked: a site trickling its answers holds no more than the import slots
of the server, and a page of many large images brings no more than an upload may hold."""

from __future__ import annotations

import io
import os
import re
import socket
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from pressroom.app import create_app
from pressroom.articles.library.archives import MAX_UNPACKED_BYTES
from pressroom.articles.webimport.images import MAX_PAGE_IMAGES, ImageDropped, WebImages
from server import free_port, running_server
from test_attacks import Visitor
from test_fetch_guard import drip_server
from test_web_add import token
from web_pages import PARAGRAPHS, data_uri, page, png

MiB = 1024 * 1024
IMPORT_SLOTS = 2  # the app's default


class AddressVisitor(Visitor):
    """A browser that adds pages by their address."""

    def add_address(self, url: str) -> tuple[int, dict, str]:
        form = {"csrf_token": self.token, "source": "address", "url": url}
        return self._open(urllib.request.Request(self.base + "/add", data=urllib.parse.urlencode(form).encode()))


def test_four_imports_held_by_a_trickling_site_never_stop_the_library_from_answering(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    with drip_server("headers") as drip, running_server(content, ("--allow-host", "127.0.0.3"),
                                                        PRESSROOM_FETCH_SECONDS="8") as base:
        visitors = [AddressVisitor(base) for _ in range(4)]
        with ThreadPoolExecutor(max_workers=4) as pool:
            imports = [pool.submit(visitor.add_address, f"http://127.0.0.3:{drip.port}/story.html")
                       for visitor in visitors]
            waited = time.monotonic() + 30
            while drip.received < IMPORT_SLOTS and time.monotonic() < waited:
                time.sleep(0.05)
            with urllib.request.urlopen(base + "/", timeout=60) as library:
                status = library.status
            held = drip.open  # the imports still waiting for their headers when the library answered
            answers = sorted((answer.result() for answer in imports), key=lambda answer: answer[0])
    assert status == 200 and held == IMPORT_SLOTS
    assert drip.received == IMPORT_SLOTS
    for code, headers, text in answers[IMPORT_SLOTS:]:
        assert code == 503 and headers["Retry-After"] == "30"
        assert f"already fetching {IMPORT_SLOTS} pages" in text
    for code, _, text in answers[:IMPORT_SLOTS]:
        assert code == 422
        assert "took more than 8 s to send it, the limit of one fetch (PRESSROOM_FETCH_SECONDS)" in text
    assert list(content.iterdir()) == []


class ImageSite(BaseHTTPRequestHandler):
    """A page of `count` images, each the same `image` at its own address, with or without a
    Content-Length; it counts the bytes of images it wrote."""

    image = b""
    count = 40
    declared = True
    sent = 0
    lock = threading.Lock()

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        if self.path == "/story.html":
            figures = "\n".join(f'<figure><img src="/img/{n}.png" alt="Plate {n}"><figcaption>Plate {n}.'
                                f'</figcaption></figure><p>{PARAGRAPHS[n % 3]}</p>' for n in range(1, self.count + 1))
            body = page(f"<p>{PARAGRAPHS[0]}</p>\n{figures}").encode()
        elif re.fullmatch(r"/img/\d+\.png", self.path):
            body = self.image
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if self.path.endswith(".html") else "image/png")
        if self.declared or self.path.endswith(".html"):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for start in range(0, len(body), 64 * 1024):
            try:
                self.wfile.write(body[start:start + 64 * 1024])
            except OSError:
                return  # the client stopped reading: what the test wants
            if self.path.endswith(".png"):
                with self.lock:
                    ImageSite.sent += min(64 * 1024, len(body) - start)

    def log_message(self, *args):
        pass


@contextmanager
def image_site(declared: bool):
    ImageSite.declared, ImageSite.sent = declared, 0
    if not ImageSite.image:
        side = 2365  # 2365 × 2365 RGB, stored uncompressed: 16 MiB
        buffer = io.BytesIO()
        Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG", compress_level=0)
        ImageSite.image = buffer.getvalue()
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), ImageSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def bytes_received_by_this_thread():
    """Count the bytes this thread receives from any socket (the Flask test client imports in it)."""
    counted = [0]
    thread = threading.get_ident()
    receive = socket.socket.recv_into

    def counting(sock, buffer, *args):
        size = receive(sock, buffer, *args)
        if threading.get_ident() == thread:
            counted[0] += size
        return size

    socket.socket.recv_into = counting
    try:
        yield counted
    finally:
        socket.socket.recv_into = receive


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "read-to-close"])
def test_a_page_of_forty_sixteen_megabyte_images_brings_no_more_than_an_upload_may_hold(declared, content_dir):
    app = create_app({"CONTENT_DIR": str(content_dir), "TESTING": True, "SECRET_KEY": "test",
                      "ALLOWED_FETCH_HOSTS": ["127.0.0.1"]})
    client = app.test_client()
    with image_site(declared) as base, bytes_received_by_this_thread() as received:
        response = client.post("/add", data={"csrf_token": token(client), "source": "address",
                                             "url": f"{base}/story.html"})
        notice = client.get(response.headers["Location"]).get_data(as_text=True)
    assert response.status_code == 303
    kept = MAX_UNPACKED_BYTES // len(ImageSite.image)  # 3
    assert received[0] <= MAX_UNPACKED_BYTES + MiB
    assert ImageSite.sent <= MAX_UNPACKED_BYTES + 16 * MiB  # what socket buffers took besides (40 images: 640 MiB)
    stored = content_dir / response.headers["Location"].strip("/").rpartition("/")[2]
    images = sorted((stored / f"{stored.name}-images").iterdir())
    assert len(images) == kept and all(path.read_bytes() == ImageSite.image for path in images)
    assert sum(path.stat().st_size for path in stored.rglob("*") if path.is_file()) <= MAX_UNPACKED_BYTES + MiB
    dropped = f"{40 - kept} images (&#39;/img/{kept + 1}.png&#39;, &#39;/img/{kept + 2}.png&#39;"
    assert dropped in notice
    assert "dropped: the page&#39;s images pass 50 MiB, as much as Pressroom takes from one page" in notice


def test_images_past_the_hundredth_address_are_dropped_unread(tmp_path):
    images = WebImages(tmp_path / "a.html", tmp_path, None)
    distinct = [data_uri(png(10 + n, 10)) for n in range(MAX_PAGE_IMAGES + 5)]
    for address in distinct[:MAX_PAGE_IMAGES]:
        images.load(address, None)
    read = images.bytes_read
    for address in distinct[MAX_PAGE_IMAGES:]:
        with pytest.raises(ImageDropped, match=f"the page has more than {MAX_PAGE_IMAGES} images"):
            images.load(address, None)
    assert images.bytes_read == read

