"""Page-break markers in e-book chapters, where a print layout's pages begin (the EPUB page-list)."""

from __future__ import annotations

from lxml import etree

from .pagination import PageStart, page_anchor
from .xhtml import EPUB_NAMESPACE, XHTML_NAMESPACE


def insert_page_breaks(chapter: bytes, starts: list[PageStart]) -> bytes:
    """The chapter XHTML with a page-break marker where each of `starts` begins."""
    root = etree.fromstring(chapter)
    blocks: dict[str, list] = {}  # counted before any marker joins them
    for start in starts:
        if start.section_id not in blocks:
            section = root.find(f".//{{{XHTML_NAMESPACE}}}section[@id='{start.section_id}']")
            blocks[start.section_id] = [child for child in section if isinstance(child.tag, str)]
        block = blocks[start.section_id][start.block]
        marker = etree.Element(f"{{{XHTML_NAMESPACE}}}span", {
            f"{{{EPUB_NAMESPACE}}}type": "pagebreak", "role": "doc-pagebreak",
            "id": page_anchor(start.label), "aria-label": f"Page {start.label}"})
        _insert_at(block, start.offset, marker)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


# Elements that hold no text of their own (only rows, cells, items, terms, columns; or nothing):
# a marker directly inside one is invalid, and in a table row it would shift the cells.
_NO_PHRASING = {"table", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "ul", "ol", "dl",
                "figure", "img", "br", "hr"}
# A marker inside a heading would join its name ("Page 3 The tides"): it goes before the heading.
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _is_epub_note_reference(element) -> bool:
    return element.get("role") == "doc-noteref"


def _insert_at(block, offset: int, marker) -> None:
    """Put `marker` `offset` characters into the text of `block` (note references not counted), where
    the content model lets a span stand: at that point if it is text in an element that holds text
    (a paragraph, a cell, a list item...); else at the start of the next such text in the block
    (the cell or item the page begins with); else before the block."""
    if offset == 0 or _local_name(block) in _HEADINGS:  # not part of a heading's or a figure's name
        block.addprevious(marker)
        return
    position = 0
    for node, attribute in _text_slots(block):
        text = getattr(node, attribute) or ""
        start, position = position, position + len(text)
        if position <= offset or not _may_hold_text(node, attribute):
            continue
        if start > offset and not text.strip():
            continue  # past the point where the page begins: wait for text a reader sees
        heading = _heading_around(node if attribute == "text" else node.getparent(), block)
        if heading is not None:
            heading.addprevious(marker)
            return
        cut = max(offset - start, 0)
        before, after = text[:cut], text[cut:]
        if attribute == "text":
            node.text = before
            node.insert(0, marker)
        else:
            node.tail = before
            node.addnext(marker)
        marker.tail = after
        return
    block.addprevious(marker)


def _may_hold_text(node, attribute: str) -> bool:
    """Whether a span may stand in this stretch of text: its element holds text (phrasing content)."""
    container = node if attribute == "text" else node.getparent()
    name = _local_name(container)
    if name in _NO_PHRASING:
        return False
    parent = container.getparent()
    return not (name == "div" and parent is not None and _local_name(parent) == "dl")  # a dl's group


def _heading_around(element, block):
    """The heading `element` is in (or is), up to `block`, if any."""
    while element is not None:
        if _local_name(element) in _HEADINGS:
            return element
        if element is block:
            return None
        element = element.getparent()
    return None


def _local_name(element) -> str:
    return etree.QName(element).localname


def _text_slots(element):
    """(node, "text" or "tail") for each stretch of text in document order, note references skipped."""
    if _is_epub_note_reference(element):
        return
    yield element, "text"
    for child in element:
        if isinstance(child.tag, str):
            yield from _text_slots(child)
        yield child, "tail"
