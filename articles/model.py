"""The content model every reader produces and every exporter consumes."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
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
    direction: str | None = None  # "rtl" or "ltr" when the source says so; else the language's own

    @property
    def byline(self) -> str:
        """The authors' names joined the way a title page prints them."""
        names = [author.name for author in self.authors]
        if len(names) <= 2:
            return " and ".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class Footnote:
    """A note referenced from a section's text (`id` is its anchor; `html` sanitised XHTML, and
    `inline_html` the same as one run of text, for media that set notes inside a line)."""

    id: str
    number: int
    html: str
    inline_html: str = ""
    ref_id: str = ""  # the anchor of its first citation, which its back-link returns to ("": fnref-NUMBER)

    @property
    def back_link_id(self) -> str:
        return self.ref_id or f"fnref-{self.number}"


@dataclass(frozen=True)
class Image:
    """An image a section shows: the asset it names and the text that describes it ("" if none)."""

    href: str
    alt: str


@dataclass(frozen=True)
class Citation:
    """Where a section's text cites a note: `offset` characters into its `html`; `first` when the
    note is cited there for the first time; `ref_id` is the citation's own anchor."""

    offset: int
    note: Footnote
    ref_id: str
    first: bool


@dataclass(frozen=True)
class Section:
    """A numbered item, a chapter, or the untitled opening (`title` "": the text before the first
    heading, which no table of contents lists under a name the author did not write).

    `html` is well-formed XHTML and holds the body only, without its note citations (each medium
    renders those at `citations`); the heading is rendered from `title`, when there is one. The readers record the
    images, the ids of the body's `#links` and the number of words, so no edition parses it again.
    """

    id: str
    title: str
    html: str
    number: int | None = None
    footnotes: tuple[Footnote, ...] = ()
    images: tuple[Image, ...] = ()
    links: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    words: int = 0

    @property
    def label(self) -> str:
        """The title as tables of contents show it ("2. A lineup for a bus."); "" for the opening."""
        return f"{self.number}. {self.title}" if self.number is not None else self.title

    @property
    def titled(self) -> bool:
        return bool(self.title)

    def passages(self) -> list[tuple[str, Citation | None]]:
        """The body cut at each note citation: (XHTML, the citation that follows it or None)."""
        pieces, start = [], 0
        for citation in self.citations:
            pieces.append((self.html[start:citation.offset], citation))
            start = citation.offset
        pieces.append((self.html[start:], None))
        return pieces


@dataclass(frozen=True)
class Asset:
    """A file the article's text uses (an image); `href` is how the HTML names it. It lies at `path`
    beside the article, or, taken from a web page (a `data:` URI, a download), is held as `content`."""

    href: str
    path: Path | None
    media_type: str
    content: bytes | None = field(default=None, repr=False)

    def read_bytes(self) -> bytes:
        return self.content if self.content is not None else self.path.read_bytes()


@dataclass(frozen=True)
class PageSources:
    """What a web page's article was read from, to read it again the same way where none of it can be
    fetched or found (a queue's worker): the page's address (None for a saved page), its bytes, and the
    bytes of each image taken in, by the file's name in the page's folder or by its web address."""

    url: str | None
    images: Mapping[str, bytes] = field(repr=False)
    data: bytes = field(default=b"", repr=False)


@dataclass(frozen=True)
class Article:
    """An article read from one source file: a `Publication` of sections (see publication.py)."""

    slug: str
    metadata: Metadata
    sections: tuple[Section, ...]
    source_path: Path
    digest: str
    # When its editions are dated (their metadata and files): resolved once, when it is read.
    edition_date: datetime.datetime
    assets: tuple[Asset, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # A web page's: what it was read from (the page's and its images' bytes), for a queued job.
    page: PageSources | None = field(default=None, compare=False, repr=False)

    @property
    def title(self) -> str:
        return self.metadata.title

    @property
    def language(self) -> str:
        return self.metadata.language

    @property
    def editors(self) -> tuple[Author, ...]:
        """An article is written, not edited from others' pieces: no editors."""
        return ()

    @property
    def parts(self) -> tuple:
        """An article is not bound from others: its text is its sections, in no parts."""
        return ()

    @property
    def chapters(self) -> tuple:
        """An article is not bound from others: its text is its sections, in no chapters."""
        return ()

    @property
    def credited(self) -> tuple[Author, ...]:
        """Who a cover names: the authors."""
        return self.metadata.authors

    @property
    def contents(self) -> tuple[Section, ...]:
        """The sections a table of contents lists: the titled ones; when none has a title, the first
        (listed under the article's title, so that every contents has an entry)."""
        return tuple(section for section in self.sections if section.titled) or self.sections[:1]

    @property
    def word_count(self) -> int:
        return sum(len(section.title.split()) + section.words for section in self.sections)

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    def asset(self, href: str) -> Asset | None:
        """The asset the HTML names `href`, if the article has one."""
        return next((asset for asset in self.assets if asset.href == href), None)

