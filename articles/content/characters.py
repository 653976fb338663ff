"""The characters an edition can hold, and the one way text is cleaned of the others, with a warning.

XML 1.0 allows tab, line feed, carriage return, U+0020-U+D7FF, U+E000-U+FFFD and U+10000-U+10FFFF;
HTML (so XHTML and EPUB) also forbids the control characters among them, DEL and U+0080-U+009F. What
is left is what every edition can hold."""

from __future__ import annotations

import re
from pathlib import Path

# What is not held, written out: the negated class of what is held, over the whole of Unicode, takes the
# regex compiler ten times as long (about 3 ms of every cold command), for the same set.
UNHELD = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
NOT_HELD = re.compile(f"[{UNHELD}]")


def without_unheld_characters(where: Path | str, text: str, line: int | None = None,
                              field: str | None = None) -> tuple[str, tuple[str, ...]]:
    """`text` without the characters no edition can hold, and a warning saying how many went and
    where (the first one's line, counted from `line` when the text starts there, and the `field`)."""
    first = NOT_HELD.search(text)
    if first is None:
        return text, ()
    count = len(NOT_HELD.findall(text))
    at = (line or 1) + text.count("\n", 0, first.start())
    named = f" from '{field}'" if field else ""
    return NOT_HELD.sub("", text), (f"{where}, line {at}: {count} control character{'s' if count > 1 else ''} "
                                    f"(such as U+{ord(first.group()):04X}) removed{named}: no edition can hold them",)
