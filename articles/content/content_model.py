"""An article body's element tree made to obey HTML's content model (which EPUB's XHTML schema enforces),
whatever HTML it came from: every word kept, in its order, and nothing added but the containers it needs."""

from __future__ import annotations

import functools
from collections import deque
from typing import NamedTuple

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements whose content model is that of their parent.
TRANSPARENT = frozenset({"a", "ins", "del"})
VOID = frozenset({"br", "col", "hr", "img", "wbr"})
PHRASING = frozenset({"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img",
                      "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
                      "var", "wbr"})
# Elements that hold phrasing content only (besides the phrasing elements themselves).
PHRASING_HOLDERS = HEADINGS | {"p", "pre"}
# Phrasing elements that style what they hold: when a block is taken out of one, the block's text keeps it.
FORMATTING = PHRASING - VOID
# Elements that hold only certain children (their own name is the kind of their content).
STRUCTURAL = frozenset({"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "colgroup"})
# What each element forbids among its descendants.
EXCLUDES = {"a": frozenset({"a"}), "dfn": frozenset({"dfn"}), "caption": frozenset({"table"}),
            "th": HEADINGS, "dt": HEADINGS}
# A row, cell, list item or term out of its container is put in one; these keep only their content.
CONTAINER_OF = {"li": "ul", "dt": "dl", "dd": "dl", "tr": "table", "td": "table", "th": "table", "tbody": "table",
                "thead": "table", "tfoot": "table"}
# What list, row and row group hold, and what holds anything else they are given.
ONLY_CHILDREN = {"ul": {"li"}, "ol": {"li"}, "dl": {"dt", "dd"}, "tr": {"td", "th"},
                 **{tag: {"tr"} for tag in ("thead", "tbody", "tfoot")}}
WRAPPER = {"ul": "li", "ol": "li", "dl": "dd", "tr": "td", "thead": "tr", "tbody": "tr", "tfoot": "tr"}
STRAY_UNWRAPPED = frozenset({"caption", "figcaption", "col", "colgroup"})
TABLE_PARTS = frozenset({"caption", "colgroup", "thead", "tbody", "tfoot", "tr"})
FLOW, PHRASING_KIND = "flow", "phrasing"
_WHITESPACE = " \t\n\r"


class _Context(NamedTuple):
    """What an element may hold: `kind` is flow, phrasing, or a structural element's name; `excluded`
    names the elements no ancestor allows."""

    kind: str
    excluded: frozenset[str] = frozenset()


def repair_content_model(root) -> None:
    """Repair, in place, the body held by `root` (an element whose content is flow content): blocks in
    phrasing elements are taken out (a paragraph split around them, formatting carried into them),
    links in links and definitions in definitions unwrapped, list items, terms, rows and cells put into
    the containers they need, tables ordered, headings in table headers and terms made paragraphs."""
    order, stack = [], [(root, _Context(FLOW))]
    while stack:
        parent, outer = stack.pop()
        for element in parent:
            if isinstance(element.tag, str):
                context = _inside(element.tag, outer)
                order.append((element, context, element.tag in outer.excluded))
                stack.append((element, context))
    # Each element is listed before its descendants, and repaired after them: what it takes out of them is
    # repaired with it.
    for element, context, excluded in reversed(order):
        if excluded and element.tag in HEADINGS:
            element.tag = "p"
        elif excluded and element.tag == "table":
            _repair(element, context)
            _flatten_table(element)
            continue
        elif excluded:  # a link in a link, a definition in a definition
            _replace(element, _unwrapped(element))
            continue
        _repair(element, context)
    _repair(root, _Context(FLOW))


@functools.lru_cache(maxsize=1024)
def _inside(tag: str, outer: _Context) -> _Context:
    """The context of the content of an element named `tag` placed in `outer`."""
    excluded = outer.excluded | EXCLUDES.get(tag, frozenset())
    if tag in TRANSPARENT:
        # Out of place (in a list or a table), it is going to be put in an item or a cell: flow.
        return _Context(outer.kind if outer.kind in (FLOW, PHRASING_KIND) else FLOW, excluded)
    if tag in PHRASING or tag in PHRASING_HOLDERS:
        return _Context(PHRASING_KIND, excluded)
    if tag in STRUCTURAL:
        return _Context(tag, excluded)
    return _Context(FLOW, excluded)


def _repair(element, context: _Context) -> None:
    if element.tag in VOID:
        return
    if context.kind == FLOW:
        _repair_flow(element, context)
    elif context.kind == PHRASING_KIND:
        _repair_phrasing(element)
    elif context.kind == "colgroup":
        _move_out_all_but_columns(element)
    elif context.kind == "table":
        _repair_table(element, context)
    else:
        items = _content(element)
        repaired = _wrap_runs(element, items, ONLY_CHILDREN[context.kind], WRAPPER[context.kind], context)
        if context.kind == "dl":
            repaired = _grouped_terms(element, repaired)
        _update(element, items, repaired)


def _repair_flow(element, context: _Context) -> None:
    if not any(child.tag in STRAY_UNWRAPPED or child.tag in CONTAINER_OF for child in element):
        return
    items = _content(element)
    kept_caption = _placed_caption(items) if element.tag == "figure" else None
    pending, repaired = deque(items), []
    while pending:
        item = pending.popleft()
        if not isinstance(item, str) and item.tag in STRAY_UNWRAPPED and item is not kept_caption:
            pending.extendleft(reversed(_unwrapped(item)))  # a column group's columns are stray too
        else:
            repaired.append(item)
    _update(element, items, _contained(element, repaired, context))


def _update(element, items: list, repaired: list) -> None:
    """Make `repaired` the content of `element`, unless it is `items`, its content as it is."""
    if len(repaired) != len(items) or any(new is not old for new, old in zip(repaired, items)):
        _set_content(element, repaired)


def _unwrapped(element) -> list:
    """The content of `element`, which is taken away: its id, which links may point at, stays on an
    empty span."""
    anchor = [element.makeelement("span", {"id": element.get("id")})] if element.get("id") is not None else []
    return anchor + _content(element)


def _placed_caption(items) -> object | None:
    """The one figcaption a figure keeps: its first child, else its last."""
    significant = [item for item in items if not _blank(item)]
    for candidate in significant[:1] + significant[-1:]:
        if not isinstance(candidate, str) and candidate.tag == "figcaption":
            return candidate
    return None


def _flatten_table(table) -> None:
    """A table where none may be (in a caption): its rows and cells become divisions."""
    for element in table.iter():
        if element.tag in TABLE_PARTS | {"table", "td", "th", "col"}:
            element.tag = "div"
            for name in ("colspan", "rowspan", "scope"):
                element.attrib.pop(name, None)


def _contained(parent, items: list, context: _Context) -> list:
    """`items` with each run of list items, terms or table parts put into the container they need."""
    result, run, pending, container = [], [], [], None
    for item in items:
        wanted = None if isinstance(item, str) else CONTAINER_OF.get(item.tag)
        if wanted is not None and wanted == container:
            run += pending + [item]
            pending = []
        elif wanted is not None:
            result += _container(parent, container, run, context) + pending
            run, pending, container = [item], [], wanted
        elif container is not None and _blank(item):
            pending.append(item)
        else:
            result += _container(parent, container, run, context) + pending + [item]
            run, pending, container = [], [], None
    return result + _container(parent, container, run, context) + pending


def _container(parent, tag: str | None, run: list, context: _Context) -> list:
    if not run:
        return []
    container = parent.makeelement(tag, {})
    _set_content(container, run)
    _repair(container, _inside(tag, context))
    if tag in context.excluded:  # cells in a caption
        _flatten_table(container)
    return [container]


def _repair_phrasing(element) -> None:
    """Split a paragraph, heading or phrasing element around each block it holds."""
    kept = _content(element)
    if all(_phrasing(item) for item in kept):
        return
    pieces, segment, holders = [], [], 0
    for item in kept + [None]:
        if item is not None and _phrasing(item):
            segment.append(item)
            continue
        if any(not _blank(part) for part in segment):
            holder = _copy(element, keep_id=holders == 0)
            _set_content(holder, segment)
            pieces.append(holder)
            holders += 1
        else:
            pieces += segment
        segment = []
        if item is not None:
            if element.tag in FORMATTING:
                _carry_formatting(element, item)
            pieces.append(item)
    if holders == 0 and element.get("id") is not None:
        pieces.insert(0, _copy(element, keep_id=True))  # the anchor links may point at stays
    _replace(element, pieces)


def _carry_formatting(formatting, block) -> None:
    """Wrap the phrasing runs of `block` (and of the blocks within it) in copies of `formatting`."""
    if block.tag in VOID:
        return
    if block.tag in STRUCTURAL:
        for child in block:
            _carry_formatting(formatting, child)
        return
    result, run = [], []
    for item in _content(block) + [None]:
        if item is not None and _phrasing(item):
            run.append(item)
            continue
        if any(not _blank(part) for part in run):
            holder = _copy(formatting, keep_id=False)
            _set_content(holder, run)
            result.append(holder)
        else:
            result += run
        run = []
        if item is not None:
            _carry_formatting(formatting, item)
            result.append(item)
    _set_content(block, result)


def _wrap_runs(parent, items: list, allowed: set[str], wrapper: str, context: _Context) -> list:
    """`items` with each run of content `parent` may not hold directly put into a new `wrapper`."""
    result, run, pending = [], [], []
    for item in items:
        if not isinstance(item, str) and item.tag in allowed:
            result += _container(parent, wrapper, run, context) + pending + [item]
            run, pending = [], []
        elif _blank(item):
            pending.append(item)
        else:
            run += pending + [item]
            pending = []
    return result + _container(parent, wrapper, run, context) + pending


def _grouped_terms(parent, items: list) -> list:
    """A definition list's terms and definitions in groups of one or more of each: definitions with
    no term before them, or terms with none after them, get an empty partner."""
    result, previous = [], None
    for item in items:
        if not isinstance(item, str):
            if item.tag == "dd" and previous is None:
                result.append(parent.makeelement("dt", {}))
            previous = item.tag
        result.append(item)
    if previous == "dt":
        result.append(parent.makeelement("dd", {}))
    return result


def _move_out_all_but_columns(colgroup) -> None:
    items = _content(colgroup)
    columns = [item for item in items if not isinstance(item, str) and item.tag == "col"]
    others = [item for item in items if isinstance(item, str) or item.tag != "col"]
    if all(_blank(item) for item in others):
        return
    replacement = _copy(colgroup, keep_id=True)
    _set_content(replacement, columns)
    _replace(colgroup, [replacement] + others)


def _repair_table(table, context: _Context) -> None:
    """A table's children in the order HTML requires: caption, column groups, head, body rows, foot."""
    items = _columns_grouped(table, _wrap_runs(table, _content(table), TABLE_PARTS | {"col"}, "tr", context))
    placed, columns, first = [], [], True
    for item in items:
        if not isinstance(item, str):
            if item.tag == "caption" and not first:
                item = _caption_as_row(table, item)
            elif item.tag == "colgroup":
                columns.append(item)  # placed after the caption; they hold no text
                continue
            first = False
        placed.append(item)
    heading = next((index + 1 for index, item in enumerate(placed) if not isinstance(item, str)), 0)
    if heading and placed[heading - 1].tag != "caption":
        heading = 0
    placed[heading:heading] = columns
    groups = [item for item in placed if not isinstance(item, str) and item.tag in ("thead", "tbody", "tfoot", "tr")]
    for group in groups:
        if (group.tag == "thead" and group is not groups[0]) or (group.tag == "tfoot" and group is not groups[-1]):
            group.tag = "tbody"
    if any(group.tag != "tr" for group in groups):
        placed = _wrap_runs(table, placed, {"caption", "colgroup", "thead", "tbody", "tfoot"}, "tbody", context)
    _set_content(table, placed)


def _caption_as_row(table, caption):
    """A caption after the table's start: its content in a row of its own, where it stood."""
    cell = table.makeelement("td", dict(caption.attrib))
    _set_content(cell, _content(caption))
    row = table.makeelement("tr", {})
    row.append(cell)
    return row


def _columns_grouped(table, items: list) -> list:
    result, run = [], []
    for item in items + [None]:
        if item is not None and not isinstance(item, str) and item.tag == "col":
            run.append(item)
            continue
        if run:
            group = table.makeelement("colgroup", {})
            _set_content(group, run)
            result.append(group)
            run = []
        if item is not None:
            result.append(item)
    return result


def _phrasing(item) -> bool:
    """Whether `item` is phrasing content (a transparent element only when all it holds is)."""
    if isinstance(item, str):
        return True
    if item.tag in TRANSPARENT:
        return all(_phrasing(child) for child in item)
    return item.tag in PHRASING


def _blank(item) -> bool:
    return isinstance(item, str) and not item.strip(_WHITESPACE)


def _copy(element, keep_id: bool):
    """An empty element like `element`: its name and attributes (its id only on the first copy)."""
    attributes = {name: value for name, value in element.attrib.items() if keep_id or name != "id"}
    return element.makeelement(element.tag, attributes)


def _content(element) -> list:
    """The children of `element` with its text: strings and elements, in order."""
    items = [element.text] if element.text else []
    for child in element:
        items.append(child)
        if child.tail:
            items.append(child.tail)
    return items


def _set_content(element, items: list) -> None:
    """Make `items` (strings and elements, which are moved) the content of `element`."""
    element.text = None
    for child in list(element):
        element.remove(child)
    last = None
    for item in items:
        if isinstance(item, str):
            if last is None:
                element.text = (element.text or "") + item
            else:
                last.tail = (last.tail or "") + item
        else:
            item.tail = None
            element.append(item)
            last = item


def _replace(element, items: list) -> None:
    """Put `items` (strings and elements, which are moved) where `element` stands, and remove it."""
    parent, tail = element.getparent(), element.tail
    previous = element.getprevious()
    last = None
    for item in items + ([tail] if tail else []):
        if isinstance(item, str):
            if last is not None:
                last.tail = (last.tail or "") + item
            elif previous is not None:
                previous.tail = (previous.tail or "") + item
            else:
                parent.text = (parent.text or "") + item
        else:
            item.tail = None
            element.addprevious(item)
            last = item
    element.tail = None
    parent.remove(element)
