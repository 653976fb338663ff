"""What a catalogue feed shows of each article beyond a listing's hit (authors one by one, subjects, when
the file changed, the opening of its text), and the names to browse by (authors, languages), in pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sqlalchemy import Engine, func, select, text

from .schema import article_authors, articles, state

OPENING_CHARS = 300


@dataclass(frozen=True)
class Details:
    """An article's authors and subjects as written, when its file last changed, and its text's opening."""

    authors: tuple[str, ...]
    subjects: tuple[str, ...]
    modified: datetime.datetime
    opening: str


@dataclass(frozen=True)
class Names:
    """A page (from 1, of `pages`) of names to browse by, each with how many articles it has."""

    names: list[tuple[str, int]]
    page: int
    pages: int


def details(engine: Engine, paths: list[str]) -> dict[str, Details]:
    """The details of the articles at `paths` (in the content folder), by path."""
    if not paths:
        return {}
    with engine.connect() as connection:
        rows = connection.execute(select(articles.c.id, articles.c.path, articles.c.mtime_ns, articles.c.subjects)
                                  .where(articles.c.path.in_(paths))).all()
        ids = [row.id for row in rows]
        authors: dict[int, list[str]] = {}
        for row in connection.execute(select(article_authors.c.article_id, article_authors.c.name)
                                      .where(article_authors.c.article_id.in_(ids))
                                      .order_by(article_authors.c.article_id)):
            authors.setdefault(row.article_id, []).append(row.name)
        key = "rowid" if connection.dialect.name == "sqlite" else "article_id"
        openings = dict(connection.execute(text(
            f"SELECT {key}, substr(body, 1, {OPENING_CHARS * 2}) FROM article_words "
            f"WHERE {key} IN ({','.join(str(int(i)) for i in ids) or 'NULL'})")).all())
    return {row.path: Details(tuple(authors.get(row.id, ())), tuple(filter(None, row.subjects.split("\n"))),
                              datetime.datetime.fromtimestamp(row.mtime_ns / 1e9, tz=datetime.timezone.utc),
                              opening_of(openings.get(row.id) or ""))
            for row in rows}


def opening_of(body: str) -> str:
    """The first words of `body`, cut at a space, with an ellipsis when there is more."""
    words = " ".join(body.split())
    if len(words) <= OPENING_CHARS:
        return words
    cut = words.rfind(" ", 0, OPENING_CHARS)
    return words[:cut if cut > 0 else OPENING_CHARS] + "…"


def author_names(engine: Engine, page: int, per_page: int) -> Names:
    """The authors of the library, by name, with their articles' counts."""
    return _names(engine, article_authors.c.name, [], page, per_page)


def language_names(engine: Engine, page: int, per_page: int) -> Names:
    """The languages of the library's articles, by code, with their articles' counts."""
    return _names(engine, articles.c.language, [articles.c.language != ""], page, per_page)


def _names(engine: Engine, column, conditions: list, page: int, per_page: int) -> Names:
    with engine.connect() as connection:
        total = connection.execute(select(func.count(func.distinct(column))).where(*conditions)).scalar_one()
        pages = max(1, -(-total // per_page))
        page = min(max(page, 1), pages)
        rows = connection.execute(select(column, func.count().label("n")).where(*conditions).group_by(column)
                                  .order_by(column).limit(per_page).offset((page - 1) * per_page)).all()
    return Names([(str(name), count) for name, count in rows], page, pages)


def last_changed(engine: Engine) -> tuple[str, datetime.datetime | None]:
    """The index's generation (it changes whenever the index does) and when it last changed, if known."""
    with engine.connect() as connection:
        found = dict(connection.execute(select(state.c.name, state.c.value)
                                        .where(state.c.name.in_(["generation", "changed_at", "last_walk"]))).all())
    when = found.get("changed_at") or found.get("last_walk")
    return found.get("generation", ""), datetime.datetime.fromisoformat(when) if when else None
