"""What the catalogue database keeps of each periodical: the items already in an issue, and its issues."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, func, insert, select

from ..catalogue.database import connect, database_url, migrate, writing
from ..catalogue.schema import periodical_issues, periodical_items


@dataclass(frozen=True)
class IssueRecord:
    """An issue made: its number, the day it was made, its book's slug and its articles' folders."""

    number: int
    made: datetime.date
    book: str
    articles: tuple[str, ...]


class PeriodicalRecords:
    """The records of the periodicals of the content folder `content_dir`, in its catalogue's database."""

    def __init__(self, content_dir: Path, url: str | None = None) -> None:
        self.engine: Engine = connect(url or database_url(content_dir))
        migrate(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def seen(self, periodical: str) -> set[str]:
        """The keys of the items already in an issue of `periodical`."""
        with self.engine.connect() as connection:
            return set(connection.execute(select(periodical_items.c.item_key)
                                          .where(periodical_items.c.periodical == periodical)).scalars())

    def issues(self, periodical: str) -> list[IssueRecord]:
        """The issues of `periodical` kept, newest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(periodical_issues).where(periodical_issues.c.periodical == periodical)
                                      .order_by(periodical_issues.c.number.desc())).all()
        return [IssueRecord(row.number, row.made, row.book, tuple(filter(None, row.articles.split("\n"))))
                for row in rows]

    def next_number(self, periodical: str) -> int:
        """The number the next issue of `periodical` takes: one past the highest ever recorded."""
        with self.engine.connect() as connection:
            highest = connection.execute(select(func.max(periodical_items.c.issue))
                                         .where(periodical_items.c.periodical == periodical)).scalar()
            kept = connection.execute(select(func.max(periodical_issues.c.number))
                                      .where(periodical_issues.c.periodical == periodical)).scalar()
        return max(highest or 0, kept or 0) + 1

    def record_issue(self, periodical: str, issue: IssueRecord, item_keys: list[str]) -> None:
        """Keep `issue`, and its items as seen, in one transaction."""
        with writing(self.engine) as connection:
            connection.execute(insert(periodical_issues).values(
                periodical=periodical, number=issue.number, made=issue.made, book=issue.book,
                articles="\n".join(issue.articles)))
            if item_keys:
                connection.execute(insert(periodical_items), [
                    {"periodical": periodical, "item_key": key, "issue": issue.number} for key in item_keys])

    def forget_issue(self, periodical: str, number: int) -> None:
        """Drop the record of a pruned issue; its items stay seen, so that they never come back."""
        with writing(self.engine) as connection:
            connection.execute(delete(periodical_issues).where(periodical_issues.c.periodical == periodical,
                                                               periodical_issues.c.number == number))
