"""A news site of our own on 127.0.0.1 for the periodical tests: an RSS 2.0 feed and an Atom feed,
each item's page with an image, and feeds that fail or attack."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from server import free_port
from web_pages import PARAGRAPHS, png

AUTHORS = ("Mara Quayle", "Tom Reeve", "Ines Ferreira", "Olu Adebayo", "Sven Holm", "Ada Byrne")


def story_page(number: int, title: str, author: str) -> bytes:
    """An article page with its own image, byline and date."""
    first, second, third = PARAGRAPHS
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="author" content="{author}"><meta property="article:published_time" content="2026-12-0{number % 5 + 1}T07:00:00Z">
</head><body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>
<p>Story {number}. {first}</p>
<figure><img src="/images/{number}.png" alt="Picture {number} of the quay"><figcaption>The quay, picture {number}.</figcaption></figure>
<p>{second}</p><p>{third}</p></article><footer>The Gazette</footer></body></html>""".encode()


def rss(base: str, numbers: list[int]) -> bytes:
    items = "".join(f"""<item><title>Harbour story {n}</title><link>{base}/news/{n}</link><guid>{base}/news/{n}</guid>
<author>desk@gazette.example ({AUTHORS[n % 6]})</author><category>Harbour</category>
<pubDate>Tue, 0{n % 5 + 1} Dec 2026 07:00:00 GMT</pubDate><description>Summary of story {n}. {escape(PARAGRAPHS[0])}</description></item>"""
                    for n in numbers)
    return f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>The Gazette</title>
<link>{base}/</link><description>News</description>{items}</channel></rss>""".encode()


def atom(base: str, numbers: list[int]) -> bytes:
    entries = "".join(f"""<entry><title>Fishing report {n}</title><id>urn:fishing:{n}</id>
<link rel="alternate" href="{base}/news/{n}"/><author><name>{AUTHORS[n % 6]}</name></author>
<category term="Fishing"/><updated>2026-12-0{n % 5 + 1}T07:00:00Z</updated>
<summary>Summary of report {n}. {escape(PARAGRAPHS[1])}</summary></entry>""" for n in numbers)
    return f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Fishing Weekly</title><id>urn:fishing</id><updated>2026-12-06T07:00:00Z</updated>{entries}</feed>""".encode()


class NewsSite(BaseHTTPRequestHandler):
    """Answers from `routes` (path: (status, media type, bytes or a function giving them)); counts requests."""

    routes: dict = {}
    seen: list = []

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        self.seen.append(self.path)
        status, media_type, body = self.routes.get(self.path, (404, "text/plain", b"not here"))
        if callable(body):
            body = body()
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments) -> None:
        pass


def news_routes(base: str, rss_items: list[int], atom_items: list[int]) -> dict:
    """The two feeds with the given items, and the page and image of every story 1-20."""
    routes = {"/rss.xml": (200, "application/rss+xml", lambda: rss(base, rss_items)),
              "/atom.xml": (200, "application/atom+xml", lambda: atom(base, atom_items))}
    for n in range(1, 21):
        title = f"Harbour story {n}" if n < 10 else f"Fishing report {n}"
        routes[f"/news/{n}"] = (200, "text/html", story_page(n, title, AUTHORS[n % 6]))
        routes[f"/images/{n}.png"] = (200, "image/png", png(120, 80, (20 * (n % 10), 120, 200)))
    return routes


@contextmanager
def news_site():
    """The base URL of the site; set `NewsSite.routes` (see news_routes) to say what it answers."""
    NewsSite.routes, NewsSite.seen = {}, []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), NewsSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
