"""Peak memory of adding a web page of many large images by its address (the web form's import), in a
child process, against the same page without images: what the import's image budget holds.

Serves the page on a free loopback port. Usage: .venv/bin/python -P bench/import_budget.py [--images N] [--mib M]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MiB = 1024 * 1024
TEXT = ("The lamps along the east quay were lit again on Tuesday, after a winter in the dark. Fishermen said they "
        "had missed them more than they expected to, and stood about in the cold to watch them come on. ") * 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=40)
    parser.add_argument("--mib", type=int, default=16, help="size of each image")
    parser.add_argument("--child", nargs=2, metavar=("URL", "CONTENT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    Site.image = png_of(args.mib * MiB)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        plain = imported(f"{base}/page/0.html")
        Site.sent = 0
        heavy = imported(f"{base}/page/{args.images}.html")
    finally:
        server.shutdown()
    print(f"add by address, a page of {args.images} images of {args.mib} MiB: peak RSS {heavy['peak_mib']:.0f} MiB "
          f"(the same page without images: {plain['peak_mib']:.0f} MiB); the site sent {Site.sent / MiB:.0f} MiB "
          f"of images (socket buffers included), Pressroom stored {heavy['stored_mib']:.0f} MiB, {heavy['images']} images kept; "
          f"{heavy['seconds']:.1f} s")
    for notice in heavy["notices"]:
        print(f"  notice: {notice[:160]}")


def imported(url: str) -> dict:
    """What the child process that imported `url` reports."""
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-import-") as content:
        answer = subprocess.run([sys.executable, "-P", __file__, "--child", url, content], check=True,
                                capture_output=True, text=True)
    return json.loads(answer.stdout)


def child(url: str, content: str) -> None:
    """Import `url` into the library at `content` as the web form does; report peak RSS and what was stored."""
    from pressroom.articles import Library
    from pressroom.articles.webimport.fetching import Fetcher

    started = time.perf_counter()
    article = Library(content).add_address(url, Fetcher(["127.0.0.1"], on_server=True))
    seconds = time.perf_counter() - started
    stored = [path for path in Path(content).rglob("*") if path.is_file()]
    print(json.dumps({
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "stored_mib": sum(path.stat().st_size for path in stored) / MiB,
        "images": sum(1 for path in stored if path.parent.name.endswith("-images")),
        "notices": list(article.warnings), "seconds": seconds}))


class Site(BaseHTTPRequestHandler):
    """/page/N.html: an article with N figures; /img/K.png: the same image at every address."""

    image = b""
    sent = 0

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        page = re.fullmatch(r"/page/(\d+)\.html", self.path)
        if page:
            figures = "".join(f'<figure><img src="/img/{n}.png" alt="Plate {n}"><figcaption>Plate {n}.</figcaption>'
                              f"</figure><p>{TEXT}</p>" for n in range(1, int(page.group(1)) + 1))
            body = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Harbour Lights</title></head>"
                    f"<body><article><h1>Harbour Lights</h1><p>{TEXT}</p>{figures}<p>{TEXT}</p></article></body>"
                    "</html>").encode()
        elif re.fullmatch(r"/img/\d+\.png", self.path):
            body = self.image
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if page else "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for start in range(0, len(body), 64 * 1024):
            try:
                self.wfile.write(body[start:start + 64 * 1024])
            except OSError:
                return
            if not page:
                Site.sent += min(64 * 1024, len(body) - start)

    def log_message(self, *args):
        pass


def png_of(size: int) -> bytes:
    """A PNG of random pixels, stored uncompressed, of about `size` bytes."""
    from PIL import Image

    side = int((size / 3) ** 0.5)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


if __name__ == "__main__":
    main()
