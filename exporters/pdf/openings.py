"""Pages that open the text, a part, a chapter or a section carry no running head, as in a printed book."""

from __future__ import annotations

RUNNING_HEADS = ("@top-left", "@top-center", "@top-right")
# What a page that opens something begins with: a section's title, a chapter's opening, a part's
# page, the title of a list in a book's back matter.
OPENING_CLASSES = frozenset({"section-title", "chapter-opening", "part", "back-list-title"})


def drop_running_heads_on_openings(document) -> None:
    """Remove the running heads of the laid-out `document`'s body pages that open the text or begin
    with a section's title.

    CSS can name the text's first page but not "the page a heading happens to begin", so this looks at
    the layout; WeasyPrint keeps each page's boxes on `_page_box` (pinned to 70.x in pyproject) and
    draws the page from them when the PDF is written.
    """
    body_pages = [page._page_box for page in document.pages
                  if page._page_box.page_type.name == "body" and not page._page_box.page_type.blank]
    for number, page_box in enumerate(body_pages):
        if number == 0 or _begins_with_section_title(page_box):
            # Margin boxes are the page's children that have an at-keyword ("@top-left"...).
            page_box.children = tuple(child for child in page_box.children
                                      if getattr(child, "at_keyword", None) not in RUNNING_HEADS)


def _begins_with_section_title(page_box) -> bool:
    """Whether the first words on the page's text area belong to a section's title or a book's opening."""
    # Told apart by what they hold (only the PDF exporter's own modules import WeasyPrint): a text
    # box has `text`, an image's box its `replacement`.
    for box, in_title in _boxes_in_order(page_box.children[0], False):
        if getattr(box, "text", "").strip():
            return in_title
        if hasattr(box, "replacement"):
            return False
    return False


def _boxes_in_order(box, in_title: bool):
    """Every box under `box` in document order, with whether it is inside a section's title."""
    element = box.element
    in_title = in_title or (element is not None and not OPENING_CLASSES.isdisjoint((element.get("class") or "").split()))
    yield box, in_title
    for child in getattr(box, "children", ()):
        yield from _boxes_in_order(child, in_title)
