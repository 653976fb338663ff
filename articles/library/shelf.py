"""The books of a content folder, kept as NAME.yaml manifests beside its articles: listed from their
manifests alone (no article is read), made, edited, renamed and deleted."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ...errors import ContentError, PressroomError
from ...files import write_atomically
from ..books.manifest import read_manifest
from ..content.section_ids import slugify
from ..readers.sources import is_web_address

MANIFEST_SUFFIX = ".yaml"
MAX_TITLE_CHARS = 200
MAX_SLUG_CHARS = 80


class BookProblem(PressroomError):
    """A book cannot be made or changed as asked: says why in words a reader of the form can follow."""


@dataclass(frozen=True)
class MissingArticle:
    """An entry of a book whose article is no longer in the library: `name` is how to call it in
    words (its file's name without the extension), `address` as the manifest writes it."""

    name: str
    address: str


@dataclass(frozen=True)
class ShelvedBook:
    """A book as its manifest lists it: its title, its articles' files (in order), the entries whose
    article is gone, or the manifest's own problem (then no title or entries are known)."""

    slug: str
    title: str
    articles: tuple[Path, ...] = ()
    missing: tuple[MissingArticle, ...] = ()
    problem: str | None = None

    @property
    def readable(self) -> bool:
        return self.problem is None and not self.missing

    @property
    def entry_count(self) -> int:
        return len(self.articles) + len(self.missing)


class Shelf:
    """The books of the content folder `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def manifest(self, slug: str) -> Path:
        return self.folder / f"{slug}{MANIFEST_SUFFIX}"

    def slugs(self) -> list[str]:
        """The books' names: each manifest whose name is a slug, in order."""
        return sorted(path.stem for path in self.folder.glob(f"*{MANIFEST_SUFFIX}")
                      if path.is_file() and slugify(path.stem) == path.stem)

    def exists(self, slug: str) -> bool:
        return slugify(slug) == slug and self.manifest(slug).is_file()

    def books(self) -> list[ShelvedBook]:
        return [self.book(slug) for slug in self.slugs()]

    def book(self, slug: str) -> ShelvedBook:
        """The book `slug` as its manifest lists it; each entry's file is looked for, never read."""
        folder = self.folder.resolve()
        try:
            manifest = read_manifest(self.manifest(slug))
        except ContentError as error:
            where = f", line {error.line}" if error.line else ""
            return ShelvedBook(slug, slug, problem=f"its list of articles cannot be read{where}: {error.problem}")
        found, missing = [], []
        for entry in manifest.entries:
            if is_web_address(entry.address):
                missing.append(MissingArticle(entry.title or entry.address, entry.address))
                continue
            path = (self.folder / entry.address).resolve()
            if not path.is_relative_to(folder):
                return ShelvedBook(slug, manifest.title, problem=f"it lists “{entry.address}”, which lies outside "
                                   "the content folder")
            if path.is_file():
                found.append(path)
            else:
                missing.append(MissingArticle(entry.title or Path(entry.address).stem.replace("-", " "),
                                              entry.address))
        return ShelvedBook(slug, manifest.title, tuple(found), tuple(missing))

    def using(self, article: Path) -> list[ShelvedBook]:
        """The books that bind the article at `article`."""
        target = Path(article).resolve()
        return [book for book in self.books() if target in book.articles]

    def add(self, title: str, articles: list[Path]) -> str:
        """Save a new book of `articles`, in order, titled `title`; its name (slug)."""
        title, slug = self._named(title)
        if self.manifest(slug).exists():
            raise BookProblem(f"There is already a book called “{title}”: give this one another title.")
        try:
            write_atomically(self.manifest(slug), self._text(title, articles), new=True)
        except FileExistsError:  # made meanwhile by someone else
            raise BookProblem(f"There is already a book called “{title}”: give this one another title.") from None
        return slug

    def replace(self, slug: str, title: str, articles: list[Path]) -> str:
        """Give the book `slug` the title and articles given; its name, new when the title's is."""
        title, new_slug = self._named(title)
        text = self._text(title, articles)
        if new_slug == slug:
            write_atomically(self.manifest(slug), text)
            return slug
        try:
            write_atomically(self.manifest(new_slug), text, new=True)
        except FileExistsError:
            raise BookProblem(f"There is already a book called “{title}”: give this one another title.") from None
        self.manifest(slug).unlink(missing_ok=True)
        return new_slug

    def delete(self, slug: str) -> None:
        self.manifest(slug).unlink(missing_ok=True)

    def _named(self, title: str) -> tuple[str, str]:
        title = " ".join(title.split())[:MAX_TITLE_CHARS]
        slug = slugify(title)[:MAX_SLUG_CHARS].rstrip("-")
        if not title or not slug:
            raise BookProblem("Give the book a title in words.")
        return title, slug

    def _text(self, title: str, articles: list[Path]) -> bytes:
        folder = self.folder.resolve()
        if len(articles) < 2:
            raise BookProblem("Choose at least two articles for the book.")
        entries = [Path(path).resolve().relative_to(folder).as_posix() for path in articles]
        return yaml.safe_dump({"title": title, "articles": entries}, allow_unicode=True,
                              sort_keys=False).encode("utf-8")
