"""The content folder: the articles it holds, found by slug."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from articles.errors import ContentError
from articles.model import Article
from articles.readers import read_article, slug_for, supported_extensions


@dataclass(frozen=True)
class LibraryEntry:
    """An article file in the library, read (`article`) or not readable (`error`)."""

    slug: str
    path: Path
    article: Article | None
    error: ContentError | None


class Library:
    """The articles of one content folder; each source file is one article."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def paths(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        extensions = {f".{ext}" for ext in supported_extensions()}
        return sorted(path for path in self.folder.iterdir()
                      if path.is_file() and path.suffix.lower() in extensions and not path.name.startswith("."))

    def entries(self) -> list[LibraryEntry]:
        entries = []
        for path in self.paths():
            try:
                entries.append(LibraryEntry(slug_for(path), path, read_article(path), None))
            except ContentError as error:
                entries.append(LibraryEntry(slug_for(path), path, None, error))
        return entries

    def find(self, slug: str) -> Article | None:
        """The article whose slug is `slug`, or None; a file that fails to read raises ContentError."""
        for path in self.paths():
            if slug_for(path) == slug:
                return read_article(path)
        return None
