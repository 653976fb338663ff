"""Web pages of our own for the import tests: an article inside navigation, ads and scripts, and its images."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image

PARAGRAPHS = (
    "The lamps along the east quay were lit again on Tuesday, after a winter in the dark. Fishermen said "
    "they had missed them more than they expected to, and stood about in the cold to watch.",
    "Storms in January tore the cables loose, and the council waited for spring before it sent anyone out "
    "to repair them. The harbour master kept a list of every night the quay stood unlit.",
    "Repairs took three weeks and cost less than anyone had feared; the old iron posts were sound, and only "
    "the wiring had to be replaced from the square to the end of the breakwater.",
)


def png(width: int = 60, height: int = 40, colour=(200, 160, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def data_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def page(body: str, head: str = "", lang: str = "en-GB") -> str:
    """A whole page: `head` and the article `body` among the things extraction leaves out."""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Harbour Lights | The Coastal Gazette</title>
<meta property="og:site_name" content="The Coastal Gazette">
<meta property="og:description" content="The quay's lamps are back after a dark winter.">
<meta name="author" content="Mara Quayle">
<meta property="article:published_time" content="2024-05-02T08:00:00Z">
<link rel="canonical" href="https://gazette.example/news/harbour-lights">
{head}
<script>document.cookie = "tracked=1";</script><style>body {{ color: red }}</style>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<article><h1>Harbour Lights</h1>
{body}
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Tides turn</a></li><li><a href="/b">Gulls</a></li></ul></aside>
<footer>© The Coastal Gazette</footer></body></html>"""


def article_body(image: str = "") -> str:
    """The article: paragraphs, a link, a figure `image` (an `<img>`), a section, a list and a quote."""
    first, second, third = PARAGRAPHS
    return f"""<p>{first} <a href="/quay">See the quay</a>.</p>
{image}
<h2>A long winter</h2>
<p>{second}</p>
<ul><li>Cables replaced</li><li>Posts painted</li></ul>
<blockquote><p>We are glad of the light again, said the harbour master.</p></blockquote>
<p>{third}</p>"""


def figure(src: str, alt: str = "A lamp on the quay", caption: str = "The first lamp, relit.") -> str:
    return f'<figure><img src="{src}" alt="{alt}"><figcaption>{caption}</figcaption></figure>'


def saved_complete(folder: Path, name: str = "harbour") -> Path:
    """A page saved "Web page, complete": NAME.html and its NAME_files/ folder."""
    files = folder / f"{name}_files"
    files.mkdir(parents=True)
    (files / "lamp.png").write_bytes(png())
    path = folder / f"{name}.html"
    path.write_text(page(article_body(figure(f"{name}_files/lamp.png"))), encoding="utf-8")
    return path
