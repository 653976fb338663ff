"""What every exporter, template and edition view is written against: a `Publication`, which an
`Article` and a `Book` both are."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from .model import Asset, Author, Metadata, Section

if TYPE_CHECKING:
    from .books.book import Chapter, Part


@runtime_checkable
class Publication(Protocol):
    """A work made into editions: its facts (metadata, language, dates, who is credited), its text in
    sections, or in chapters bound in parts (a book), the files it uses, and its length."""

    slug: str
    metadata: Metadata
    source_path: Path
    digest: str
    edition_date: datetime.datetime
    warnings: tuple[str, ...]

    @property
    def title(self) -> str: ...

    @property
    def language(self) -> str: ...

    @property
    def credited(self) -> tuple[Author, ...]: ...

    @property
    def editors(self) -> tuple[Author, ...]: ...

    @property
    def sections(self) -> tuple[Section, ...]: ...

    @property
    def contents(self) -> tuple[Section, ...]: ...

    @property
    def parts(self) -> tuple[Part, ...]: ...

    @property
    def chapters(self) -> tuple[Chapter, ...]: ...

    @property
    def assets(self) -> tuple[Asset, ...]: ...

    @property
    def word_count(self) -> int: ...

    @property
    def reading_minutes(self) -> int: ...

    def asset(self, href: str) -> Asset | None: ...
