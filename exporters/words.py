"""The words an edition prints itself (contents, cover, colophon...), dates and lists, in the article's language."""

from __future__ import annotations

import datetime
import importlib.util
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..locations import PACKAGE_DIR
from .user_cache import cached_bytes

if TYPE_CHECKING:
    from babel import Locale

# Beside the templates (the wheel ships templates/**); not through .rendering, which uses this module.
CATALOGUE_DIR = PACKAGE_DIR / "templates" / "words"
FALLBACK = "en"
# Tags whose words another table holds: Norwegian without a written standard and Nynorsk read
# Bokmål better than English; "iw" is Hebrew's withdrawn code.
SAME_WORDS = {"no": "nb", "nn": "nb", "iw": "he"}


@dataclass(frozen=True)
class Words:
    """One language's catalogue: `say(key, **values)` fills a phrase; dates and lists follow the locale
    of `tag` (its region too: en-GB "21 June 2023", en-US "June 21, 2023")."""

    language: str  # the catalogue's own tag ("en", "nb"...)
    tag: str  # the article's BCP 47 tag
    phrases: Mapping[str, str]

    def say(self, key: str, **values: object) -> str:
        return self.phrases[key].format(**values)

    def date(self, date: datetime.date) -> str:
        """A date as the language writes it in running text ("21 June 2023", "21. Juni 2023")."""
        return _formatted("date", self.tag, self.language, date.isoformat())

    def names(self, names: Sequence[str]) -> str:
        """Names joined as the language joins them ("A, B and C", "A, B et C")."""
        if len(names) < 2:  # babel's answer too, without its data
            return names[0] if names else ""
        return _formatted("names", self.tag, self.language, tuple(names))

    def by(self, names: Sequence[str]) -> str:
        """A byline: the authors' names after the language's "By" (some say it differently for several)."""
        key = "by_many" if len(names) > 1 and "by_many" in self.phrases else "by"
        return self.say(key, authors=self.names(names))


def catalogue_languages() -> list[str]:
    """The languages that have a table of their own."""
    return sorted(path.stem for path in CATALOGUE_DIR.glob("*.toml"))


@lru_cache(maxsize=1)
def language_choices() -> tuple[tuple[str, str], ...]:
    """(tag, name) of each language that has a table, named in English and in itself ("German (Deutsch)"),
    in the order of the English names."""
    from babel import Locale

    def name(tag: str) -> str:
        locale = Locale.parse(tag)
        english, own = locale.get_display_name("en"), locale.get_display_name(tag)
        return english if english == own else f"{english} ({own})"

    return tuple(sorted(((tag, name(tag)) for tag in catalogue_languages()), key=lambda choice: choice[1]))


@lru_cache(maxsize=64)
def words_for(language_tag: str) -> Words:
    """The catalogue for a BCP 47 tag ("en-GB", "pt-BR", "ar"): its primary language's table, else English;
    the tag's region still chooses the date format (en-GB "21 June", en-US "June 21")."""
    primary = language_tag.split("-")[0].lower()
    primary = SAME_WORDS.get(primary, primary)
    table = CATALOGUE_DIR / f"{primary}.toml"
    if not table.is_file():
        primary, table = FALLBACK, CATALOGUE_DIR / f"{FALLBACK}.toml"
    return Words(primary, language_tag, _phrases(table))


def _phrases(table: Path) -> dict[str, str]:
    """A table's phrases, kept in the user's cache as JSON by the table's content: importing tomllib and
    parsing the table cost every cold command about 3 ms."""
    text = table.read_text(encoding="utf-8")

    def parse() -> bytes:
        import tomllib

        return json.dumps(tomllib.loads(text), ensure_ascii=False).encode()

    try:
        phrases = json.loads(cached_bytes("word-tables", [text], [Path(__file__)], parse))
        if isinstance(phrases, dict) and all(isinstance(value, str) for value in phrases.values()):
            return phrases
    except ValueError:
        pass
    return json.loads(parse())  # a damaged cache file: the table answers


@lru_cache(maxsize=256)
def _formatted(kind: str, tag: str, language: str, value: str | tuple[str, ...]) -> str:
    """A date (ISO) or a list of names as Babel writes it for the locale, kept in the user's cache:
    Babel's locale data (and, with it, its date module) takes tens of milliseconds to load in each process."""
    key = repr((kind, tag, language, value))

    def make() -> bytes:
        locale = _locale(tag, language)
        if kind == "date":
            from babel.dates import format_date

            text = format_date(datetime.date.fromisoformat(value), format="long", locale=locale)
        else:
            from babel.lists import format_list

            text = format_list(list(value), locale=locale)
        return json.dumps({"for": key, "text": text}, ensure_ascii=False).encode()

    try:
        kept = json.loads(cached_bytes("words", [key], _babel_code(), make))
        if kept["for"] == key and isinstance(kept["text"], str):
            return kept["text"]
    except (ValueError, KeyError, TypeError):
        pass
    return json.loads(make())["text"]  # a damaged cache file: Babel answers


@lru_cache(maxsize=1)
def _babel_code() -> tuple[Path, ...]:
    """The files whose content keys cached words: Babel's (its version is in __init__) and this module."""
    spec = importlib.util.find_spec("babel")
    package = Path(spec.origin).parent
    return (*(package / name for name in ("__init__.py", "core.py", "dates.py", "lists.py")), Path(__file__))


@lru_cache(maxsize=64)
def _locale(language_tag: str, fallback: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    for tag in (language_tag, fallback):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(FALLBACK)
