"""Periodicals in the web UI: each one of periodicals/ beside the content folder with its issues, and
"make an issue now" (one small route, for a role to guard)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for

from ..errors import ContentError, PressroomError
from ..periodicals.definition import Periodical, periodicals_folder, read_periodical
from ..periodicals.issue import make_issue
from ..periodicals.records import IssueRecord, PeriodicalRecords
from .auth import editor, reader
from .security import csrf_valid

blueprint = Blueprint("periodicals", __name__, url_prefix="/periodicals")


@dataclass(frozen=True)
class Listed:
    """A periodical as the page lists it: its file's name, its title, its issues, or why it cannot be read."""

    slug: str
    title: str
    issues: tuple[IssueRecord, ...] = ()
    problem: str | None = None


@blueprint.get("/")
@reader
def index():
    content = Path(current_app.config["CONTENT_DIR"])
    folder = periodicals_folder(content)
    listed = []
    records = PeriodicalRecords(content, current_app.config.get("DATABASE"))
    try:
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
            try:
                periodical = read_periodical(path)
            except ContentError as error:
                where = f", line {error.line}" if error.line else ""
                listed.append(Listed(path.stem, path.stem, problem=f"{path.name}{where}: {error.problem}"))
                continue
            listed.append(Listed(periodical.slug, periodical.title, tuple(records.issues(periodical.slug))))
    finally:
        records.close()
    return render_template("web/periodicals.html.jinja", periodicals=listed, folder=folder)


@blueprint.post("/<slug>/issues")
@editor
def make_now(slug: str):
    if not csrf_valid(session, request.form.get("csrf_token")):
        abort(400, "The form has expired. Reload the page and send it again.")
    periodical = _periodical(slug)
    try:
        outcome = make_issue(periodical, Path(current_app.config["CONTENT_DIR"]),
                             tuple(current_app.config.get("ALLOWED_FETCH_HOSTS", ())), database=current_app.config.get("DATABASE"))
    except PressroomError as error:
        abort(422, f"No issue of {periodical.title} could be made: {error}")
    for missing in outcome.missing_feeds:
        flash(f"Missing from the issue: {missing}")
    flash(outcome.summary)
    return redirect(url_for("periodicals.index"), code=303)


def _periodical(slug: str) -> Periodical:
    path = periodicals_folder(Path(current_app.config["CONTENT_DIR"])) / f"{slug}.yaml"
    if "/" in slug or slug.startswith(".") or not path.is_file():
        abort(404, "There is no such periodical.")
    try:
        return read_periodical(path)
    except ContentError as error:
        abort(422, f"The periodical cannot be read: {error}")
