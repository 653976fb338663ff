"""Binding an article into a book: its ids prefixed, its images moved under its chapter, its links to
the other bound articles made links inside the book."""

from __future__ import annotations

import dataclasses
import html as html_text
import re
from collections.abc import Callable, Mapping

from ..model import Article, Citation, Section

# In the readers' XHTML "<" and ">" are always escaped inside text and attribute values, so a start
# tag runs from "<" to the next ">".
_START_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_ID_REFERENCE = re.compile(r'\s(id|href|aria-labelledby|aria-describedby)="([^"]*)"')
_HREF = re.compile(r'\shref="([^"#][^"]*)"')


def prefix_ids(html: str, prefix: str) -> str:
    """`html` with every id, and every reference to one (`href="#id"`, ARIA's id lists), prefixed."""

    def prefix_reference(match: re.Match) -> str:
        name, value = match.group(1), match.group(2)
        if name == "href":
            return f' href="#{prefix}{value[1:]}"' if value.startswith("#") and len(value) > 1 else match.group()
        return f' {name}="{" ".join(prefix + token for token in value.split())}"'

    return in_start_tags(html, _ID_REFERENCE, prefix_reference)


def in_start_tags(html: str, pattern: re.Pattern, replace: Callable[[re.Match], str]) -> str:
    """`html` with `pattern` replaced inside its start tags only (never in its text)."""
    return _START_TAG.sub(lambda tag: pattern.sub(replace, tag.group()), html)


def with_prefixed_ids(article: Article, prefix: str) -> Article:
    """`article` with every id in it (its sections', notes', citations' and those its text gives) and
    every link to one prefixed with `prefix`."""
    sections = tuple(_bound_section(section, prefix, {}, lambda address: None) for section in article.sections)
    return dataclasses.replace(article, sections=sections)


def bind(article: Article, prefix: str, folder: str, link_target: Callable[[str], str | None]) -> Article:
    """`article` as a chapter: ids prefixed with `prefix`, images under `folder`/, and each link whose
    address `link_target` knows (another bound article) pointing at the id it returns instead."""
    images = {asset.href: f"{folder}/{asset.href}" for asset in article.assets}
    sections = tuple(_bound_section(section, prefix, images, link_target) for section in article.sections)
    assets = tuple(dataclasses.replace(asset, href=images[asset.href]) for asset in article.assets)
    return dataclasses.replace(article, sections=sections, assets=assets)


def _bound_section(section: Section, prefix: str, images: Mapping[str, str],
                   link_target: Callable[[str], str | None]) -> Section:
    internal: list[str] = []

    def adapt(html: str) -> str:
        html = prefix_ids(html, prefix)
        for old, new in images.items():
            html = html.replace(f'src="{_attribute(old)}"', f'src="{_attribute(new)}"')

        def to_chapter(match: re.Match) -> str:
            target = link_target(html_text.unescape(match.group(1)))
            if target is None:
                return match.group()
            internal.append(target)
            return f' href="#{_attribute(target)}"'

        return in_start_tags(html, _HREF, to_chapter)

    notes = {note.id: dataclasses.replace(note, id=prefix + note.id, html=adapt(note.html),
                                          inline_html=adapt(note.inline_html), ref_id=prefix + note.back_link_id)
             for note in section.footnotes}
    pieces, citations, offset = [], [], 0
    for passage, citation in section.passages():
        piece = adapt(passage)
        pieces.append(piece)
        offset += len(piece)
        if citation is not None:
            citations.append(Citation(offset, notes[citation.note.id], prefix + citation.ref_id, citation.first))
    images_shown = tuple(dataclasses.replace(image, href=images.get(image.href, image.href)) for image in section.images)
    links = tuple(dict.fromkeys([prefix + link for link in section.links] + internal))
    return dataclasses.replace(section, id=prefix + section.id, html="".join(pieces), citations=tuple(citations),
                               footnotes=tuple(notes[note.id] for note in section.footnotes),
                               images=images_shown, links=links)


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")

