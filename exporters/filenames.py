"""File names of editions: the exact title with the options chosen, and a safe ASCII fallback (downloads and
attachments name an edition alike)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from .base import Option
from .registry import EditionPlan, declared_options

# A download's name: at most this many characters (its ASCII fallback: bytes), and in UTF-8 within
# what file systems hold in one name (255 bytes), so a long title neither swells the header nor fails to save.
MAX_NAME_CHARS = 100
MAX_NAME_BYTES = 240
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
    what the format reads counts (an HTML edition has no page size). An edition whose file type another
    shares names itself first ("print-ready"), so that two downloads never take one name."""
    words = list(plan.exporter.file_words)
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
    options `words` name: `Title (A5, no cover).pdf`. A long title is cut (at a word where it can be)
    before the options are, and the extension never is."""
    title = " ".join(_UNSAFE.sub(" ", title).split()).strip(" .")
    shown = [" ".join(_UNSAFE.sub(" ", word).split()) for word in words]
    options = f" ({', '.join(shown)})" if shown else ""
    full_name = _named(title or "article", options, f".{extension}", " ")
    ascii_options = "".join(f"-{_ascii(word)}" for word in shown if _ascii(word))
    ascii_name = _named(_ascii(title) or "article", ascii_options, f".{extension}", "-")
    return ascii_name, full_name


def _named(title: str, options: str, extension: str, space: str) -> str:
    """`title` + `options` + `extension` within MAX_NAME_CHARS (and MAX_NAME_BYTES): the title cut
    first, then the options."""
    if _fits(title + options + extension):
        return title + options + extension
    if len((options + extension).encode("utf-8")) > MAX_NAME_CHARS // 2:  # they would leave the title little room
        return _cut(title + options, space, extension) + extension
    return _cut(title, space, options + extension) + options + extension


def _cut(text: str, space: str, tail: str) -> str:
    """The longest start of `text` that fits before `tail`, ended at a `space` when one falls in its
    last third."""
    cut = text[:max(MAX_NAME_CHARS - len(tail), 1)]
    while len(cut) > 1 and not _fits(cut + tail):
        cut = cut[:-1]
    at_word = cut.rfind(space, len(cut) * 2 // 3)
    return (cut[:at_word] if at_word > 0 else cut).rstrip(" .-,")


def _fits(name: str) -> bool:
    return len(name) <= MAX_NAME_CHARS and len(name.encode("utf-8")) <= MAX_NAME_BYTES


def _ascii(text: str) -> str:
    """`text` in letters, digits and `._-` only, its spaces made hyphens ("" when it has no ASCII look-alikes)."""
    plain = unicodedata.normalize("NFKD", text.translate(_ASCII_LOOK_ALIKES)).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._ -]+", "", plain)
    return re.sub(r"\s+", "-", plain.strip()).strip("-.")
