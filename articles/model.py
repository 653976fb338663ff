"""The content model every reader produces and every exporter consumes."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

WORDS_PER_MINUTE = 230


@dataclass(frozen=True)
class Author:
    """A person credited with the article; `file_as` is the sort form ("Lafforgue, Eric")."""

    name: str
    file_as: str | None = None


@dataclass(frozen=True)
class Metadata:
    """What is known about an article besides its text; validated by the readers."""

    title: str
    subtitle: str | None = None
    authors: tuple[Author, ...] = ()
    language: str = "en"
    date: datetime.date | None = None
    description: str | None = None
    publisher: str | None = None
    rights: str | None = None
    subjects: tuple[str, ...] = ()
    series: str | None = None
    series_position: int | None = None
    cover: str | None = None
    identifier: str | None = None
    source_url: str | None = None

    @property
    def byline(self) -> str:
        """The authors' names joined the way a title page prints them."""
        names = [author.name for author in self.authors]
        if len(names) <= 2:
            return " and ".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class Footnote:
    """A note referenced from a section's text (`id` is its anchor, `html` sanitised)."""

    id: str
    number: int
    html: str


@dataclass(frozen=True)
class Section:
    """One entry of every table of contents: the introduction, a numbered item or a chapter.

    `html` is sanitised and holds the body only; the heading is rendered from `title`.
    """

    id: str
    title: str
    html: str
    number: int | None = None
    footnotes: tuple[Footnote, ...] = ()

    @property
    def label(self) -> str:
        """The title as tables of contents show it ("2. A lineup for a bus.")."""
        return f"{self.number}. {self.title}" if self.number is not None else self.title


@dataclass(frozen=True)
class Asset:
    """A file beside the article that its text uses (an image); `href` is how the HTML names it."""

    href: str
    path: Path
    media_type: str


@dataclass(frozen=True)
class Article:
    """An article read from one source file: the unit every exporter turns into an edition."""

    slug: str
    metadata: Metadata
    sections: tuple[Section, ...]
    source_path: Path
    digest: str
    assets: tuple[Asset, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def title(self) -> str:
        return self.metadata.title

    @property
    def word_count(self) -> int:
        text = " ".join(f"{section.title} {_TAG.sub(' ', section.html)}" for section in self.sections)
        return len(text.split())

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    def asset(self, href: str) -> Asset | None:
        """The asset the HTML names `href`, if the article has one."""
        return next((asset for asset in self.assets if asset.href == href), None)


_TAG = re.compile(r"<[^>]+>")
