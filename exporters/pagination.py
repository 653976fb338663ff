"""Where the print edition's pages begin, so the e-book can mark the same places (its page-list)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from lxml import etree

from .xhtml import EPUB_NAMESPACE

XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class PageStart:
    """Printed page `label` begins in section `section_id`, in its `block`-th child element,
    `offset` characters into that block's text (notes left out), at the start of a word."""

    label: str
    section_id: str
    block: int
    offset: int


def page_starts(document, root) -> tuple[PageStart, ...]:
    """Read the page starts of the body pages off a laid-out WeasyPrint document of the tree `root`."""
    from weasyprint.formatting_structure import boxes

    parents = {child: parent for parent in root.iter() for child in parent}

    starts: list[PageStart] = []
    number = 0
    for page in document.pages:
        # WeasyPrint keeps the page's box tree on `_page_box`; pinned to 70.x in pyproject.
        page_box = page._page_box
        if page_box.page_type.name != "body":
            continue
        number += 1
        for box in page_box.descendants():
            if not isinstance(box, (boxes.TextBox, boxes.ReplacedBox)) or box.element is None:
                continue
            located = _locate(box.element, parents)
            if located is None:
                continue
            section, block = located
            text = block_text(block, skip=_is_print_note)
            offset = 0
            if isinstance(box, boxes.TextBox):
                if not box.text.strip():
                    continue
                previous = starts[-1].offset if starts and starts[-1].section_id == section.get("id") else 0
                # The line may end in a hyphen the layout added; the text does not have it.
                found = text.find(box.text.strip().rstrip("\u2010\u00ad-"), previous)
                offset = _word_start(text, found if found >= 0 else 0)
            starts.append(PageStart(str(number), section.get("id"), list(section).index(block), offset))
            break
    return tuple(starts)


def insert_page_breaks(chapter: bytes, starts: list[PageStart]) -> bytes:
    """The chapter XHTML with a page-break marker where each of `starts` begins."""
    root = etree.fromstring(chapter)
    for start in starts:
        section = root.find(f".//{{{XHTML_NAMESPACE}}}section[@id='{start.section_id}']")
        block = [child for child in section if isinstance(child.tag, str)][start.block]
        marker = etree.Element(f"{{{XHTML_NAMESPACE}}}span", {
            f"{{{EPUB_NAMESPACE}}}type": "pagebreak", "role": "doc-pagebreak",
            "id": page_anchor(start.label), "aria-label": f"Page {start.label}"})
        _insert_at(block, start.offset, marker)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


class PageStartCache:
    """The page starts of recent print layouts, so that making the e-book never lays out twice."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._entries: OrderedDict[tuple, tuple[PageStart, ...]] = OrderedDict()

    def get(self, key: tuple) -> tuple[PageStart, ...] | None:
        if key in self._entries:
            self._entries.move_to_end(key)
        return self._entries.get(key)

    def entries_for(self, digest: str) -> list[tuple[tuple, tuple[PageStart, ...]]]:
        """The remembered layouts of one article (keys start with its digest)."""
        return [(key, starts) for key, starts in self._entries.items() if key[0] == digest]

    def clear(self) -> None:
        self._entries.clear()

    def put(self, key: tuple, starts: tuple[PageStart, ...]) -> None:
        self._entries[key] = starts
        self._entries.move_to_end(key)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)


LAYOUTS = PageStartCache()


def page_anchor(label: str) -> str:
    return f"page-{label}"


def block_text(element, skip) -> str:
    """The text of `element`, without the subtrees `skip` selects."""
    parts: list[str] = []

    def walk(node) -> None:
        if skip(node):
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    return "".join(parts)


def _is_print_note(element) -> bool:
    return "footnote-body" in (element.get("class") or "").split()


def _is_epub_note_reference(element) -> bool:
    return element.get("role") == "doc-noteref"


def _locate(element, parents):
    """(section element, its child holding `element`) for an element of the article's text, else None."""
    child = element
    parent = parents.get(element)
    if _is_print_note(element):
        return None
    while parent is not None:
        if _is_print_note(parent):
            return None  # a footnote is laid out at the foot of the page, not where its page begins
        if parent.tag.rpartition("}")[2] == "section" and "section" in (parent.get("class") or "").split():
            return parent, child
        child, parent = parent, parents.get(parent)
    return None


def _word_start(text: str, offset: int) -> int:
    while offset > 0 and not text[offset - 1].isspace():
        offset -= 1
    return offset


def _insert_at(block, offset: int, marker) -> None:
    """Put `marker` `offset` characters into the text of `block` (note references not counted)."""
    if offset == 0:  # before the block, so that it is not part of a heading's or a figure's name
        block.addprevious(marker)
        return
    remaining = offset
    for node, attribute in _text_slots(block):
        text = getattr(node, attribute) or ""
        if remaining <= len(text):
            before, after = text[:remaining], text[remaining:]
            if attribute == "text":
                node.text = before
                node.insert(0, marker)
            else:
                node.tail = before
                node.addnext(marker)
            marker.tail = after
            return
        remaining -= len(text)
    block.append(marker)


def _text_slots(element):
    """(node, "text" or "tail") for each stretch of text in document order, note references skipped."""
    if _is_epub_note_reference(element):
        return
    yield element, "text"
    for child in element:
        if isinstance(child.tag, str):
            yield from _text_slots(child)
        yield child, "tail"
