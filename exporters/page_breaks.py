"""Page-break markers in e-book chapters, where a print layout's pages begin (the EPUB page-list)."""

from __future__ import annotations

from lxml import etree

from .pagination import PageStart, page_anchor
from .xhtml import EPUB_NAMESPACE, XHTML_NAMESPACE


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


def _is_epub_note_reference(element) -> bool:
    return element.get("role") == "doc-noteref"


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
