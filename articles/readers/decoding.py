"""What every reader shares: the source's size limit and decoding, and what it returns to `read_article`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...errors import ContentError
from ..model import Asset, Metadata, PageSources, Section

MAX_SOURCE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class ReadResult:
    """A reader's findings: metadata, sections, the local files its HTML names (`asset_hrefs`, loaded
    by `read_article`) or the images it took in itself (`assets`), warnings, and (a web page's) what
    it read the page from (`page`, its bytes left for `read_article` to fill in)."""

    metadata: Metadata
    sections: tuple[Section, ...]
    asset_hrefs: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    assets: tuple[Asset, ...] = ()
    page: PageSources | None = None


class Reader:
    """A reader of text sources typed by hand (UTF-8, at most MAX_SOURCE_BYTES); subclasses set the
    extensions they read and `read(path, text, language)`, and may decode their bytes otherwise.
    `language` is the one the user chose, over what the source declares (None: the source's, else
    the one its text is detected to be in; see language.py)."""

    file_extensions: tuple[str, ...] = ()
    max_source_bytes = MAX_SOURCE_BYTES

    def decode(self, path: Path, data: bytes) -> str:
        return decode_source(path, data)


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
