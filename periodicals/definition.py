"""Reading a periodical's YAML file (periodicals/NAME.yaml beside the content folder) into a `Periodical`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..articles.readers.front_matter import LANGUAGE_TAG, text_value
from ..articles.readers.sources import is_web_address, slug_for
from ..articles.readers.yaml_loader import Located, YamlLoader, quoted, read_yaml_file, without_lines
from ..errors import ContentError, PressroomError

MAX_DEFINITION_CHARS = 64 * 1024
# However many items a feed has, and however many its `items:` asks for, an issue takes at most this many from it.
MAX_ITEMS_PER_FEED = 100
MAX_FEEDS = 50
DEFAULT_ITEMS = 10
DEFAULT_KEEP = 7
DEFAULT_SCHEDULE = "0 6 * * *"
KNOWN_KEYS = ("title", "language", "feeds", "formats", "options", "schedule", "send", "keep")
FEED_KEYS = ("url", "title", "items", "content")
CONTENT_KINDS = ("page", "feed")
_FEED_FIX = "write each feed as '- url: https://example.org/feed.xml' with 'title:' under it"


@dataclass(frozen=True)
class Feed:
    """One feed of a periodical: its address, the title of its part of each issue, how many items it
    gives an issue at most, and whether each item's page is fetched ("page") or the feed's own
    content used ("feed"); `line` is where the YAML lists it."""

    url: str
    title: str
    items: int
    content: str
    line: int


@dataclass(frozen=True)
class Periodical:
    """A periodical as its YAML file describes it."""

    path: Path
    slug: str
    title: str
    language: str | None
    feeds: tuple[Feed, ...]
    formats: tuple[str, ...]
    options: dict[str, Any]
    schedule: str
    send_to: tuple[str, ...]
    keep: int
    digest: str


def periodicals_folder(content_dir: Path) -> Path:
    """The folder of a content folder's periodicals: `periodicals/` beside it."""
    return Path(content_dir).resolve().parent / "periodicals"


def read_periodical(path: Path | str) -> Periodical:
    """The periodical the YAML file at `path` describes; a ContentError naming its line and the fix otherwise."""
    path = Path(path)
    data, text = read_yaml_file(path, "periodical", MAX_DEFINITION_CHARS,
                                "check the path of the periodical's .yaml file", "list its feeds and settings only")
    values = YamlLoader(path, subject="periodical", as_written=("title", "language", "schedule"),
                        located=("feeds", "formats", "send", "options")).load_mapping(text)
    for key, (_, line) in values.items():
        if key not in KNOWN_KEYS:
            raise ContentError(path, f"a periodical has no key {quoted(key)}", line=line,
                               fix=f"use only {', '.join(KNOWN_KEYS)}")
    warnings: list[str] = []
    if "title" not in values or values["title"].value is None:
        raise ContentError(path, "the periodical has no title", line=values["title"].line if "title" in values else 1,
                           fix="add a line 'title: The Morning Paper'")
    title = text_value(path, "title", values["title"].value, values["title"].line, warnings)
    language = None
    if "language" in values:
        language = text_value(path, "language", values["language"].value, values["language"].line, warnings)
        if not LANGUAGE_TAG.match(language):
            raise ContentError(path, f"'language' is {quoted(language)}, not a language tag",
                               line=values["language"].line, fix="use a BCP 47 tag such as 'en', 'fr' or 'pt-BR'")
    return Periodical(
        path=path, slug=slug_for(path), title=title, language=language, feeds=_feeds(path, values, warnings),
        formats=_formats(path, values), options=_options(path, values), schedule=_schedule(path, values),
        send_to=_addresses(path, values), keep=_whole_number(path, values, "keep", DEFAULT_KEEP, 1, 1000),
        digest=hashlib.sha256(data).hexdigest())


def _feeds(path: Path, values: dict[str, Located], warnings: list[str]) -> tuple[Feed, ...]:
    if "feeds" not in values:
        raise ContentError(path, "the periodical lists no feeds", line=1,
                           fix="add 'feeds:' with a '- url: https://example.org/feed.xml' under it")
    feeds, line = values["feeds"]
    if not isinstance(feeds, list) or not feeds:
        raise ContentError(path, "'feeds' must be a list of feeds", line=line, fix=_FEED_FIX)
    if len(feeds) > MAX_FEEDS:
        raise ContentError(path, f"the periodical lists {len(feeds)} feeds; an issue binds at most {MAX_FEEDS}",
                           line=line, fix="split it into several periodicals")
    read, seen = [], {}
    for feed, feed_line in feeds:
        if not isinstance(feed, dict) or "url" not in feed:
            raise ContentError(path, "each feed needs a 'url'", line=feed_line, fix=_FEED_FIX)
        unknown = sorted(set(feed) - set(FEED_KEYS))
        if unknown:
            raise ContentError(path, f"a feed has no key {quoted(unknown[0])}", line=feed[unknown[0]].line,
                               fix=f"give a feed only {', '.join(FEED_KEYS)}")
        url = text_value(path, "url", without_lines(feed["url"]), feed["url"].line, warnings)
        if not is_web_address(url):
            raise ContentError(path, f"{quoted(url)} is not a web address", line=feed["url"].line,
                               fix="give the feed's http:// or https:// address")
        if url in seen:
            raise ContentError(path, f"the feed {quoted(url)} is listed twice (first on line {seen[url]})",
                               line=feed_line, fix="list each feed once")
        seen[url] = feed_line
        title = (text_value(path, "title", without_lines(feed["title"]), feed["title"].line, warnings) if "title" in feed
                 else url)
        items = _whole_number(path, {key: Located(without_lines(value), value.line) for key, value in feed.items()},
                              "items", DEFAULT_ITEMS, 1, MAX_ITEMS_PER_FEED)
        content = without_lines(feed["content"]) if "content" in feed else "page"
        if content not in CONTENT_KINDS:
            raise ContentError(path, f"'content' is {quoted(content)}", line=feed["content"].line,
                               fix="write 'content: page' (fetch each item's page) or 'content: feed' "
                                   "(use the feed's own text)")
        read.append(Feed(url, title, items, content, feed_line))
    return tuple(read)


def _formats(path: Path, values: dict[str, Located]) -> tuple[str, ...]:
    from ..exporters import plan_editions

    if "formats" not in values:
        return ("epub",)
    formats, line = values["formats"]
    names = [without_lines(item) for item in formats] if isinstance(formats, list) else [without_lines(formats)]
    if not names or not all(isinstance(name, str) and name for name in names):
        raise ContentError(path, "'formats' must be a list of formats", line=line, fix="write 'formats: [epub, pdf]'")
    try:
        plan_editions(names)
    except PressroomError as error:
        raise ContentError(path, str(error), line=line, fix="see `pressroom formats` for the formats there are") from None
    return tuple(dict.fromkeys(names))


def _options(path: Path, values: dict[str, Located]) -> dict[str, Any]:
    from ..exporters import chosen_options

    if "options" not in values:
        return {}
    options, line = values["options"]
    options = without_lines(options)
    if not isinstance(options, dict):
        raise ContentError(path, "'options' must be a mapping of edition options", line=line,
                           fix="write 'options:' with e.g. 'paper: a5' under it (see `pressroom export --help`)")
    try:
        chosen_options(options)
    except PressroomError as error:
        raise ContentError(path, str(error), line=line, fix="see `pressroom export --help` for the options") from None
    return dict(chosen_options(options))


def _schedule(path: Path, values: dict[str, Located]) -> str:
    from celery.schedules import crontab

    if "schedule" not in values or values["schedule"].value is None:
        return DEFAULT_SCHEDULE
    schedule, line = values["schedule"]
    fields = str(schedule).split()
    try:
        if len(fields) != 5:
            raise ValueError("five fields are needed")
        crontab(*fields)
    except (ValueError, TypeError) as error:
        raise ContentError(path, f"'schedule' is {quoted(schedule)}, which is not a cron line ({error})", line=line,
                           fix="write five fields: minute hour day-of-month month day-of-week, e.g. '0 6 * * *'") from None
    return " ".join(fields)


def _addresses(path: Path, values: dict[str, Located]) -> tuple[str, ...]:
    from ..delivery import checked_address

    if "send" not in values:
        return ()
    addresses, line = values["send"]
    items = [(without_lines(item), item.line) for item in addresses] if isinstance(addresses, list) else [(without_lines(addresses), line)]
    checked = []
    for address, address_line in items:
        try:
            checked.append(checked_address(str(address)))
        except PressroomError as error:
            raise ContentError(path, str(error), line=address_line,
                               fix="give each address as '- reader@example.org' under 'send:'") from None
    return tuple(checked)


def _whole_number(path: Path, values: dict[str, Located], key: str, default: int, least: int, most: int) -> int:
    if key not in values:
        return default
    value, line = values[key]
    if isinstance(value, str) and value.strip().isdigit():  # a feed's keys are read as written
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        raise ContentError(path, f"'{key}' is {quoted(value)}, not a whole number from {least} to {most}", line=line,
                           fix=f"write e.g. '{key}: {default}'")
    return value
