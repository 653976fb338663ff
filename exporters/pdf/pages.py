"""Reading where each body page begins off WeasyPrint's laid-out boxes (the PDF's page list)."""

from __future__ import annotations

from weasyprint.formatting_structure import boxes

from ..pagination import PageStart


def page_starts(document, root) -> tuple[PageStart, ...]:
    """Read the page starts of the body pages off a laid-out WeasyPrint document of the tree `root`."""
    parents = {child: parent for parent in root.iter() for child in parent}

    starts: list[PageStart] = []
    number = 0
    tables_begun: set = set()  # tables laid out on an earlier page, whose header and foot repeat
    # Finding them walks every box of every page: a document without a table has none to find.
    has_tables = any(element.tag.rpartition("}")[2] == "table" for element in root.iter() if isinstance(element.tag, str))
    for page in document.pages:
        # WeasyPrint keeps the page's box tree on `_page_box`; pinned to 70.x in pyproject.
        page_box = page._page_box
        if page_box.page_type.name != "body":
            continue
        number += 1
        for box in page_box.descendants():
            if not isinstance(box, (boxes.TextBox, boxes.ReplacedBox)) or box.element is None:
                continue
            if _repeated_table_part(box.element, parents, tables_begun):
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
        if has_tables:
            tables_begun.update(box.element for box in page_box.descendants() if isinstance(box, boxes.TableBox))
    return tuple(starts)


def _repeated_table_part(element, parents, tables_begun: set) -> bool:
    """Whether `element` is in the header or foot of a table begun on an earlier page: a repeat, not
    where the page's text begins."""
    part = element
    while part is not None and part.tag.rpartition("}")[2] not in ("thead", "tfoot"):
        part = parents.get(part)
    if part is None:
        return False
    table = parents.get(part)
    return table in tables_begun


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
