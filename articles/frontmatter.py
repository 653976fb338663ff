"""YAML front matter: split it from a Markdown source and validate it into `Metadata` fields."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from .errors import ContentError
from .model import Author
from .yaml_loader import Located, YamlLoader, quoted

MAX_FRONT_MATTER_CHARS = 64 * 1024
_FENCE = re.compile(r"^---[ \t]*$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
TEXT_FIELDS = ("title", "subtitle", "description", "publisher", "rights", "series", "identifier",
               "cover", "source_url")
KNOWN_FIELDS = set(TEXT_FIELDS) | {"author", "authors", "lang", "language", "date", "subjects",
                                   "keywords", "series_position"}


def split_front_matter(path: Path, text: str) -> tuple[str | None, str, int]:
    """Return (front matter, body, the body's first line number) of a Markdown source."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return None, text, 1
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]) or lines[index].rstrip() == "...":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise ContentError(path, "the front matter opened by '---' is never closed", line=1,
                       fix="end it with a line holding only '---'")


def parse_front_matter(path: Path, text: str) -> dict[str, Located]:
    """Parse the front matter (which starts on the file's line 2); each value comes with its file line."""
    if len(text) > MAX_FRONT_MATTER_CHARS:
        raise ContentError(path, f"the front matter is longer than {MAX_FRONT_MATTER_CHARS} characters",
                           line=2, fix="keep only the article's metadata there")
    return YamlLoader(path, subject="front matter", first_line=2).load_mapping(text)


def metadata_fields(path: Path, front: dict[str, Located]) -> dict[str, Any]:
    """Validate parsed front matter into keyword arguments for `Metadata`."""
    fields: dict[str, Any] = {}
    for name, (value, line) in front.items():
        if name not in KNOWN_FIELDS:
            continue
        if value is None:
            continue
        if name in TEXT_FIELDS:
            fields[name] = _text(path, name, value, line)
        elif name in ("author", "authors"):
            fields["authors"] = _authors(path, name, value, line)
        elif name in ("lang", "language"):
            language = _text(path, name, value, line)
            if not LANGUAGE_TAG.match(language):
                raise ContentError(path, f"'{name}' is {quoted(language)}, not a language tag", line=line,
                                   fix="use a BCP 47 tag such as 'en', 'fr' or 'pt-BR'")
            fields["language"] = language
        elif name == "date":
            fields["date"] = _date(path, value, line)
        elif name in ("subjects", "keywords"):
            values = value if isinstance(value, list) else [value]
            fields["subjects"] = tuple(_text(path, name, item, line) for item in values)
        elif name == "series_position":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ContentError(path, f"'series_position' must be a whole number, not {quoted(value)}",
                                   line=line, fix="write e.g. 'series_position: 2'")
            fields["series_position"] = value
    return fields


def _text(path: Path, name: str, value: Any, line: int) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        kind = type(value).__name__
        raise ContentError(path, f"'{name}' must be text, not {_kind(kind)}", line=line,
                           fix=f"write '{name}: some text' on one line")
    text = str(value).strip()
    if not text:
        raise ContentError(path, f"'{name}' is empty", line=line, fix=f"give '{name}' a value or remove it")
    return text


def _authors(path: Path, name: str, value: Any, line: int) -> tuple[Author, ...]:
    items = value if isinstance(value, list) else [value]
    authors = []
    for item in items:
        if isinstance(item, dict):
            if "name" not in item:
                raise ContentError(path, f"an entry of '{name}' has no 'name'", line=line,
                                   fix="write '- name: Ada Lovelace' (and optionally 'file_as: Lovelace, Ada')")
            file_as = item.get("file_as")
            authors.append(Author(_text(path, name, item["name"], line),
                                  _text(path, "file_as", file_as, line) if file_as is not None else None))
        else:
            authors.append(Author(_text(path, name, item, line)))
    return tuple(authors)


def _date(path: Path, value: Any, line: int) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ContentError(path, f"'date' is {quoted(value)}, which is not a calendar date", line=line,
                       fix="write it as YYYY-MM-DD, e.g. 'date: 2024-03-01'")


def _kind(type_name: str) -> str:
    return {"list": "a list", "dict": "a mapping", "NoneType": "empty"}.get(type_name, type_name)
