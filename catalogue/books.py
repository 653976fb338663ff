"""The books of the content folder in the index: each NAME.yaml manifest's title, editors, the articles
it binds (by slug), and why it cannot be made when it cannot."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, delete, insert, select

from ..articles import ContentError, read_book
from ..articles.content.section_ids import slugify
from .records import file_digest
from .schema import book_entries, books


def manifests(folder: Path) -> list[Path]:
    """The book manifests of the content folder: NAME.yaml at its top, NAME written as a slug."""
    return sorted(path for path in folder.glob("*.yaml") if path.is_file() and slugify(path.stem) == path.stem)


def store_books(connection: Connection, folder: Path, read_all: bool) -> bool:
    """Index the folder's books: those whose manifest changed, or all of them when `read_all` (their
    articles changed, so a book may have become whole or broken); whether any was."""
    known = {row.name: row for row in connection.execute(select(books.c.id, books.c.name, books.c.size,
                                                                books.c.mtime_ns))}
    changed = bool(known) and read_all
    for path in manifests(folder):
        row = known.pop(path.stem, None)
        stat = path.stat()
        if row is not None and not read_all and (row.size, row.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            continue
        if row is not None:
            connection.execute(delete(books).where(books.c.id == row.id))
        _store_book(connection, folder, path, stat)
        changed = True
    if known:
        connection.execute(delete(books).where(books.c.id.in_([row.id for row in known.values()])))
    return changed or bool(known)


def _store_book(connection: Connection, folder: Path, path: Path, stat) -> None:
    error = None
    try:
        book = read_book(path, within=folder)
    except ContentError as problem:
        error = str(problem)
        try:  # what can be made of it, for the listing
            book = read_book(path, within=folder, skip_bad=True)
        except ContentError:
            book = None
    title = book.title if book else path.stem
    found = connection.execute(insert(books).values(
        name=path.stem, size=stat.st_size, mtime_ns=stat.st_mtime_ns, digest=file_digest(path.read_bytes()),
        title=title, title_key=title.casefold(), editors=", ".join(editor.name for editor in book.editors) if book else "",
        words=book.word_count if book else 0, error=error).returning(books.c.id)).scalar_one()
    if book and book.chapters:
        connection.execute(insert(book_entries), [{"book_id": found, "position": number, "slug": chapter.article.slug}
                                                  for number, chapter in enumerate(book.chapters, 1)])
