"""Pasted text as an article file: its kind (Markdown or plain text) told by its shape, its name by its title."""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import ContentError
from ..readers.front_matter import split_front_matter
from ..readers.language import DEFAULT_LANGUAGE
from ..readers.sources import reader_for, without_control_characters
from .uploads import UploadedFile

KINDS = ("md", "txt")
MAX_NAME_CHARS = 80
# Markdown's own syntax, each unlikely in plain prose: a `#` heading, a setext underline, a fence,
# a table rule, emphasis, a link or image, a quote, a bullet.
_MARKDOWN = re.compile(
    r"^#{1,6}\s+\S"
    r"|^(=+|-+)[ \t]*$"
    r"|^(```|~~~)"
    r"|^\|?[ \t]*:?-{3,}:?[ \t]*\|"
    r"|(?P<strong>\*\*|__)[^\s*_].*?(?P=strong)"
    r"|(?<![\w*])\*[^\s*][^*\n]*(?<!\s)\*(?![\w*])"
    r"|(?<![\w_])_[^\s_][^_\n]*(?<!\s)_(?![\w_])"
    r"|!?\[[^\]\n]+\]\([^)\s]+\)"
    r"|^>[ \t]"
    r"|^[ \t]*[-*+][ \t]+\S",
    re.MULTILINE)
_TITLE_LINE = re.compile(r"^title:[ \t]*[\"']?(.*?)[\"']?[ \t]*$", re.MULTILINE)
_NUMBERED = re.compile(r"^[ \t]*\d{1,4}[.)]\s")
# What a file name cannot hold: folders and control characters (leading dots, which hide a file, are stripped).
_NOT_IN_A_NAME = re.compile(r"[/\\\x00-\x1f\x7f]+")


def pasted_kind(text: str) -> str:
    """"md" for text with front matter, a `#` heading or other Markdown syntax (a list of numbered
    lines too); "txt" for a first line and paragraphs, numbered paragraphs ("1. ...") included."""
    if re.match(r"---[ \t]*\n", text.lstrip("\ufeff")) or _MARKDOWN.search(text):
        return "md"
    lines = text.split("\n")
    # Numbered lines one under the other are a Markdown list; numbered paragraphs are the sample's items.
    if any(_NUMBERED.match(line) and _NUMBERED.match(following) for line, following in zip(lines, lines[1:])):
        return "md"
    return "txt"


def pasted_file(text: str, kind: str = "detect", name: str = "") -> UploadedFile:
    """The article file a paste makes: of `kind` ("detect" tells it by the text), named `name` or else
    after the article's title."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # a form sends its lines ended by CR LF
    kind = kind if kind in KINDS else pasted_kind(text)
    name = _file_name(name) or _file_name(_title(text, kind)) or "pasted article"
    return UploadedFile(f"{name}.{kind}", text.encode("utf-8"))


def _title(text: str, kind: str) -> str:
    """The title the article will have (front matter, `#` heading or first line), or "" when the text
    cannot be read (adding it then says why)."""
    path = Path(f"pasted.{kind}")
    reader = reader_for(path)
    try:
        return reader.read(path, without_control_characters(path, text.replace("\r\n", "\n"))[0],
                           DEFAULT_LANGUAGE).metadata.title  # a file name: no need to tell the language
    except ContentError:
        return _first_line(text)


def _first_line(text: str) -> str:
    """The front matter's title line as written, else the text's first line."""
    try:
        front_matter, body, _ = split_front_matter(Path("pasted.md"), text)
    except ContentError:  # front matter never closed
        front_matter, body = None, text
    written = _TITLE_LINE.search(front_matter or "")
    if written:
        return written.group(1)
    return next((line.strip().lstrip("#").strip() for line in body.split("\n") if line.strip(" -")), "")


def _file_name(text: str) -> str:
    """`text` (a typed name, or the title) as a file name: "Yes/No" is "Yes No"."""
    return " ".join(_NOT_IN_A_NAME.sub(" ", text).split())[:MAX_NAME_CHARS].strip(" .")
