"""A book: several articles bound in order, in parts, each a chapter crediting its own authors and source."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from ..model import WORDS_PER_MINUTE, Article, Asset, Author, Metadata, Section


@dataclass(frozen=True)
class Chapter:
    """An article bound into a book (binding.py): every id in it begins with `id`'s prefix (`c2-`)
    and its images live under `c2/`, so that no two chapters collide; `title` and `authors` are the
    manifest's when it gives them, else the article's."""

    number: int
    title: str
    authors: tuple[Author, ...]
    source: str | None  # where the article was published (its source URL, or the address it was fetched from)
    article: Article

    @property
    def id(self) -> str:
        return f"chapter-{self.number}"

    @property
    def sections(self) -> tuple[Section, ...]:
        return self.article.sections

    @property
    def language(self) -> str:
        return self.article.metadata.language

    @property
    def subtitle(self) -> str | None:
        return self.article.metadata.subtitle

    @property
    def date(self) -> datetime.date | None:
        return self.article.metadata.date

    @property
    def contents(self) -> tuple[Section, ...]:
        """The sections listed under the chapter: its titled ones."""
        return tuple(section for section in self.sections if section.titled)


@dataclass(frozen=True)
class Part:
    """Chapters under one title; a book whose manifest lists `articles:` has one untitled part."""

    number: int
    title: str
    chapters: tuple[Chapter, ...]

    @property
    def id(self) -> str:
        return f"part-{self.number}"


@dataclass(frozen=True)
class Contributor:
    """A chapter author and the titles of the chapters they wrote, in the book's order."""

    author: Author
    chapters: tuple[str, ...]


@dataclass(frozen=True)
class Book:
    """A `Publication` (see publication.py) like an `Article`: the book's own metadata (its authors
    in `metadata.authors`, its editors beside them), its parts and chapters, and, read off those, the
    sections, assets and words of the whole."""

    slug: str
    metadata: Metadata
    editors: tuple[Author, ...]
    parts: tuple[Part, ...]
    source_path: Path  # the manifest
    digest: str
    edition_date: datetime.datetime
    cover: Asset | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def title(self) -> str:
        return self.metadata.title

    @property
    def language(self) -> str:
        return self.metadata.language

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        return tuple(chapter for part in self.parts for chapter in part.chapters)

    @property
    def has_part_titles(self) -> bool:
        return any(part.title for part in self.parts)

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(section for chapter in self.chapters for section in chapter.sections)

    @property
    def contents(self) -> tuple[Section, ...]:
        return tuple(section for chapter in self.chapters for section in chapter.contents)

    @property
    def assets(self) -> tuple[Asset, ...]:
        own = (self.cover,) if self.cover is not None else ()
        return own + tuple(asset for chapter in self.chapters for asset in chapter.article.assets)

    @property
    def credited(self) -> tuple[Author, ...]:
        """Who a cover names: the book's authors, else its editors."""
        return self.metadata.authors or self.editors

    @property
    def contributors(self) -> tuple[Contributor, ...]:
        """Every chapter author once, sorted as a list of contributors is ("Lovelace, Ada")."""
        chapters: dict[str, list[str]] = {}
        people: dict[str, Author] = {}
        for chapter in self.chapters:
            for author in chapter.authors:
                people.setdefault(author.name, author)
                chapters.setdefault(author.name, []).append(chapter.title)
        ordered = sorted(people.values(), key=lambda author: (_sort_name(author), author.name))
        return tuple(Contributor(author, tuple(chapters[author.name])) for author in ordered)

    @property
    def word_count(self) -> int:
        return sum(chapter.article.word_count for chapter in self.chapters)

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    def asset(self, href: str) -> Asset | None:
        return next((asset for asset in self.assets if asset.href == href), None)


def _sort_name(author: Author) -> str:
    """The form a list of people is sorted by: `file_as`, else the name from its last word on."""
    if author.file_as:
        return author.file_as.casefold()
    first, _, last = author.name.rpartition(" ")
    return f"{last}, {first}".casefold()
