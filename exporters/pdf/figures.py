"""Deferring a figure that would leave its page part empty, as a book designer places figures.

A figure is not split across pages, and a heading stays with what follows it, so a heading and a tall
figure near the foot of a page move to the next page together and can leave much of the page empty.
WeasyPrint 70 has no page floats; where that happened and the text after the figure could fill the
page, the layout is made again with the figure set after the next paragraph: the text continues on the
page and the figure opens the next one, its caption and alt text with it. Only the HTML laid out for
print changes; the article and its other editions keep the figure where the author put it."""

from __future__ import annotations

# A page before a deferred figure may keep this much of its text area empty (as a fraction of it).
MOST_EMPTY = 1 / 3
# Each pass moves each figure past one more block; a few fill any page a figure left.
MAX_PASSES = 6
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# What a figure may be set after: running text, never a heading, table or another figure.
TEXT_BLOCKS = frozenset({"p", "ul", "ol", "dl", "blockquote"})
# Where text flows on from page to page; anything else begins after a forced page break.
FLOWS = ("chapter", "back-matter", "body-matter")


def fill_pages_before_figures(lay_out, root):
    """The document `lay_out()` makes from the HTML tree `root`, with each figure that left more than
    a third of the page before it empty moved after the text that follows it, where that text can
    fill the page."""
    document = lay_out()
    # Finding the pages a figure left empty walks every box of every page: without a figure, none did.
    if not any(_tag(element) == "figure" for element in root.iter()):
        return document
    parents = {child: parent for parent in root.iter() for child in parent}
    for _ in range(MAX_PASSES):
        deferred = [figure for figure in figures_after_empty_space(document, parents)
                    if _set_after_next_block(figure, parents)]
        if not deferred:
            break
        document = lay_out()
    return document


def figures_after_empty_space(document, parents) -> list:
    """The figures (elements) opening a page, alone or after their heading, whose previous page, in
    the same flow of text, has more than a third of its text area empty."""
    figures = []
    pages = [_page_content(page._page_box, parents) for page in document.pages]
    for (_, last, empty, height), (first, _, _, _) in zip(pages, pages[1:]):
        figure = _opening_figure(first)
        if (figure is not None and last is not None and empty > height * MOST_EMPTY
                and _flow(last, parents) is _flow(figure, parents) is not None
                and "break-before" not in (figure.get("style") or "")):
            figures.append(figure)
    return figures


def _page_content(page_box, parents):
    """The blocks (elements) whose text or images the page holds, in order; the last of them; and the
    empty height at the foot of the page's text area, and that area's height."""
    blocks: list = []
    bottom = None
    # WeasyPrint keeps each page's boxes on `_page_box` (pinned to 70.x in pyproject); its first child
    # is the page's root box, and its footnote area is among the others.
    for box in page_box.children[0].descendants():
        kind = type(box).__name__
        if kind == "LineBox" or "Replaced" in kind:
            block = _block(box.element, parents)
            if block is not None and (not blocks or blocks[-1] is not block):
                blocks.append(block)
            end = box.position_y + box.margin_height()
            bottom = end if bottom is None else max(bottom, end)
    area_top = page_box.content_box_y()
    area_bottom = area_top + page_box.height
    for child in page_box.children[1:]:
        if type(child).__name__ == "FootnoteAreaBox" and child.children:
            area_bottom = min(area_bottom, child.position_y)
    empty = area_bottom - (area_top if bottom is None else bottom)
    return blocks, blocks[-1] if blocks else None, empty, page_box.height


def _opening_figure(blocks):
    """The figure that opens a page whose blocks are `blocks`, alone or after its own heading."""
    opening = blocks[:2]
    if opening and _tag(opening[0]) == "figure":
        return opening[0]
    if len(opening) == 2 and _tag(opening[0]) in HEADINGS and _tag(opening[1]) == "figure":
        return opening[1]
    return None


def _set_after_next_block(figure, parents) -> bool:
    """Move `figure` after the block of text that follows it, if one does; whether it moved."""
    parent = parents.get(figure)
    if parent is None:
        return False
    siblings = list(parent)
    index = siblings.index(figure)
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    # Only elements separated by white space are moved, so no text between them changes place.
    if following is None or _tag(following) not in TEXT_BLOCKS or (figure.tail or "").strip() \
            or (following.tail or "").strip():
        return False
    parent.remove(figure)
    parent.insert(index + 1, figure)
    return True


def _block(element, parents):
    """The block of the text that `element` is part of: the heading, paragraph, figure, list... that
    is a child of its section."""
    while element is not None:
        parent = parents.get(element)
        if parent is not None and _tag(parent) in ("section", "main"):
            return element
        element = parent
    return None


def _flow(element, parents):
    """The chapter, back matter or body that `element` is set in, or None."""
    while element is not None:
        if any(name in FLOWS for name in (element.get("class") or "").split()):
            return element
        element = parents.get(element)
    return None


def _tag(element) -> str:
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
