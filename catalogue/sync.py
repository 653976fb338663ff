"""Keeping the index in step with the content folder: a stat walk that reads again only the files whose
size, time or bytes changed, and forgets the ones that are gone."""

from __future__ import annotations

import datetime
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, func, insert, select, text

from ..articles import Library
from .books import store_books
from .database import writing
from .records import file_digest, read_record
from .schema import articles, state
from .store import changed, remove_articles, store_article, store_stat

# What the readers put in the index: change it when they read files differently, and every catalogue
# made before reads its files again at its next walk.
READER_VERSION = "2026-12-08"
BATCH = 200  # records written per transaction: other writers wait at most that long
COMPARED = 1000  # files compared with the index per query


@dataclass(frozen=True)
class WalkReport:
    """What a walk found: files indexed for the first time, read again, forgotten, and left as they were."""

    added: int
    changed: int
    removed: int
    unchanged: int


Progress = Callable[[int, int], None]  # (files done, files to read)


def walk(engine: Engine, folder: Path, rebuild: bool = False, progress: Progress | None = None) -> WalkReport:
    """Bring the index of `folder` up to date; `rebuild` reads every file again (when each was added is
    kept). `progress` hears how many of the files to read are done."""
    started = datetime.datetime.now(datetime.timezone.utc)
    with engine.connect() as connection:
        stamp = connection.execute(select(state.c.value).where(state.c.name == "reader_version")).scalar()
    rebuild = rebuild or stamp != READER_VERSION
    folder = folder.resolve()
    to_read, touched, unchanged, known = [], [], 0, 0
    # The files and the index's rows are compared a chunk at a time: a server walking a large library
    # holds no copy of all of it (Python would keep that memory after).
    for chunk in _chunks(Library(folder).stats(), COMPARED):
        with engine.connect() as connection:
            rows = {path: (size, mtime_ns)
                    for path, size, mtime_ns in _stats_of(connection, [name for name, _ in chunk])}
        known += len(rows)
        for name, stat in chunk:
            row = rows.get(name)
            if row is not None and not rebuild and row == (stat.st_size, stat.st_mtime_ns):
                unchanged += 1
            elif row is not None and not rebuild and row[0] == stat.st_size and _same_bytes(engine, folder, name):
                touched.append((name, stat.st_size, stat.st_mtime_ns))
                unchanged += 1
            else:
                to_read.append((folder / name, row is None))
    gone = _gone(engine, folder, known)
    added = sum(1 for _, new in to_read if new)
    if progress:
        progress(0, len(to_read))
    for start in range(0, max(len(to_read), 1), BATCH):
        batch = [record for record in (read_record(folder, path) for path, _ in to_read[start:start + BATCH])
                 if record is not None]
        with writing(engine) as connection:
            for record in batch:
                store_article(connection, record, started)
            if start == 0:
                for name, size, mtime_ns in touched:
                    store_stat(connection, name, size, mtime_ns)
                remove_articles(connection, gone)
        if progress:
            progress(min(start + BATCH, len(to_read)), len(to_read))
    with writing(engine) as connection:
        if store_books(connection, folder, rebuild or bool(to_read) or bool(gone)) or to_read or gone or touched:
            changed(connection)
        _stamp(connection, "reader_version", READER_VERSION)
        _stamp(connection, "last_walk", started.isoformat())
        _stamp(connection, "walk_ended", datetime.datetime.now(datetime.timezone.utc).isoformat())
    return WalkReport(added, len(to_read) - added, len(gone), unchanged)


def last_walk(engine: Engine) -> datetime.datetime | None:
    """When the folder was last walked, by this process or another: when that walk ended, so that a walk
    longer than the time between walks (a large library on a busy machine) is not followed by another at once."""
    with engine.connect() as connection:
        found = dict(connection.execute(select(state.c.name, state.c.value)
                                        .where(state.c.name.in_(["last_walk", "walk_ended"]))).all())
    value = found.get("walk_ended") or found.get("last_walk")
    return datetime.datetime.fromisoformat(value) if value else None


def index_file(engine: Engine, folder: Path, path: Path) -> None:
    """Index the article at `path` at once (Pressroom has just stored it)."""
    record = read_record(folder.resolve(), path.resolve())
    if record is not None:
        with writing(engine) as connection:
            store_article(connection, record, datetime.datetime.now(datetime.timezone.utc))
            store_books(connection, folder.resolve(), read_all=True)
            changed(connection)


def forget_missing(engine: Engine, folder: Path, slug: str) -> None:
    """Forget the articles called `slug` whose files are gone (Pressroom has just deleted or replaced them)."""
    folder = folder.resolve()
    with writing(engine) as connection:
        paths = connection.execute(select(articles.c.path).where(articles.c.slug == slug)).scalars()
        remove_articles(connection, [path for path in paths if not (folder / path).is_file()])
        store_books(connection, folder, read_all=True)
        changed(connection)


def _gone(engine: Engine, folder: Path, known: int) -> list[str]:
    """The paths the index holds whose files are gone; looked for only when the index holds more than the
    `known` rows the walk found (a file stored by another process since it was looked at is not gone)."""
    with engine.connect() as connection:
        if connection.execute(select(func.count()).select_from(articles)).scalar_one() <= known:
            return []
        found = {name for name, _ in Library(folder).stats()}
        return [name for name in connection.execute(select(articles.c.path)).scalars()
                if name not in found and not (folder / name).is_file()]


def _stats_of(connection, names: list[str]) -> list:
    """The index's (path, size, mtime_ns) of the files `names`: the names sent as one value (a JSON array,
    a PostgreSQL array), which the engines look up twice as fast as a thousand bound parameters."""
    if connection.dialect.name == "sqlite":
        query = ("SELECT path, size, mtime_ns FROM articles WHERE path IN (SELECT value FROM json_each(:names))",
                 json.dumps(names))
    else:
        query = "SELECT path, size, mtime_ns FROM articles WHERE path = ANY(:names)", names
    return connection.execute(text(query[0]), {"names": query[1]}).all()


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _same_bytes(engine: Engine, folder: Path, name: str) -> bool:
    """Whether the file `name` holds the bytes the index read (only its time changed)."""
    with engine.connect() as connection:
        digest = connection.execute(select(articles.c.digest).where(articles.c.path == name)).scalar()
    try:
        return file_digest((folder / name).read_bytes()) == digest
    except OSError:
        return False


def _stamp(connection, name: str, value: str) -> None:
    connection.execute(delete(state).where(state.c.name == name))
    connection.execute(insert(state).values(name=name, value=value))
