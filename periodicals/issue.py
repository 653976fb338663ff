"""Making one issue of a periodical: its feeds fetched, the items no earlier issue held imported into
the library, bound as a book (a part per feed) whose manifest records the day, the oldest issues pruned."""

from __future__ import annotations

import datetime
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..articles.library.folder import Library
from ..articles.webimport.fetching import Fetcher
from ..errors import PressroomError
from ..files import write_atomically
from .definition import Periodical
from .feeds import FeedItem, FeedUnavailable, fetch_feed
from .items import import_item
from .records import IssueRecord, PeriodicalRecords


@dataclass
class IssueOutcome:
    """What one run made: the issue's number and manifest (None when there was nothing new, or
    another run was making it), the feeds left out and why, and what else a reader should know."""

    periodical: Periodical
    number: int | None = None
    manifest: Path | None = None
    articles: int = 0
    missing_feeds: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    pruned: list[int] = field(default_factory=list)
    busy: bool = False

    @property
    def summary(self) -> str:
        """The line the run ends with."""
        title = self.periodical.title
        if self.busy:
            return f"{title}: an issue is being made by another run at this moment; this one makes none"
        if self.number is None:
            return f"{title}: no new item in its feeds since the last issue; no issue made"
        return (f"{title}: issue {self.number}, {self.articles} article{'s' if self.articles != 1 else ''}"
                + (f", without {len(self.missing_feeds)} feed{'s' if len(self.missing_feeds) != 1 else ''}"
                   if self.missing_feeds else ""))


def issue_slug(periodical: Periodical, number: int) -> str:
    """The name of an issue's book in the content folder."""
    return f"{periodical.slug}-issue-{number}"


def make_issue(periodical: Periodical, content_dir: Path, allowed_hosts: tuple[str, ...] = (),
               today: datetime.date | None = None, database: str | None = None) -> IssueOutcome:
    """Make the next issue of `periodical` in the content folder `content_dir`, dated `today` (by
    default the day in UTC), unless another run is making one or no feed has a new item."""
    content_dir = Path(content_dir)
    content_dir.mkdir(parents=True, exist_ok=True)
    outcome = IssueOutcome(periodical)
    with _one_run(content_dir, periodical) as alone:
        if not alone:
            outcome.busy = True
            return outcome
        records = PeriodicalRecords(content_dir, database)
        try:
            _make(periodical, content_dir, allowed_hosts, today or datetime.datetime.now(datetime.timezone.utc).date(),
                  records, outcome)
        finally:
            records.close()
    return outcome


def _make(periodical: Periodical, content_dir: Path, allowed_hosts: tuple[str, ...], today: datetime.date,
          records: PeriodicalRecords, outcome: IssueOutcome) -> None:
    seen = records.seen(periodical.slug)
    news: list[tuple[int, list[FeedItem]]] = []
    for index, feed in enumerate(periodical.feeds):
        try:
            items = fetch_feed(feed, Fetcher(allowed_hosts))
        except FeedUnavailable as error:
            outcome.missing_feeds.append(f"{feed.title} ({error})")
            continue
        fresh = [item for item in items if item.key not in seen]
        if fresh:
            news.append((index, fresh))
    if not news:
        return
    library = Library(content_dir)
    number = records.next_number(periodical.slug)
    parts, stored, keys = [], [], []
    try:
        for index, items in news:
            feed = periodical.feeds[index]
            entries = []
            for item in items:
                try:
                    article, page_problem = import_item(library, feed, item, allowed_hosts)
                except PressroomError as error:
                    outcome.notices.append(f"{feed.title}: “{item.title}” is left out: {error}")
                    continue
                if page_problem:
                    outcome.notices.append(f"{feed.title}: “{item.title}”: its page could not be imported "
                                           f"({page_problem}); the feed's summary stands in, marked as such")
                stored.append(article.source_path.parent)
                entries.append(article.source_path.relative_to(content_dir).as_posix())
                keys.append(item.key)
            if entries:
                parts.append({"title": feed.title, "articles": entries})
        if not parts:
            return
        manifest = content_dir / f"{issue_slug(periodical, number)}.yaml"
        write_atomically(manifest, _manifest_text(periodical, number, today, parts, outcome.missing_feeds), new=True)
        records.record_issue(periodical.slug, IssueRecord(number, today, manifest.stem,
                                                          tuple(path.name for path in stored)), keys)
    except BaseException:
        for folder in stored:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    outcome.number, outcome.manifest, outcome.articles = number, manifest, len(keys)
    outcome.pruned = _prune(periodical, content_dir, records)


def _manifest_text(periodical: Periodical, number: int, day: datetime.date, parts: list[dict],
                   missing_feeds: list[str]) -> bytes:
    """The issue's manifest: the day in its title and `date` (so that it rebuilds to the same bytes),
    the periodical as its series, the issue's number as its position."""
    fields: dict = {
        "title": f"{periodical.title}, {_day_in_words(day, periodical.language or 'en')}",
        "subtitle": f"No. {number}",
        "date": day.isoformat(),
        "series": periodical.title,
        "series_position": number,
    }
    if periodical.language:
        fields["language"] = periodical.language
    if missing_feeds:
        fields["description"] = "Missing from this issue: " + "; ".join(missing_feeds)
    fields["parts"] = parts
    return yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000).encode("utf-8")


def _day_in_words(day: datetime.date, language: str) -> str:
    from babel.core import UnknownLocaleError
    from babel.dates import format_date

    try:
        return format_date(day, format="long", locale=language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return day.isoformat()


def _prune(periodical: Periodical, content_dir: Path, records: PeriodicalRecords) -> list[int]:
    """Delete the issues past the number to keep, oldest first: their books and their articles."""
    pruned = []
    for issue in records.issues(periodical.slug)[periodical.keep:]:
        (content_dir / f"{issue.book}.yaml").unlink(missing_ok=True)
        for name in issue.articles:
            folder = content_dir / name
            if folder.parent == content_dir and name and not name.startswith("."):
                shutil.rmtree(folder, ignore_errors=True)
        records.forget_issue(periodical.slug, issue.number)
        pruned.append(issue.number)
    return pruned


@contextmanager
def _one_run(content_dir: Path, periodical: Periodical) -> Iterator[bool]:
    """Whether this run holds the periodical's lock (a file lock, let go when the run ends or dies)."""
    descriptor = os.open(content_dir / f".periodical-{periodical.slug}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)
