"""Reading a source file into an `Article`: picks the reader by extension, decodes, finds assets."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import importlib
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ... import settings
from ...errors import ContentError
from ..content.assets import load_asset
from ..content.characters import NOT_HELD, without_unheld_characters
from ..model import Article, Metadata
from .decoding import Reader
from .language import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from ..webimport.fetching import Fetched, Fetcher

MAX_SECTIONS = 2000
# C0 controls other than tab and line feed, and the two non-characters: not allowed in XML 1.0.
# Each reader by the extensions it reads: (module, class), imported when a source of its kind is read,
# so that reading plain text never loads the Markdown parser or the web-page extractor.
READERS = {
    ("txt",): (".text", "TextReader"),
    ("md", "markdown"): (".markdown", "MarkdownReader"),
    ("html", "htm", "xhtml", "html.gz", "htm.gz", "xhtml.gz"): ("..webimport.page_reader", "HtmlReader"),
}
WEB_PAGE_READER = "..webimport.page_reader"
_NOT_IN_SLUG = re.compile(r"[^a-z0-9]+")


def supported_extensions() -> tuple[str, ...]:
    return tuple(ext for extensions in READERS for ext in extensions)


def stored_extensions() -> tuple[str, ...]:
    """The sources a library stores as they are; a web page is stored as the Markdown its import makes."""
    return tuple(ext for extensions, (module, _) in READERS.items() if module != WEB_PAGE_READER
                 for ext in extensions)


def read_article(path: Path | str, language: str | None = None) -> Article:
    """Read the article at `path` (a `.txt`, `.md` or saved web page, with its images beside it);
    `language`, when given, is the language of its text, over what the source declares."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(path, "no such file", fix="check the path") from None
    except IsADirectoryError:
        raise ContentError(path, "this is a folder, not an article file",
                           fix="name a .txt, .md or .html file") from None
    except OSError as error:
        raise ContentError(path, f"cannot be read: {error.strerror}") from None
    return read_article_bytes(path, data, _modified(path), language=language)


def is_web_address(source: str) -> bool:
    """Whether the source a user named is a web address (to fetch) rather than a file."""
    return source.lower().startswith(("http://", "https://"))


def read_source(source: str | Path, allowed_hosts: tuple[str, ...] = (), language: str | None = None) -> Article:
    """The article a user named: a file, or a web page fetched (with its images) from `source`,
    where a host that is not public is reached only if `allowed_hosts` names it; `language` as
    `read_article` takes it."""
    if is_web_address(str(source)):
        from ..webimport.fetching import Fetcher

        return read_web_article(str(source), Fetcher(allowed_hosts), language)
    return read_article(source, language)


def read_web_article(url: str, fetcher: Fetcher, language: str | None = None) -> Article:
    """Fetch the page at `url` and read it; its images are fetched through the same `fetcher`."""
    return read_fetched_page(fetch_page(url, fetcher), fetcher, language)


def fetch_page(url: str, fetcher: Fetcher) -> Fetched:
    """The web page at `url`, or an error if the address gives something else."""
    from ..webimport.fetching import MAX_PAGE_BYTES

    page = fetcher.fetch(url, MAX_PAGE_BYTES, accept="text/html,application/xhtml+xml")
    if page.media_type not in ("", "text/html", "application/xhtml+xml"):
        raise ContentError(url, f"the address gives {page.media_type}, not a web page",
                           fix="name the address of the article's page")
    return page


def read_fetched_page(page: Fetched, fetcher: Fetcher, language: str | None = None,
                      dated: datetime.datetime | None = None) -> Article:
    """The article of a fetched `page`; its images are fetched through the same `fetcher`; `dated` as
    `read_article_bytes` takes it."""
    from ..webimport.page_reader import HtmlReader

    return read_article_bytes(Path(f"{_address_slug(page.url)}.html"), page.data, dated=dated,
                              reader=HtmlReader(url=page.url, fetcher=fetcher), language=language)


def is_web_page(path: Path) -> bool:
    """Whether the source at `path` is a web page (stored in a library as the Markdown its import makes)."""
    return any(_extension(path) in extensions for extensions, (module, _) in READERS.items()
               if module == WEB_PAGE_READER)


def _address_slug(url: str) -> str:
    """A file name for a fetched page: its address's last part, else its host."""
    parts = urlsplit(url)
    last = parts.path.rstrip("/").rpartition("/")[2]
    return slug_for(Path(last)) if last and slug_for(Path(last)) != "article" else slug_for(Path((parts.hostname or "page").replace(".", "-")))


def read_article_bytes(path: Path, data: bytes, modified: datetime.datetime | None = None,
                       dated: datetime.datetime | None = None, reader: Reader | None = None,
                       language: str | None = None) -> Article:
    """Read an article whose source bytes are `data`; `path` names it and locates its images.

    `modified` is when the source last changed, which dates an undated article's editions when
    SOURCE_DATE_EPOCH is not set (default: the modification time of the file at `path`, if any);
    `dated` is that date already resolved where the article was first read (a queued job's).
    `reader` reads it instead of the one its extension picks (a page fetched from the web);
    `language` is the language of its text, over what the source declares (None: the source's own,
    else the one it is detected to be in).
    """
    reader = reader or reader_for(path)
    if len(data) > reader.max_source_bytes:
        raise ContentError(path, f"the file is larger than {reader.max_source_bytes // (1024 * 1024)} MiB",
                           fix="split it into several articles")
    text, cleaning = without_control_characters(path, reader.decode(path, data))
    result = reader.read(path, text, language)
    metadata, escaped = _metadata_without_control_characters(path, result.metadata)
    if len(result.sections) > MAX_SECTIONS:
        raise ContentError(path, f"the article has {len(result.sections)} sections; Pressroom makes editions "
                           f"of at most {MAX_SECTIONS}", fix="split it into several articles")
    assets = tuple(load_asset(path, href) for href in result.asset_hrefs) + result.assets
    date = dated or edition_date(metadata, modified or _modified(path))
    digest = hashlib.sha256(data)
    for asset in assets:
        digest.update(asset.href.encode() + b"\0" + asset.read_bytes())
    digest.update(b"\0" + date.isoformat().encode())  # the editions print it
    return Article(slug=slug_for(path), metadata=metadata, sections=result.sections,
                   source_path=path, digest=digest.hexdigest(), edition_date=date, assets=assets,
                   warnings=cleaning + escaped + result.warnings,
                   page=result.page and dataclasses.replace(result.page, data=data))


def edition_date(metadata: Metadata, modified: datetime.datetime | None) -> datetime.datetime:
    """The date the article's editions carry (in UTC, to the second): its own date, else
    SOURCE_DATE_EPOCH, else when its source last changed, else (bytes with no file) when it was read."""
    if metadata.date is not None:
        return datetime.datetime(metadata.date.year, metadata.date.month, metadata.date.day,
                                 tzinfo=datetime.timezone.utc)
    epoch = settings.text("SOURCE_DATE_EPOCH")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc)
    moment = modified or datetime.datetime.now(datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc).replace(microsecond=0)


def _modified(path: Path) -> datetime.datetime | None:
    """When the file at `path` last changed, or None when there is no such file."""
    try:
        return datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.timezone.utc)
    except OSError:
        return None


def referenced_files(path: Path, data: bytes) -> tuple[str, ...]:
    """The local files (images) the article at `path` with source `data` uses, without loading them."""
    reader = reader_for(path)
    text, _ = without_control_characters(path, reader.decode(path, data))
    return reader.read(path, text, DEFAULT_LANGUAGE).asset_hrefs  # the files used are the same in every language


def without_control_characters(path: Path, text: str) -> tuple[str, tuple[str, ...]]:
    """The decoded text without the characters no edition can hold, and a warning naming the first
    line that had any."""
    return without_unheld_characters(path, text)


def _metadata_without_control_characters(path: Path, metadata: Metadata) -> tuple[Metadata, tuple[str, ...]]:
    """The metadata without the control characters YAML escapes ("\\a", "\\x1b") put back into it, and
    a warning naming the fields that had any; a title of nothing else is an error."""
    changed: dict[str, object] = {}
    for name, value in vars(metadata).items():
        if isinstance(value, str):
            cleaned = NOT_HELD.sub("", value)
        elif name == "subjects":
            cleaned = tuple(NOT_HELD.sub("", subject) for subject in value)
        elif name == "authors":
            cleaned = tuple(dataclasses.replace(author, name=NOT_HELD.sub("", author.name),
                                                file_as=author.file_as and NOT_HELD.sub("", author.file_as))
                            for author in value)
        else:
            continue
        if cleaned != value:
            changed[name] = cleaned
    if not changed:
        return metadata, ()
    if not changed.get("title", metadata.title).strip():
        raise ContentError(path, "the title holds only control characters", fix="give the article a title in words")
    return dataclasses.replace(metadata, **changed), (
        f"{path}: control characters removed from the front matter's {', '.join(changed)}: no edition can hold them",)


def slug_for(path: Path) -> str:
    """The article's URL and file name: its file name without extension, in safe characters."""
    extension = _extension(path)
    stem = path.name[:-len(extension) - 1] if extension else path.name
    slug = _NOT_IN_SLUG.sub("-", stem.lower()).strip("-")
    return slug[:80].rstrip("-") or "article"


def _extension(path: Path) -> str:
    """The file's extension, lower-case, without the dot; a compressed file's with its own ("html.gz")."""
    suffixes = [suffix.lower().lstrip(".") for suffix in path.suffixes[-2:]]
    if len(suffixes) == 2 and suffixes[1] == "gz":
        return ".".join(suffixes)
    return suffixes[-1] if suffixes else ""


def reader_for(path: Path) -> Reader:
    extension = _extension(path)
    for extensions, (module, name) in READERS.items():
        if extension in extensions:
            return _reader(module, name)
    known = ", ".join(f".{ext}" for ext in supported_extensions())
    raise ContentError(path, f"Pressroom cannot read '.{extension}' files" if extension
                       else "the file has no extension", fix=f"use one of {known}")


@functools.lru_cache(maxsize=None)
def _reader(module: str, name: str) -> Reader:
    return getattr(importlib.import_module(module, __package__), name)()
