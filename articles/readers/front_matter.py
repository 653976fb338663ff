"""YAML front matter: split it from a Markdown source and validate it into `Metadata` fields, each
text as written and made XML-clean."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from ...errors import ContentError
from ..content.characters import without_unheld_characters
from ..content.quotes import curl_quotes
from ..model import Author
from .yaml_loader import Located, YamlLoader, quoted

MAX_FRONT_MATTER_CHARS = 64 * 1024
_FENCE = re.compile(r"^---[ \t]*$")
_LANGUAGE_KEY = re.compile(r"^(lang|language)[ \t]*:")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
TEXT_FIELDS = ("title", "subtitle", "description", "publisher", "rights", "series", "identifier",
               "cover", "source_url")
# Where text is expected, a value is its source text: `title: 1984` is "1984", `title: yes` is "yes".
WRITTEN_FIELDS = set(TEXT_FIELDS) | {"author", "authors", "lang", "language", "subjects", "keywords"}
KNOWN_FIELDS = WRITTEN_FIELDS | {"date", "series_position"}
# The fields that are prose, whose straight quotes become the language's: never an address or identifier.
PROSE_FIELDS = ("title", "subtitle", "description", "publisher", "rights", "series")
# Text that may run over several lines; in every other field a line break is folded to a space.
MULTILINE_FIELDS = ("description", "rights")
_FOLDED = re.compile("[ \t\n\r\f\v\x85\u2028\u2029]+")  # line breaks and ASCII spaces
# Characters XML 1.0 cannot hold (YAML escapes such as "\x01", "\u0085" or "\ud800" can write them).


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


def declaring_language(text: str, language: str) -> str:
    """The source `text` (Markdown or plain text) with front matter declaring `language` (`lang:`),
    in place of any language it declared; front matter is added when it has none."""
    front, body, _ = split_front_matter(Path("source"), text)
    kept = []
    for line in (front or "").split("\n") if front else []:
        if _LANGUAGE_KEY.match(line) or (kept and kept[-1] is None and line[:1] in (" ", "\t")):
            kept.append(None)  # the key, and the indented lines that continue its value
        else:
            kept.append(line)
    lines = [f"lang: {language}", *(line for line in kept if line is not None)]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def parse_front_matter(path: Path, text: str) -> dict[str, Located]:
    """Parse the front matter (which starts on the file's line 2); each value comes with its file line."""
    if len(text) > MAX_FRONT_MATTER_CHARS:
        raise ContentError(path, f"the front matter is longer than {MAX_FRONT_MATTER_CHARS} characters",
                           line=2, fix="keep only the article's metadata there")
    return YamlLoader(path, subject="front matter", first_line=2, as_written=WRITTEN_FIELDS).load_mapping(text)


def metadata_fields(path: Path, front: dict[str, Located]) -> tuple[dict[str, Any], list[str]]:
    """Validate parsed front matter into keyword arguments for `Metadata`, and the warnings about
    what was removed from its text."""
    fields: dict[str, Any] = {}
    warnings: list[str] = []
    for name, (value, line) in front.items():
        if name not in KNOWN_FIELDS:
            continue
        if value is None:
            continue
        if name in TEXT_FIELDS:
            fields[name] = text_value(path, name, value, line, warnings)
        elif name in ("author", "authors"):
            fields["authors"] = people(path, name, value, line, warnings)
        elif name in ("lang", "language"):
            language = text_value(path, name, value, line, warnings)
            if not LANGUAGE_TAG.match(language):
                raise ContentError(path, f"'{name}' is {quoted(language)}, not a language tag", line=line,
                                   fix="use a BCP 47 tag such as 'en', 'fr' or 'pt-BR'")
            fields["language"] = language
        elif name == "date":
            fields["date"] = _date(path, value, line)
        elif name in ("subjects", "keywords"):
            values = value if isinstance(value, list) else [value]
            fields["subjects"] = tuple(text_value(path, name, item, line, warnings) for item in values)
        elif name == "series_position":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ContentError(path, f"'series_position' must be a whole number, not {quoted(value)}",
                                   line=line, fix="write e.g. 'series_position: 2'")
            fields["series_position"] = value
    return fields, warnings


def text_value(path: Path, name: str, value: Any, line: int, warnings: list[str]) -> str:
    """The text of field `name` as written, without the characters XML cannot hold (a warning says
    so), its line breaks folded to spaces unless the field may have several lines."""
    if not isinstance(value, str):
        raise ContentError(path, f"'{name}' must be text, not {_kind(type(value).__name__)}", line=line,
                           fix=f"write '{name}: some text' on one line")
    value, removed = without_unheld_characters(path, value, line, name)
    warnings += removed
    # Folded on ASCII whitespace only: a no-break space ("North\u00a0Korea") is the author's choice.
    text = value.strip() if name in MULTILINE_FIELDS else _FOLDED.sub(" ", value).strip(" ")
    if not text:
        raise ContentError(path, f"'{name}' is empty", line=line, fix=f"give '{name}' a value or remove it")
    return text


def people(path: Path, name: str, value: Any, line: int, warnings: list[str]) -> tuple[Author, ...]:
    items = value if isinstance(value, list) else [value]
    authors = []
    for item in items:
        if isinstance(item, dict):
            if "name" not in item:
                raise ContentError(path, f"an entry of '{name}' has no 'name'", line=line,
                                   fix="write '- name: Ada Lovelace' (and optionally 'file_as: Lovelace, Ada')")
            file_as = item.get("file_as")
            authors.append(Author(text_value(path, name, item["name"], line, warnings),
                                  text_value(path, "file_as", file_as, line, warnings) if file_as is not None else None))
        else:
            authors.append(Author(text_value(path, name, item, line, warnings)))
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


def curled_fields(fields: dict[str, Any], marks: tuple[str, str, str, str]) -> dict[str, Any]:
    """`fields` with the straight quotes of each prose field (and of the authors' names) made `marks`."""
    curled = {name: curl_quotes(value, marks) if name in PROSE_FIELDS else value for name, value in fields.items()}
    if "authors" in curled:
        curled["authors"] = tuple(Author(curl_quotes(author.name, marks), author.file_as) for author in curled["authors"])
    return curled
