"""What the web UI's views share, kept in `app.extensions`: the library, the limits, made editions."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, current_app, request

from ..articles import Article, Library
from ..exporters import Edition, EditionPlan, ExportLimits, ExportOptions, chosen_options, export_set
from .cache import EditionCache

EXTENSION = "pressroom"


@dataclass
class WebState:
    """The export limits of this app and the editions it made recently."""

    limits: ExportLimits
    editions: EditionCache = field(default_factory=EditionCache)


def state() -> WebState:
    return current_app.extensions[EXTENSION]


def library() -> Library:
    return Library(current_app.config["CONTENT_DIR"])


def find_article(slug: str) -> Article:
    article = library().find(slug)
    if article is None:
        abort(404, f"There is no article called “{slug}” in the library.")
    return article


def requested_options() -> ExportOptions:
    """The edition options of this request's query; a form's hidden "off" before a ticked box's "on"
    means the last value wins."""
    return chosen_options({name: request.args.getlist(name)[-1] for name in request.args})


def edition(article: Article, plan: EditionPlan, options: ExportOptions) -> Edition:
    """The planned edition of `article`, from the cache when the article and what it reads are unchanged."""
    key = plan.key(article)
    made = state().editions.get(key)
    if made is None:
        made = export_set(article, [plan.exporter.name], options, state().limits)[plan.exporter.name]
        state().editions.put(key, made)
    return made
