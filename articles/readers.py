"""Reading a source file into an `Article`: picks the reader by extension, decodes, finds assets."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .assets import load_asset
from .errors import ContentError
from .markdown_reader import MarkdownReader
from .model import Article
from .text_reader import TextReader

MAX_SOURCE_BYTES = 2 * 1024 * 1024
MAX_SECTIONS = 2000
# C0 controls other than tab and line feed, and the two non-characters: not allowed in XML 1.0.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
READERS = (TextReader(), MarkdownReader())


def supported_extensions() -> tuple[str, ...]:
    return tuple(ext for reader in READERS for ext in reader.file_extensions)


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
    return read_article_bytes(path, data)


def read_article_bytes(path: Path, data: bytes) -> Article:
    """Read an article whose source bytes are `data`; `path` names it and locates its images."""
    reader = _reader_for(path)
    if len(data) > MAX_SOURCE_BYTES:
        raise ContentError(path, f"the file is larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MiB",
                           fix="split it into several articles")
    text, cleaning = without_control_characters(path, decode_source(path, data))
    result = reader.read(path, text)
    if len(result.sections) > MAX_SECTIONS:
        raise ContentError(path, f"the article has {len(result.sections)} sections; Pressroom makes editions "
                           f"of at most {MAX_SECTIONS}", fix="split it into several articles")
    assets = tuple(load_asset(path, href) for href in result.asset_hrefs)
    digest = hashlib.sha256(data)
    for asset in assets:
        digest.update(asset.href.encode() + b"\0" + asset.path.read_bytes())
    return Article(slug=slug_for(path), metadata=result.metadata, sections=result.sections,
                   source_path=path, digest=digest.hexdigest(), assets=assets,
                   warnings=cleaning + result.warnings)


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


def slug_for(path: Path) -> str:
    """The article's URL and file name: its file name without extension, in safe characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug[:80].rstrip("-") or "article"


def _reader_for(path: Path):
    extension = path.suffix.lower().lstrip(".")
    for reader in READERS:
        if extension in reader.file_extensions:
            return reader
    known = ", ".join(f".{ext}" for ext in supported_extensions())
    raise ContentError(path, f"Pressroom cannot read '.{extension}' files" if extension
                       else "the file has no extension", fix=f"use one of {known}")
