"""The words an edition prints itself (contents, cover, colophon...), dates and lists, in the article's language."""

from __future__ import annotations

import datetime
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..locations import PACKAGE_DIR

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
    """One language's catalogue: `say(key, **values)` fills a phrase; dates and lists follow the locale."""

    language: str  # the catalogue's own tag ("en", "nb"...)
    locale: Locale
    phrases: Mapping[str, str]

    def say(self, key: str, **values: object) -> str:
        return self.phrases[key].format(**values)

    def date(self, date: datetime.date) -> str:
        """A date as the language writes it in running text ("21 June 2023", "21. Juni 2023")."""
        from babel.dates import format_date  # reads the zone database: only for editions that print a date

        return format_date(date, format="long", locale=self.locale)

    def names(self, names: Sequence[str]) -> str:
        """Names joined as the language joins them ("A, B and C", "A, B et C")."""
        from babel.lists import format_list

        return format_list(list(names), locale=self.locale)

    def by(self, names: Sequence[str]) -> str:
        """A byline: the authors' names after the language's "By" (some say it differently for several)."""
        key = "by_many" if len(names) > 1 and "by_many" in self.phrases else "by"
        return self.say(key, authors=self.names(names))


def catalogue_languages() -> list[str]:
    """The languages that have a table of their own."""
    return sorted(path.stem for path in CATALOGUE_DIR.glob("*.toml"))


@lru_cache(maxsize=64)
def words_for(language_tag: str) -> Words:
    """The catalogue for a BCP 47 tag ("en-GB", "pt-BR", "ar"): its primary language's table, else English;
    the tag's region still chooses the date format (en-GB "21 June", en-US "June 21")."""
    primary = language_tag.split("-")[0].lower()
    primary = SAME_WORDS.get(primary, primary)
    table = CATALOGUE_DIR / f"{primary}.toml"
    if not table.is_file():
        primary, table = FALLBACK, CATALOGUE_DIR / f"{FALLBACK}.toml"
    phrases = tomllib.loads(table.read_text(encoding="utf-8"))
    return Words(primary, _locale(language_tag, primary), phrases)


def _locale(language_tag: str, fallback: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    for tag in (language_tag, fallback):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(FALLBACK)
