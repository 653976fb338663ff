"""Writing records into the index, in each engine's own way: a row per article with its authors and
subjects, its words for full-text search, and its text by trigrams when it is written without spaces."""

from __future__ import annotations

import datetime
import uuid

from sqlalchemy import Connection, delete, insert, select, text, update

from .records import ArticleRecord
from .schema import article_authors, article_subjects, articles, state

# PostgreSQL's text-search configurations by language code; other languages are indexed word for word.
TEXT_CONFIGS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "nb": "norwegian", "ne": "nepali", "nl": "dutch", "nn": "norwegian", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil",
    "tr": "turkish", "yi": "yiddish",
}


def text_config(connection: Connection, language: str) -> str:
    """The text-search configuration for `language` this PostgreSQL server has, else "simple"."""
    known = connection.info.get("pressroom_configs")
    if known is None:
        known = connection.info["pressroom_configs"] = set(
            connection.execute(text("SELECT cfgname FROM pg_ts_config")).scalars())
    name = TEXT_CONFIGS.get(language.split("-")[0].lower(), "simple")
    return name if name in known else "simple"


def store_article(connection: Connection, record: ArticleRecord, now: datetime.datetime) -> None:
    """Index `record`: a new row, or the one of its path updated (when it was added is kept). A file seen
    for the first time was added when it last changed, or `now` if that is later (a clock out of step)."""
    fields = {
        "slug": record.slug, "size": record.size, "mtime_ns": record.mtime_ns, "digest": record.digest,
        "title": record.title, "title_key": record.title.casefold(), "subtitle": record.subtitle,
        "byline": record.byline, "author_key": record.author_key, "language": record.language,
        "published": record.published, "year": record.published.year if record.published else None,
        "words": record.words, "minutes": record.minutes, "source_url": record.source_url, "site": record.site,
        "series": record.series, "subjects": "\n".join(record.subjects), "warnings": "\n".join(record.warnings),
        "error": record.error,
    }
    found = connection.execute(select(articles.c.id).where(articles.c.path == record.path)).scalar()
    if found is None:
        modified = datetime.datetime.fromtimestamp(record.mtime_ns / 1e9, tz=datetime.timezone.utc)
        found = connection.execute(insert(articles).values(path=record.path, added=min(now, modified), **fields)
                                   .returning(articles.c.id)).scalar_one()
    else:
        connection.execute(update(articles).where(articles.c.id == found).values(**fields))
        _forget_text(connection, [found])
    if record.authors:
        connection.execute(insert(article_authors), [{"article_id": found, "name": name} for name in record.authors])
    if record.subjects:
        connection.execute(insert(article_subjects), [{"article_id": found, "name": name} for name in record.subjects])
    _store_text(connection, found, record)


def changed(connection: Connection) -> None:
    """Mark the index changed, and when: counts kept for the index as it was are not used again, and
    feeds made of it are out of date."""
    connection.execute(delete(state).where(state.c.name.in_(["generation", "changed_at"])))
    connection.execute(insert(state).values(name="generation", value=uuid.uuid4().hex))
    connection.execute(insert(state).values(name="changed_at",
                                            value=datetime.datetime.now(datetime.timezone.utc).isoformat()))


def store_stat(connection: Connection, path: str, size: int, mtime_ns: int) -> None:
    """Record that the file at `path` changed its size or time, not its bytes."""
    connection.execute(update(articles).where(articles.c.path == path).values(size=size, mtime_ns=mtime_ns))


def remove_articles(connection: Connection, paths: list[str]) -> None:
    """Forget the articles stored at `paths` (their files are gone)."""
    for start in range(0, len(paths), 500):
        ids = list(connection.execute(select(articles.c.id).where(articles.c.path.in_(paths[start:start + 500])))
                   .scalars())
        if ids:
            _forget_text(connection, ids)
            connection.execute(delete(articles).where(articles.c.id.in_(ids)))


def _forget_text(connection: Connection, ids: list[int]) -> None:
    connection.execute(delete(article_authors).where(article_authors.c.article_id.in_(ids)))
    connection.execute(delete(article_subjects).where(article_subjects.c.article_id.in_(ids)))
    key = "rowid" if connection.dialect.name == "sqlite" else "article_id"
    for table in ("article_words", "article_glyphs"):
        connection.execute(text(f"DELETE FROM {table} WHERE {key} IN ({','.join(str(int(i)) for i in ids)})"))


def _store_text(connection: Connection, found: int, record: ArticleRecord) -> None:
    authors = " ".join(record.authors)
    if connection.dialect.name == "sqlite":
        connection.execute(text("INSERT INTO article_words (rowid, title, authors, body) VALUES (:id, :title, "
                                ":authors, :body)"), {"id": found, "title": record.title, "authors": authors,
                                                     "body": record.body})
        if record.unspaced:
            connection.execute(text("INSERT INTO article_glyphs (rowid, text) VALUES (:id, :text)"),
                               {"id": found, "text": f"{record.title}\n{record.body}"})
        return
    config = text_config(connection, record.language)
    # A title weighs most (A), then the authors (B), then the body (D); PostgreSQL keeps no NUL in text.
    connection.execute(text(
        "INSERT INTO article_words (article_id, config, body, vector) VALUES (:id, :config, :body, "
        "setweight(to_tsvector(CAST(:regconfig AS regconfig), :title), 'A') || "
        "setweight(to_tsvector(CAST(:regconfig AS regconfig), :authors), 'B') || "
        "setweight(to_tsvector(CAST(:regconfig AS regconfig), left(:body, 300000)), 'D'))"),
        {"id": found, "config": config, "regconfig": config, "title": record.title, "authors": authors, "body": record.body})
    if record.unspaced:
        connection.execute(text("INSERT INTO article_glyphs (article_id, text) VALUES (:id, :text)"),
                           {"id": found, "text": f"{record.title}\n{record.body}"})
