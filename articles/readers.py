"""Reading a source file into an `Article`: picks the reader by extension, decodes, finds assets."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import importlib
import os
import re
from pathlib import Path

from .assets import load_asset
from .errors import ContentError
from .model import Article, Metadata

MAX_SOURCE_BYTES = 2 * 1024 * 1024
MAX_SECTIONS = 2000
# C0 controls other than tab and line feed, and the two non-characters: not allowed in XML 1.0.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Each reader by the extensions it reads: (module, class), imported when an article of its kind is
# read, so that reading plain text never loads the Markdown parser.
READERS = {
    ("txt",): ("text_reader", "TextReader"),
    ("md", "markdown"): ("markdown_reader", "MarkdownReader"),
}


def supported_extensions() -> tuple[str, ...]:
    return tuple(ext for extensions in READERS for ext in extensions)


def read_article(path: Path | str) -> Article:
    """Read the article at `path` (a `.txt` or `.md` file, with its images beside it)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(path, "no such file", fix="check the path") from None
    except IsADirectoryError:
        raise ContentError(path, "this is a folder, not an article file",
                           fix="name a .txt or .md file") from None
    except OSError as error:
        raise ContentError(path, f"cannot be read: {error.strerror}") from None
    return read_article_bytes(path, data, _modified(path))


def read_article_bytes(path: Path, data: bytes, modified: datetime.datetime | None = None,
                       dated: datetime.datetime | None = None) -> Article:
    """Read an article whose source bytes are `data`; `path` names it and locates its images.

    `modified` is when the source last changed, which dates an undated article's editions when
    SOURCE_DATE_EPOCH is not set (default: the modification time of the file at `path`, if any);
    `dated` is that date already resolved where the article was first read (a queued job's).
    """
    reader = _reader_for(path)
    if len(data) > MAX_SOURCE_BYTES:
        raise ContentError(path, f"the file is larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MiB",
                           fix="split it into several articles")
    text, cleaning = without_control_characters(path, decode_source(path, data))
    result = reader.read(path, text)
    metadata, escaped = _metadata_without_control_characters(path, result.metadata)
    if len(result.sections) > MAX_SECTIONS:
        raise ContentError(path, f"the article has {len(result.sections)} sections; Pressroom makes editions "
                           f"of at most {MAX_SECTIONS}", fix="split it into several articles")
    assets = tuple(load_asset(path, href) for href in result.asset_hrefs)
    date = dated or edition_date(metadata, modified or _modified(path))
    digest = hashlib.sha256(data)
    for asset in assets:
        digest.update(asset.href.encode() + b"\0" + asset.path.read_bytes())
    digest.update(b"\0" + date.isoformat().encode())  # the editions print it
    return Article(slug=slug_for(path), metadata=metadata, sections=result.sections,
                   source_path=path, digest=digest.hexdigest(), edition_date=date, assets=assets,
                   warnings=cleaning + escaped + result.warnings)


def edition_date(metadata: Metadata, modified: datetime.datetime | None) -> datetime.datetime:
    """The date the article's editions carry (in UTC, to the second): its own date, else
    SOURCE_DATE_EPOCH, else when its source last changed, else (bytes with no file) when it was read."""
    if metadata.date is not None:
        return datetime.datetime(metadata.date.year, metadata.date.month, metadata.date.day,
                                 tzinfo=datetime.timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
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
    text, _ = without_control_characters(path, decode_source(path, data))
    return _reader_for(path).read(path, text).asset_hrefs


def decode_source(path: Path, data: bytes) -> str:
    """UTF-8 text (a leading BOM dropped, line ends made `\\n`), or an error naming the bad line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ContentError(path, f"byte 0x{data[error.start]:02x} is not valid UTF-8", line=line,
                           fix="save the file as UTF-8") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ContentError(path, "the file contains a NUL character, so it is not text", line=line,
                           fix="save the article as plain UTF-8 text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def without_control_characters(path: Path, text: str) -> tuple[str, tuple[str, ...]]:
    """The text without the control characters no edition can hold (XML forbids them), and a
    warning naming the first line that had any."""
    match = _CONTROL.search(text)
    if match is None:
        return text, ()
    line = text.count("\n", 0, match.start()) + 1
    count = len(_CONTROL.findall(text))
    warning = (f"{path}, line {line}: {count} control character{'s' if count > 1 else ''} "
               f"(such as U+{ord(match.group()):04X}) removed: no edition can hold them")
    return _CONTROL.sub("", text), (warning,)


def _metadata_without_control_characters(path: Path, metadata: Metadata) -> tuple[Metadata, tuple[str, ...]]:
    """The metadata without the control characters YAML escapes ("\\a", "\\x1b") put back into it, and
    a warning naming the fields that had any; a title of nothing else is an error."""
    changed: dict[str, object] = {}
    for name, value in vars(metadata).items():
        if isinstance(value, str):
            cleaned = _CONTROL.sub("", value)
        elif name == "subjects":
            cleaned = tuple(_CONTROL.sub("", subject) for subject in value)
        elif name == "authors":
            cleaned = tuple(dataclasses.replace(author, name=_CONTROL.sub("", author.name),
                                                file_as=author.file_as and _CONTROL.sub("", author.file_as))
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
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug[:80].rstrip("-") or "article"


def _reader_for(path: Path):
    extension = path.suffix.lower().lstrip(".")
    for extensions, (module, name) in READERS.items():
        if extension in extensions:
            return _reader(module, name)
    known = ", ".join(f".{ext}" for ext in supported_extensions())
    raise ContentError(path, f"Pressroom cannot read '.{extension}' files" if extension
                       else "the file has no extension", fix=f"use one of {known}")


@functools.lru_cache(maxsize=None)
def _reader(module: str, name: str):
    return getattr(importlib.import_module(f".{module}", __package__), name)()
