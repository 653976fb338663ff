"""The XHTML the readers made, adapted to a medium without parsing it again: addresses by string."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping

from markupsafe import Markup

from ..articles import Article
from ..articles.books.binding import in_start_tags, prefix_ids, with_prefixed_ids

EPUB_NAMESPACE = "http://www.idpf.org/2007/ops"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
# Every id of an article's text (the author's own, its sections' and notes') begins with this in every
# edition and web page, so that an article's `id="app"` or `id="csrf_token"` is never an id a reading
# system's scripts or the page around it use.
ARTICLE_ID_PREFIX = "article-"


def attribute(value: str) -> str:
    """`value` escaped as the readers' XHTML writes an attribute value."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def links_to_files(file_of: Mapping[str, str]) -> Callable[..., Markup]:
    """A fragment filter: `#id` links to an id that lives in another file (by `file_of`, which holds
    each section's id) become `file#id` (the section records which ids its links name)."""

    def fragment(html: str, section) -> Markup:
        for target in section.links:
            if target in file_of and file_of[target] != file_of.get(section.id):
                html = html.replace(f'href="#{attribute(target)}"', f'href="{attribute(file_of[target])}#{attribute(target)}"')
        return Markup(html)

    return fragment


def ids_in(html: str) -> list[str]:
    """The ids the start tags of `html` give (as written: escaped as attribute values are)."""
    return [match.group(1) for tag in _START_TAG.findall(html) for match in _ID.finditer(tag)]


def image_addresses(address_of: Callable[[str], str]) -> Callable[..., Markup]:
    """A fragment filter: each image the section records gets the address the medium serves it at."""

    def fragment(html: str, section) -> Markup:
        for image in section.images:
            html = html.replace(f'src="{attribute(image.href)}"', f'src="{attribute(address_of(image.href))}"')
        return Markup(html)

    return fragment


def limited_classes(allowed: Collection[str], then: Callable[..., Markup]) -> Callable[..., Markup]:
    """A fragment filter: `then`, and each class attribute keeps only the `allowed` class names (an
    article's `class="download"` must not become one of the page's own controls)."""

    def keep(match: re.Match) -> str:
        kept = " ".join(name for name in match.group(2).split() if name in allowed)
        return f'{match.group(1)}{kept}"' if kept else ""

    def fragment(html: str, section) -> Markup:
        return Markup(in_start_tags(then(html, section), _CLASS, keep))

    return fragment


def edition_ids(publication):
    """`publication` with the ids its editions give it: an article's prefixed with ARTICLE_ID_PREFIX
    (a book's chapters already carry prefixes of their own, `c2-`)."""
    return with_prefixed_ids(publication, ARTICLE_ID_PREFIX) if isinstance(publication, Article) else publication


def prefixed_ids(html: str, prefix: str) -> Markup:
    """`html` with every id, and every reference to one (`href="#id"`, ARIA's id lists), prefixed."""
    return Markup(prefix_ids(html, prefix))


_CLASS = re.compile(r'(\sclass=")([^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"')
_START_TAG = re.compile(r"<[A-Za-z][^<>]*>")
