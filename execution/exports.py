"""Editions made in a limited worker process: the one way the CLI, the web UI and queue workers export."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..articles import Publication
from ..exporters import (
    Edition,
    ExportOptions,
    make_editions,
    plan_editions,
    refuse_early,
    rehearse_engines,
)
from .child import ExportJob, run_isolated
from .limits import ExportLimits


def export_set(article: Publication, formats: Sequence[str], options: Mapping[str, Any] | None = None,
               limits: ExportLimits | None = None) -> dict[str, Edition]:
    """The editions of `article` in `formats`, made together in one worker process within `limits`
    (time, memory); the print layout is made once, however many editions mark its pages.

    The CLI, the web UI and queue workers all come through here; ExportFailed says why not.
    """
    plans = plan_editions(formats, options)
    refuse_early(article, plans)
    limits = limits or ExportLimits()
    label = " and ".join(plan.exporter.label for plan in plans)
    job = ExportJob(make_editions, article, label, limits, (plans, options or ExportOptions()))
    return run_isolated(job, rehearsal=rehearse_engines)


def export(article: Publication, format_name: str, options: Mapping[str, Any] | None = None,
           limits: ExportLimits | None = None) -> bytes:
    """The main file of one edition (see `export_set`)."""
    return export_set(article, [format_name], options, limits)[format_name].main.data
