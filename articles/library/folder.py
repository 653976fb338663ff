"""The content folder: the articles it holds, read and found by slug (uploads.py adds new ones)."""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ...errors import ContentError
from ..model import Article
from ..readers.sources import read_article, slug_for, stored_extensions
from ..webimport.adding import add_page_address, add_page_upload, web_page_among
from ..webimport.fetching import Fetcher
from .uploads import UploadedFile, add_upload, one_change_at_a_time, stored_as, unpacked_files

TRASH_PREFIX = ".deleted-"


@dataclass(frozen=True)
class LibraryEntry:
    """An article file in the library, read (`article`) or not readable (`error`); `name` is its path
    in the content folder and `added` when it was stored there (its file's last change)."""

    slug: str
    path: Path
    name: str
    added: datetime.datetime
    article: Article | None
    error: ContentError | None


class Library:
    """The articles of one content folder: each source file at the top, or in a folder of its own
    (`<slug>/<slug>.md` with its images, as stored uploads are), is one article."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def paths(self) -> list[Path]:
        return [path for path, _ in self.scan()]

    def scan(self) -> list[tuple[Path, os.stat_result]]:
        """Every article file with its size and times, sorted by slug: one directory read per folder."""
        found = [(Path(self.folder, name), stat) for name, stat in self.stats()]
        return sorted(found, key=lambda pair: (slug_for(pair[0]), str(pair[0])))

    def stats(self) -> Iterator[tuple[str, os.stat_result]]:
        """Every article file's name in the folder ("/" between folders) with its size and times, in the
        order the folders list them: a large library is looked at without holding all of it."""
        if not self.folder.is_dir():
            return
        extensions = stored_extensions()
        with os.scandir(self.folder) as top:
            for item in top:
                if item.name.startswith("."):
                    continue
                if item.is_dir():
                    with os.scandir(item.path) as inner:
                        yield from [(f"{item.name}/{entry.name}", entry.stat()) for entry in inner
                                    if _is_article_entry(entry, extensions) and entry.name.rpartition(".")[0] == item.name]
                elif _is_article_entry(item, extensions):
                    yield item.name, item.stat()

    def entries(self) -> list[LibraryEntry]:
        entries = []
        for path in self.paths():
            name = path.relative_to(self.folder).as_posix()
            added = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.timezone.utc)
            try:
                entries.append(LibraryEntry(slug_for(path), path, name, added, read_article(path), None))
            except ContentError as error:
                entries.append(LibraryEntry(slug_for(path), path, name, added, None, error))
        return entries

    def slugs(self) -> set[str]:
        return {slug_for(path) for path in self.paths()}

    def find(self, slug: str) -> Article | None:
        """The article whose slug is `slug`, or None; a file that fails to read raises ContentError."""
        for path in self.paths():
            if slug_for(path) == slug:
                return read_article(path)
        return None

    def add(self, files: list[UploadedFile], replace: bool = False, language: str | None = None) -> Article:
        """Store a new article made of `files`, as `add_upload` does; a saved web page (with its files,
        or zipped) is stored as the Markdown its import makes, as `add_page_upload` does; either in
        `language` when one is chosen."""
        files = unpacked_files(files)
        page = web_page_among(files)
        return add_upload(self, files, replace, language) if page is None \
            else add_page_upload(self, files, page, replace, language)

    def add_address(self, url: str, fetcher: Fetcher, replace: bool = False) -> Article:
        """Fetch the web page at `url` once, through `fetcher`, and store it, as `add_page_address` does."""
        return add_page_address(self, url, fetcher, replace)

    def delete(self, slug: str) -> None:
        """Remove the article `slug`: its folder (with its images), or its file at the top. It leaves the
        library in one rename, into a hidden folder that is then removed, so no half-deleted article is
        ever listed."""
        with one_change_at_a_time(self.folder):
            stored = stored_as(self, slug)
            if not stored:
                raise ContentError(slug, "there is no such article in the library", fix="reload the library")
            trash = Path(tempfile.mkdtemp(prefix=TRASH_PREFIX, dir=self.folder))
            for path in stored:
                os.rename(path, trash / path.name)
        shutil.rmtree(trash, ignore_errors=True)


def _is_article_entry(entry: os.DirEntry, extensions: tuple[str, ...]) -> bool:
    return (not entry.name.startswith(".") and entry.is_file()
            and entry.name.rpartition(".")[2].lower() in extensions and "." in entry.name)
