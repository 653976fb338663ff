"""What the catalogue keeps of one article file: its stat and hash, its metadata, its text for search."""

from __future__ import annotations

import datetime
import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..articles import Article, ContentError
from ..articles.content.characters import NOT_HELD
from ..articles.readers.sources import read_article_bytes, slug_for

_TAG = re.compile(r"<[^>]*>")
# Scripts written without spaces between words: their text is searched as substrings (trigrams).
UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                       "\uf900-\ufaff\uac00-\ud7af]")


@dataclass(frozen=True)
class ArticleRecord:
    """One row of the index: where the file is (`path` in the content folder), how it was when read,
    and what it says (or `error`, why it cannot be read)."""

    path: str
    slug: str
    size: int
    mtime_ns: int
    digest: str
    title: str
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    byline: str = ""
    author_key: str = ""
    language: str = ""
    published: datetime.date | None = None
    words: int = 0
    minutes: int = 0
    source_url: str | None = None
    site: str | None = None
    series: str | None = None
    subjects: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str | None = None
    body: str = ""

    @property
    def unspaced(self) -> bool:
        """Whether its text is in a script written without spaces (so it is indexed by trigrams too)."""
        return bool(UNSPACED.search(self.title + self.body[:2000]))


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_record(folder: Path, path: Path) -> ArticleRecord | None:
    """The record of the article file at `path` in `folder`; None if it vanished meanwhile."""
    try:
        data = path.read_bytes()
        stat = path.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        return _broken(folder, path, None, b"", f"{path}: cannot be read: {error.strerror}")
    modified = datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.timezone.utc)
    try:
        article = read_article_bytes(path, data, modified)
    except ContentError as error:
        return _broken(folder, path, stat, data, str(error))
    return article_record(folder, article, stat.st_size, stat.st_mtime_ns, file_digest(data))


def article_record(folder: Path, article: Article, size: int, mtime_ns: int, digest: str) -> ArticleRecord:
    meta = article.metadata
    names = tuple(author.name for author in meta.authors)
    first = meta.authors[0] if meta.authors else None
    return ArticleRecord(
        path=article.source_path.relative_to(folder).as_posix(), slug=article.slug, size=size, mtime_ns=mtime_ns,
        digest=digest, title=meta.title, subtitle=meta.subtitle, authors=names, byline=meta.byline,
        author_key=((first.file_as or first.name) if first else "").casefold(), language=meta.language,
        published=meta.date, words=article.word_count, minutes=article.reading_minutes,
        source_url=meta.source_url, site=_site(meta.source_url), series=meta.series, subjects=meta.subjects,
        warnings=article.warnings, body=_clean(" \n".join(f"{section.title}\n{_text(section.html)}"
                                                         for section in article.sections)))


def _broken(folder: Path, path: Path, stat, data: bytes, error: str) -> ArticleRecord:
    name = path.relative_to(folder).as_posix()
    return ArticleRecord(path=name, slug=slug_for(path), size=stat.st_size if stat else 0,
                         mtime_ns=stat.st_mtime_ns if stat else 0, digest=file_digest(data), title=name,
                         error=_clean(error))


def _text(markup: str) -> str:
    return html.unescape(_TAG.sub(" ", markup))


def _clean(text: str) -> str:
    return NOT_HELD.sub(" ", text)


def _site(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return host or None
