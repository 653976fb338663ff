"""The HTML edition (one self-contained file) and the reading view the web preview shows."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from ..articles import Publication
from .base import Edition, EditionFile, Exporter
from .pagination import PageList
from .rendering import read_template_file, render
from .xhtml import ARTICLE_ID_PREFIX, edition_ids, image_addresses, limited_classes, prefixed_ids

SCREEN_STYLESHEET = "screen/article.css"


def render_reading_view(article: Publication, image_src: Callable[[str], str], in_page: bool = False) -> Markup:
    """The article's title block, contents and body as screen HTML; `image_src` maps asset hrefs to URLs.

    The article's own classes are limited to those the screen stylesheet styles, and its ids carry
    ARTICLE_ID_PREFIX as in every edition; `in_page`, for a page whose own ids the view must not
    shadow, every id of the view does (the contents' and the notes' too), once.
    """
    cover = article.metadata.cover
    fragment = limited_classes(screen_classes(), image_addresses(image_src))
    shown = article if in_page else edition_ids(article)
    view = render("article/reading.html.jinja", fragment=fragment, article=shown, sections=shown.sections,
                  heading_level=2, epub=False, cover_src=image_src(cover) if cover else None)
    return prefixed_ids(view, ARTICLE_ID_PREFIX) if in_page else Markup(view)


@lru_cache(maxsize=1)
def screen_classes() -> frozenset[str]:
    """The class names the screen stylesheet's selectors use."""
    selectors = re.findall(r"([^{}]*)\{", re.sub(r"/\*.*?\*/", "", read_template_file(SCREEN_STYLESHEET), flags=re.S))
    return frozenset(name for selector in selectors for name in re.findall(r"\.(-?[A-Za-z_][\w-]*)", selector))


class HtmlExporter(Exporter):
    name = "html"
    label = "HTML"
    media_type = "text/html; charset=utf-8"
    extension = "html"

    def export(self, article: Publication, settings: Mapping[str, Any], pages: PageList | None = None) -> Edition:
        images = {asset.href: _data_uri(asset.media_type, asset.read_bytes()) for asset in article.assets}
        document = render("html/article.html.jinja", article=article,
                          reading_view=render_reading_view(article, lambda href: images.get(href, "")),
                          stylesheet=Markup(read_template_file(SCREEN_STYLESHEET)))
        return Edition((EditionFile(f"{article.slug}.html", document.encode("utf-8"), self.media_type),))


def _data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
