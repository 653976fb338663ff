"""The HTML edition (one self-contained file) and the reading view the web preview shows."""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup

from ..articles import Article
from .base import Edition, EditionFile, Exporter
from .pagination import PageList
from .rendering import read_template_file, render
from .xhtml import image_addresses



def render_reading_view(article: Article, image_src: Callable[[str], str]) -> Markup:
    """The article's title block, contents and body as screen HTML; `image_src` maps asset hrefs to URLs."""

    cover = article.metadata.cover
    return Markup(render("article/reading.html.jinja", fragment=image_addresses(image_src), article=article,
                         sections=article.sections, heading_level=2, epub=False,
                         cover_src=image_src(cover) if cover else None))


class HtmlExporter(Exporter):
    name = "html"
    label = "HTML"
    media_type = "text/html; charset=utf-8"
    extension = "html"

    def export(self, article: Article, settings: Mapping[str, Any], pages: PageList | None = None) -> Edition:
        images = {asset.href: _data_uri(asset.media_type, asset.read_bytes()) for asset in article.assets}
        document = render("html/article.html.jinja", article=article,
                          reading_view=render_reading_view(article, lambda href: images.get(href, "")),
                          stylesheet=Markup(read_template_file("screen/article.css")))
        return Edition((EditionFile(f"{article.slug}.html", document.encode("utf-8"), self.media_type),))


def _data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
