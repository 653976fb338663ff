"""File names for editions: a safe ASCII name and the exact title with the options chosen (RFC 6266 / RFC 8187)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from ..exporters import EditionPlan, Option, declared_options

MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u200e\u200f\u202a-\u202e\u2066-\u2069]+')
# Letters NFKD leaves as they are that have a plain ASCII look-alike ("6 × 9 in" is "6 x 9 in").
_ASCII_LOOK_ALIKES = str.maketrans({"×": "x", "–": "-", "—": "-", "’": "'"})


def options_read(plan: EditionPlan) -> list[tuple[Option, Any]]:
    """Each option the planned edition reads, with its value: the format's own, then the print layout's
    when the edition marks its pages."""
    declared = declared_options()
    read = [(option, plan.settings[option.name]) for option in plan.exporter.options]
    return read + [(declared[name], value) for name, value in (plan.pages_settings or {}).items()]


def option_words(plan: EditionPlan) -> list[str]:
    """The options of the edition that differ from their defaults, in words: ["A5", "no cover"]. Only
    what the format reads counts (an HTML edition has no page size)."""
    words = []
    for option, value in options_read(plan):
        if value == option.default or (option.default is None and not value):
            continue
        if option.choices:
            words.append(option.choices[value].replace("(", "").replace(")", ""))
        else:
            label = option.label[:1].lower() + option.label[1:]
            words.append(label if value else f"no {label}")
    return words


def edition_filename(title: str, extension: str, words: Sequence[str] = ()) -> tuple[str, str]:
    """(ASCII fallback, full Unicode name) for an edition of the article titled `title`, made with the
    options `words` name: `Title (A5, no cover).pdf`."""
    clean = " ".join(_UNSAFE.sub(" ", title).split())[:MAX_NAME_CHARS].strip(" .") or "article"
    if words:
        clean += " (" + ", ".join(" ".join(_UNSAFE.sub(" ", word).split()) for word in words) + ")"
    ascii_name = unicodedata.normalize("NFKD", clean.translate(_ASCII_LOOK_ALIKES)).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]+", "", ascii_name)
    ascii_name = re.sub(r"\s+", "-", ascii_name.strip()).strip("-.") or "article"
    return f"{ascii_name}.{extension}", f"{clean}.{extension}"


def content_disposition(title: str, extension: str, words: Sequence[str] = ()) -> str:
    """An `attachment` header value any browser saves under a safe name."""
    ascii_name, full_name = edition_filename(title, extension, words)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(full_name, safe='')}"
