"""Periodicals on the queue: the beat's scheduler, which reads the periodicals folder again at every
tick (a new or changed YAML needs no restart), and the task a worker runs to make an issue."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from celery.beat import ScheduleEntry, Scheduler
from celery.schedules import crontab

from ..articles import PressroomError
from ..articles.webimport.fetching import allowed_hosts_from_environment
from ..periodicals.definition import periodicals_folder

PERIODICAL_TASK_NAME = "pressroom.periodical"
CONTENT_SETTING = "pressroom_content"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def run_periodical_job(task, payload: Any) -> dict[str, Any]:
    """The periodical task: make an issue of the periodical the payload names (a slug of this worker's
    periodicals folder, never a path), send it where its YAML says; {"made": summary} or {"error": ...}."""
    from ..periodicals.definition import read_periodical
    from ..periodicals.issue import make_issue
    from ..periodicals.publishing import publish_issue

    name = payload.get("periodical") if isinstance(payload, dict) else None
    content = task.app.conf.get(CONTENT_SETTING)
    if not isinstance(name, str) or not _SLUG.match(name) or not content:
        return {"error": "the job names no periodical of this worker's periodicals folder"}
    definition = periodicals_folder(Path(content)) / f"{name}.yaml"
    try:
        periodical = read_periodical(definition)
        outcome = make_issue(periodical, Path(content), allowed_hosts_from_environment())
        if outcome.manifest:
            published = publish_issue(periodical, outcome.manifest, Path(content), None)
            if published.problems:
                return {"made": outcome.summary, "error": "; ".join(published.problems)}
        return {"made": outcome.summary}
    except PressroomError as error:
        return {"error": str(error)}


class PeriodicalScheduler(Scheduler):
    """Celery beat's scheduler for the periodicals of the content folder in the app's settings: each
    YAML file an entry on its `schedule:`, read again at every tick; a file that cannot be read is
    left out (its error logged) until it is corrected."""

    def setup_schedule(self) -> None:
        self.data: dict[str, ScheduleEntry] = {}
        self._read_folder()

    @property
    def schedule(self) -> dict[str, ScheduleEntry]:
        self._read_folder()
        return self.data

    @schedule.setter
    def schedule(self, value) -> None:
        self.data = value

    def _read_folder(self) -> None:
        from ..periodicals.definition import read_periodical

        content = self.app.conf.get(CONTENT_SETTING)
        folder = periodicals_folder(Path(content)) if content else None
        entries: dict[str, ScheduleEntry] = {}
        for path in sorted(folder.glob("*.yaml")) if folder and folder.is_dir() else ():
            try:
                periodical = read_periodical(path)
            except PressroomError as error:
                self._warn(error)
                continue
            if not _SLUG.match(periodical.slug):
                continue
            cron = crontab(*periodical.schedule.split(), app=self.app)
            key = periodical.slug
            earlier = self.data.get(key) if isinstance(getattr(self, "data", None), dict) else None
            if earlier is not None and earlier.schedule == cron:
                entries[key] = earlier
                continue
            entries[key] = ScheduleEntry(name=key, task=PERIODICAL_TASK_NAME, schedule=cron, args=(),
                                         kwargs={"payload": {"periodical": key}}, app=self.app)
        self.data = entries

    def _warn(self, error: PressroomError) -> None:
        from celery.utils.log import get_logger

        get_logger(__name__).warning("periodical left out of the schedule: %s", error)
