"""Curly quotation marks and apostrophes, by the article's language, for text typed with straight ones."""

from __future__ import annotations

import re
import unicodedata

NBSP = "\u00a0"
# (open, close, inner open, inner close), by primary language subtag or full tag; after CLDR and each
# language's printing custom. French sets its guillemets off with no-break spaces.
QUOTE_MARKS: dict[str, tuple[str, str, str, str]] = {
    "en": ("“", "”", "‘", "’"),
    "fr": (f"«{NBSP}", f"{NBSP}»", "“", "”"),
    "de": ("„", "“", "‚", "‘"),
    "es": ("«", "»", "“", "”"),
    "ca": ("«", "»", "“", "”"),
    "it": ("«", "»", "“", "”"),
    "pt": ("“", "”", "‘", "’"),
    "pt-pt": ("«", "»", "“", "”"),
    "nl": ("“", "”", "‘", "’"),
    "sv": ("”", "”", "’", "’"),
    "fi": ("”", "”", "’", "’"),
    "da": ("»", "«", "›", "‹"),
    "nb": ("«", "»", "‘", "’"),
    "nn": ("«", "»", "‘", "’"),
    "no": ("«", "»", "‘", "’"),
    "pl": ("„", "”", "«", "»"),
    "cs": ("„", "“", "‚", "‘"),
    "sk": ("„", "“", "‚", "‘"),
    "sl": ("„", "“", "‚", "‘"),
    "hr": ("„", "“", "‚", "’"),
    "hu": ("„", "”", "»", "«"),
    "ro": ("„", "”", "«", "»"),
    "ru": ("«", "»", "„", "“"),
    "uk": ("«", "»", "„", "“"),
    "bg": ("„", "“", "„", "“"),
    "el": ("«", "»", "“", "”"),
    "tr": ("“", "”", "‘", "’"),
    "ar": ("«", "»", "“", "”"),
    "fa": ("«", "»", "“", "”"),
    "he": ("”", "”", "’", "’"),
    "ja": ("「", "」", "『", "』"),
    "zh": ("“", "”", "‘", "’"),
    "ko": ("“", "”", "‘", "’"),
}
APOSTROPHE = "’"
# Addresses typed in the text keep their characters exactly.
URL = re.compile(r"(?:\b(?:https?|ftp)://|\bmailto:|\bwww\.)[^\s<>]+", re.IGNORECASE)


def quote_marks(language: str) -> tuple[str, str, str, str]:
    """The quotation marks of `language` (a BCP 47 tag such as "fr-CA"); English ones when unknown."""
    tag = language.lower()
    return QUOTE_MARKS.get(tag) or QUOTE_MARKS.get(tag.split("-")[0], QUOTE_MARKS["en"])


def curl_quotes(text: str, marks: tuple[str, str, str, str]) -> str:
    """`text` with its straight quotes paired into `marks` and its apostrophes made ’, as markdown-it's
    typographer does for Markdown: a quote opens before a word and closes after one; one that pairs
    with nothing stays straight, unless it is an apostrophe (between letters, or closing a word)."""
    if '"' not in text and "'" not in text:  # most titles and names: nothing to pair
        return text
    pieces, start = [], 0
    for url in URL.finditer(text):
        pieces += [_curl(text[start:url.start()], marks), url.group()]
        start = url.end()
    return "".join(pieces + [_curl(text[start:], marks)])


def _curl(text: str, marks: tuple[str, str, str, str]) -> str:
    out = list(text)
    open_quotes: list[int] = []  # positions of quotes that may still close
    for index, character in enumerate(text):
        if character not in "\"'":
            continue
        before = text[index - 1] if index > 0 else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        single = character == "'"
        if single and before.isalnum() and after.isalnum():
            out[index] = APOSTROPHE
            continue
        can_open = not after.isspace() and (before.isspace() or _is_punctuation(before))
        can_close = not before.isspace() and (after.isspace() or _is_punctuation(after))
        if can_close:
            match = next((i for i in reversed(range(len(open_quotes))) if text[open_quotes[i]] == character), None)
            if match is not None:
                opening = open_quotes[match]
                del open_quotes[match:]
                out[opening], out[index] = (marks[2], marks[3]) if single else (marks[0], marks[1])
                continue
            if single:
                out[index] = APOSTROPHE
                continue
        if can_open:
            open_quotes.append(index)
    return "".join(out)


def _is_punctuation(character: str) -> bool:
    return unicodedata.category(character)[0] in "PS"
