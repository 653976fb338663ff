"""A print layout's page list as data: where each printed page begins, for editions that mark them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageStart:
    """Printed page `label` begins in section `section_id`, in its `block`-th child element,
    `offset` characters into that block's text (notes left out), at the start of a word."""

    label: str
    section_id: str
    block: int
    offset: int


@dataclass(frozen=True)
class PageList:
    """Where the printed pages of one print layout begin: `source` names that edition (an id
    fragment such as "pdf-a4") and `description` says it in words ("the A4 PDF edition")."""

    source: str
    description: str
    starts: tuple[PageStart, ...]

    def starts_in(self, section_id: str) -> list[PageStart]:
        return [start for start in self.starts if start.section_id == section_id]


def page_anchor(label: str) -> str:
    return f"page-{label}"
