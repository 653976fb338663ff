"""Section ids: unique, safe as XML ids and file names, and clear of every id the editions make."""

from __future__ import annotations

import re

# The opening paragraphs before the first heading: an untitled section with this id.
OPENING_ID = "opening"
# Ids and file names the editions make themselves (EPUB documents, contents, notes, page breaks).
_RESERVED = {OPENING_ID, "cover", "titlepage", "nav", "toc", "toc-title", "landmarks", "landmarks-title",
             "page-list", "page-list-title", "colophon"}
_GENERATED_PREFIX = re.compile(r"(?:page|fn|fnref)-")
# Each section's heading has the id `ID-title`; no section id ends so, so no two can meet.
_HEADING_SUFFIX = "-title"


def slugify(text: str) -> str:
    """`text` in lower-case ASCII letters, digits and hyphens ("" when none of its letters are ASCII)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class SectionIds:
    """Hands out section ids once each: a letter first, never a reserved or generated id, and never
    one whose heading id (`ID-title`) another section holds."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def take(self, base: str) -> str:
        base = slugify(base) or "section"
        if base[0].isdigit() or base in _RESERVED or _GENERATED_PREFIX.match(base):
            base = f"s-{base}"
        candidate, number = base, 2
        while candidate in self._used or candidate.endswith(_HEADING_SUFFIX):
            candidate = f"{base}-{number}"
            number += 1
        self._used.add(candidate)
        return candidate
