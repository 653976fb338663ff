"""What a web page says of itself (title, OpenGraph, JSON-LD, meta author, lang, canonical) as `Metadata`."""

from __future__ import annotations

import datetime
import json
import re
from urllib.parse import urlsplit

from lxml import etree

from ..content.characters import NOT_HELD
from ..model import Author, Metadata
from ..readers.front_matter import LANGUAGE_TAG

_MAX_FIELD = 500
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A byline's words that only introduce or join its date ("By Jane Doe, updated on 3 May").
_DATE_JOINERS = {"on", "at", "updated", "published", "posted", "am", "pm"}
_NUMBER = re.compile(r"^\d[\d:/.-]*(?:st|nd|rd|th)?$")
_NAMED_META = etree.XPath("//meta[@property=$name or @name=$name]")
_JSON_LD = etree.XPath("//script[@type='application/ld+json']")


def page_metadata(tree, found, page_url: str | None, fallback_title: str, language: str) -> Metadata:
    """The metadata of the page `tree` (lxml), from what trafilatura `found` and the page's own tags;
    `page_url` is where it was fetched from (its canonical address otherwise); `language` its text's."""
    source_url = page_url or _web_address(found.url) or _web_address(_meta(tree, "og:url"))
    title = _clean(found.title) or _clean(_meta(tree, "og:title")) or fallback_title
    return Metadata(
        title=title,
        authors=tuple(Author(name) for name in _authors(found.author, _date(found.date))),
        language=language,
        date=_date(found.date),
        description=_clean(found.description),
        publisher=_clean(found.sitename) or (urlsplit(source_url).hostname if source_url else None),
        source_url=source_url,
    )


def _meta(tree, name: str) -> str | None:
    for element in _NAMED_META(tree, name=name):
        if element.get("content", "").strip():
            return element.get("content").strip()
    return None


def _clean(text: str | None) -> str | None:
    text = re.sub(r"\s+", " ", NOT_HELD.sub("", text or ""))[:_MAX_FIELD].strip()
    return text or None


def _authors(text: str | None, date: datetime.date | None) -> list[str]:
    """trafilatura joins several authors with "; "; each is the name alone (see `_name_only`)."""
    names = [_name_only(_clean(name) or "", date) for name in (text or "").split(";")]
    return list(dict.fromkeys(name for name in names if name))[:20]


def _name_only(name: str, date: datetime.date | None) -> str:
    """`name` without a leading "By" and the date a byline glued after it ("Jane Doe November 3",
    "By Jane Doe, 12 March 2024"): trailing numbers, weekdays, and month names that precede a number
    or are the month of the page's `date`, so that "Theresa May" stays whole in other months."""
    words = re.sub(r"^by\s+", "", name, flags=re.IGNORECASE).split()
    cut = False
    while len(words) > 1:
        word = words[-1].strip(",.;:|·•–—-").lower()
        month = next((index + 1 for index, full in enumerate(_MONTHS) if len(word) >= 3 and full.startswith(word)), None)
        weekday = word in _WEEKDAYS or (cut and len(word) >= 3 and any(day.startswith(word) for day in _WEEKDAYS))
        if not word or _NUMBER.match(word) or weekday:
            words.pop()
        elif month is not None and (cut or (date is not None and date.month == month)):
            words.pop()
        elif cut and word in _DATE_JOINERS:
            words.pop()
        else:
            break
        cut = True
    return " ".join(words).rstrip(",;:|·•–—- ") if cut else " ".join(words)


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def declared_language(tree) -> str | None:
    """`<html lang>`, else OpenGraph's locale, else JSON-LD's inLanguage; None when none is a tag."""
    for candidate in _declared_languages(tree):
        tag = (candidate or "").strip().replace("_", "-")
        if LANGUAGE_TAG.match(tag):
            return tag
    return None


def _declared_languages(tree):
    """The languages the page declares, in order of trust; each looked for only if those before are no tag."""
    yield tree.get("lang")
    yield tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    yield _meta(tree, "og:locale")
    for script in _JSON_LD(tree):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and isinstance(item.get("inLanguage"), str):
                yield item["inLanguage"]


def _web_address(url: str | None) -> str | None:
    return url if url and urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname else None
