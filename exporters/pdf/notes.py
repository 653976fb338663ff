"""Keeping every note of the print edition at the foot of the page that cites it.

To fill a page, WeasyPrint moves the notes already set on it to the next page, away from their calls,
where the last paragraph's lines must stay together (widows and orphans) or its first line would not fit
otherwise. Where it did, the layout is made again with widow control off, and then with the paragraph
that took the notes' room sent to the next page: a note belongs on its page more than lines together."""

from __future__ import annotations

# Laid out again with this where a note left its page: lines are then free to break anywhere.
NOTES_BEFORE_WIDOWS = ".section p, .section li, .section blockquote { widows: 1; orphans: 1; }"
# Each pass moves one paragraph per page whose notes moved; a few settle any article seen.
MAX_PASSES = 6


def keep_notes_on_their_page(render, root):
    """The document `render(extra_css)` lays out from the HTML tree `root`, with its notes on the pages
    that cite them where the layout can give them that."""
    document = render("")
    # Looking for moved notes walks every box of every page: a document without notes has none to move.
    if not any(_is_note(element) for element in root.iter()) or not notes_off_their_page(document):
        return document
    document = render(NOTES_BEFORE_WIDOWS)
    for _ in range(MAX_PASSES):
        moved = notes_off_their_page(document)
        if not moved:
            break
        for element in {_last_block_on(document, page) for page in moved.values()} - {None}:
            element.set("style", "break-before: page")
        document = render(NOTES_BEFORE_WIDOWS)
    return document


def notes_off_their_page(document) -> dict[str, int]:
    """The notes set on another page than the one that cites them, by id, with the page that cites them."""
    called_on: dict[str, int] = {}
    set_on: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        # WeasyPrint keeps each page's boxes on `_page_box` (pinned to 70.x in pyproject): its children are
        # the page's root box, its footnote area and its note area.
        for box in page._page_box.descendants():
            note = getattr(box, "footnote", None)
            if note is not None and note.element is not None:
                called_on.setdefault(note.element.get("id"), number)
            if type(box).__name__ == "FootnoteAreaBox":
                for child in box.children:
                    if child.element is not None:
                        set_on.setdefault(child.element.get("id"), number)
    return {note: page for note, page in called_on.items() if set_on.get(note, page) != page}


def _last_block_on(document, number: int):
    """The element of the paragraph (or other block) whose line ends the text of page `number`."""
    last = None
    for box in document.pages[number]._page_box.children[0].descendants():
        if type(box).__name__ == "LineBox":
            last = box
    element = getattr(last, "element", None)
    # A line belongs to its block's element; the body's own text has no block to move.
    return element if element is not None and element.tag.rpartition("}")[2] in ("p", "li", "blockquote", "figure") else None


def _is_note(element) -> bool:
    return isinstance(element.tag, str) and "footnote-body" in (element.get("class") or "").split()
