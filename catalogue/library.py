"""A content folder with its catalogue: the operations that change the folder change the index in the
same call, lookups and listings answer from the index, and a walk finds what changed outside."""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from .. import settings
from ..articles import Article, Library, UploadedFile
from ..articles.readers.sources import read_article, slug_for
from ..articles.webimport.fetching import Fetcher
from .database import connect, database_url, migrate
from .details import Details, details
from .schema import articles, book_entries, books
from .search import Filters, Hit, Listing, listing
from .sync import Progress, WalkReport, forget_missing, index_file, last_walk, walk

DEFAULT_WALK_SECONDS = 5.0


@dataclass(frozen=True)
class BookRow:
    """A book of the listing: its manifest's name, title, editors, articles (slugs), words, or its error."""

    name: str
    title: str
    editors: str
    slugs: tuple[str, ...]
    words: int
    error: str | None


class Catalogue:
    """The articles and books of the content folder `folder`, indexed in the database at `url` (by
    default the folder's own SQLite file, or $PRESSROOM_DATABASE); opening it migrates its schema."""

    def __init__(self, folder: Path | str, url: str | None = None) -> None:
        self.folder = Path(folder)
        self.engine = connect(url or database_url(self.folder))
        migrate(self.engine)
        self.library = Library(self.folder)
        self._walking = threading.Lock()

    def close(self) -> None:
        self.engine.dispose()

    def walk(self, rebuild: bool = False, progress: Progress | None = None) -> WalkReport:
        """Look at every file of the folder now (reading again what changed; every file when `rebuild`)."""
        with self._walking:
            return walk(self.engine, self.folder, rebuild, progress)

    def refresh(self, max_age: float | None = None) -> None:
        """Walk the folder if no one has for `max_age` seconds ($PRESSROOM_WALK_SECONDS); while this
        process walks, its other requests answer from the index as it is."""
        if max_age is None:
            max_age = settings.number("PRESSROOM_WALK_SECONDS", DEFAULT_WALK_SECONDS, above=False)
        walked = last_walk(self.engine)
        now = datetime.datetime.now(datetime.timezone.utc)
        if walked is not None and (now - walked).total_seconds() < max_age:
            return
        if self._walking.acquire(blocking=walked is None):
            try:
                walk(self.engine, self.folder)
            finally:
                self._walking.release()

    def listing(self, filters: Filters = Filters(), sort: str = "", page: int = 1, per_page: int = 50,
                facets: bool = True) -> Listing:
        return listing(self.engine, filters, sort, page, per_page, facets)

    def entry(self, slug: str) -> Hit | None:
        """The index's entry for `slug` (an article that cannot be read too), or None."""
        with self.engine.connect() as connection:
            row = connection.execute(select(articles).where(articles.c.slug == slug)
                                     .order_by(articles.c.path).limit(1)).first()
        if row is None:
            return None
        return Hit(row.slug, row.path, row.title, row.subtitle, row.byline, row.language, row.published,
                   row.added, row.words, row.minutes, row.site, row.error)

    def entry_at(self, path: Path) -> Hit | None:
        """The index's entry for the article file at `path`, or None."""
        try:
            relative = Path(path).resolve().relative_to(self.folder.resolve()).as_posix()
        except ValueError:
            return None
        with self.engine.connect() as connection:
            row = connection.execute(select(articles.c.slug).where(articles.c.path == relative).limit(1)).first()
        return self.entry(row.slug) if row is not None else None

    def details(self, paths: list[str]) -> dict[str, Details]:
        """What a catalogue feed shows of the articles at `paths` beyond their listing's hits, by path."""
        return details(self.engine, paths)

    def path_of(self, slug: str) -> Path | None:
        """The file of the article `slug` as the index knows it; the folder's own look-up if the index
        has none (a file just copied in) or names a file that is gone."""
        entry = self.entry(slug)
        if entry is not None and (self.folder / entry.path).is_file():
            return self.folder / entry.path
        return next((path for path in self.library.paths() if slug_for(path) == slug), None)

    def find(self, slug: str) -> Article | None:
        """The article `slug`, read from its file; None if there is none (ContentError if it cannot be read)."""
        path = self.path_of(slug)
        return read_article(path) if path is not None else None

    def add(self, files: list[UploadedFile], replace: bool = False, language: str | None = None) -> Article:
        """Store a new article made of `files` (see `Library.add`) and index it."""
        return self._indexed(self.library.add(files, replace, language))

    def add_address(self, url: str, fetcher: Fetcher, replace: bool = False) -> Article:
        """Fetch the page at `url` and store it (see `Library.add_address`), and index it."""
        return self._indexed(self.library.add_address(url, fetcher, replace))

    def delete(self, slug: str) -> None:
        """Remove the article `slug` from the folder and the index."""
        self.library.delete(slug)
        forget_missing(self.engine, self.folder, slug)

    def note_book(self) -> None:
        """Index a manifest Pressroom has just written (and every book, since their articles may have changed)."""
        self.walk()

    def books(self) -> list[BookRow]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(books).order_by(books.c.title_key, books.c.name)).all()
            entries: dict[int, list[str]] = {}
            for entry in connection.execute(select(book_entries).order_by(book_entries.c.book_id,
                                                                          book_entries.c.position)):
                entries.setdefault(entry.book_id, []).append(entry.slug)
        return [BookRow(row.name, row.title, row.editors, tuple(entries.get(row.id, ())), row.words, row.error)
                for row in rows]

    def count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(articles)).scalar_one()

    def _indexed(self, article: Article) -> Article:
        index_file(self.engine, self.folder, article.source_path)
        forget_missing(self.engine, self.folder, article.slug)
        return article

