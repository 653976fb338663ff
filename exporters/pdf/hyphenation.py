"""Hyphenation patterns from the user's cache: pyphen parses a language's dictionary on first use in
every process (tens of milliseconds); a cold run reads the parsed patterns back instead."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pyphen

from ..user_cache import cached_bytes

# What a parsed dictionary holds (pyphen 0.x); another shape is never cached, only parsed as usual.
HYPH_DICT_FIELDS = {"patterns", "cache", "maxlen"}


def load_patterns(languages: Iterable[str]) -> None:
    """Give pyphen the parsed dictionaries of `languages` (BCP 47 tags) where it looks for them first
    (`pyphen.hdcache`), from the user's cache, parsing and caching those not there yet."""
    for language in set(languages):
        name = pyphen.language_fallback(language)
        if name is None or pyphen.LANGUAGES[name] in pyphen.hdcache:
            continue
        path = pyphen.LANGUAGES[name]
        stat = path.stat()
        inputs = [str(path), str(stat.st_size), str(stat.st_mtime_ns)]
        data = cached_bytes("hyphenation", inputs, [Path(pyphen.__file__), Path(__file__)],
                            lambda: encoded(pyphen.HyphDict(path)))
        if not data:
            continue
        try:
            pyphen.hdcache[path] = decoded(data)
        except (ValueError, KeyError, TypeError, IndexError):  # a damaged cache file: pyphen parses it again
            continue


def encoded(dictionary: pyphen.HyphDict) -> bytes:
    """A parsed dictionary as JSON: each pattern's start and values, and the nonstandard hyphenations
    (Hungarian "ssz=sz/sz") apart; empty when pyphen's dictionaries have changed shape."""
    if set(vars(dictionary)) != HYPH_DICT_FIELDS:
        return b""
    patterns, alternatives = {}, {}
    for key, (start, values) in dictionary.patterns.items():
        patterns[key] = [start, [int(value) for value in values]]
        special = [[index, *value.data] for index, value in enumerate(values)
                   if isinstance(value, pyphen.DataInt) and value.data is not None]
        if special:
            alternatives[key] = special
    return json.dumps({"maxlen": dictionary.maxlen, "patterns": patterns, "alternatives": alternatives},
                      ensure_ascii=False, separators=(",", ":")).encode()


def decoded(data: bytes) -> pyphen.HyphDict:
    """The dictionary `encoded` wrote; pyphen reads each pattern as (start, values)."""
    content = json.loads(data)
    patterns = content["patterns"]
    for key, special in content["alternatives"].items():
        values = patterns[key][1]
        for index, change, position, cut in special:
            values[index] = pyphen.DataInt(values[index], (change, position, cut))
    dictionary = pyphen.HyphDict.__new__(pyphen.HyphDict)
    dictionary.patterns, dictionary.cache, dictionary.maxlen = patterns, {}, content["maxlen"]
    return dictionary
