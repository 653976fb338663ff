"""The exporters on offer (the `pressroom.exporters` entry-point group), the plan of an edition, and
making planned editions in this process (`pressroom.execution` runs that in a limited one)."""

from __future__ import annotations

import gc
import hashlib
import logging
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..articles import Publication
from .base import Edition, Exporter, ExportFailed, ExportOptions, Option, OptionError, UnknownFormat
from .entry_points import entry_points

ENTRY_POINT_GROUP = "pressroom.exporters"
# Listed first, in this order; they are declared in the entry-point group like any plug-in.
BUILTIN_ORDER = ("pdf", "epub", "html", "md")
LOGGER = logging.getLogger("pressroom")


@lru_cache(maxsize=1)
def load_exporters() -> dict[str, Exporter]:
    """Every registered exporter by name, built-ins first; a plug-in that fails to load is skipped."""
    with _collector_paused():
        found = _loaded_exporters()
    order = [name for name in BUILTIN_ORDER if name in found]
    return {name: found[name] for name in order + sorted(set(found) - set(order))}


def _loaded_exporters() -> dict[str, Exporter]:
    found: dict[str, Exporter] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            exporter = entry.load()()
        except Exception as error:  # a broken plug-in must not take the built-ins down with it
            LOGGER.warning("the %r exporter (%s) could not be loaded: %s", entry.name, entry.value, error)
            continue
        if not isinstance(exporter, Exporter):
            LOGGER.warning("the %r exporter (%s) is not a pressroom Exporter; skipped", entry.name, entry.value)
            continue
        found[entry.name] = exporter
    return found


def exporter_for(name: str) -> Exporter:
    exporters = load_exporters()
    if name not in exporters:
        raise UnknownFormat(name, list(exporters))
    return exporters[name]


def declared_options() -> dict[str, Option]:
    """Every option some exporter reads, by name; exporters that read one name share it (the first
    declaration is the one users see)."""
    options: dict[str, Option] = {}
    for exporter in load_exporters().values():
        for option in exporter.options:
            known = options.setdefault(option.name, option)
            if (known.default, known.choices) != (option.default, option.choices):
                LOGGER.warning("the %s exporter declares the %r option differently; the first declaration "
                               "is used", exporter.name, option.name)
    return options


def chosen_options(values: Mapping[str, Any]) -> ExportOptions:
    """The declared options among `values` (flags, a form, a query), each checked; others ignored."""
    declared = declared_options()
    return ExportOptions({name: declared[name].parse(value) for name, value in values.items()
                          if name in declared and value not in (None, "")})


def paginator() -> Exporter | None:
    """The exporter that lays articles out in pages for the editions that mark them, if any."""
    return next((exporter for exporter in load_exporters().values() if exporter.provides_pages), None)


@dataclass(frozen=True)
class EditionPlan:
    """One edition to make: its exporter, the settings it reads, and, when it marks a print layout's
    pages, the settings of that layout."""

    exporter: Exporter
    settings: dict[str, Any]
    pages_settings: dict[str, Any] | None

    def key(self, article: Publication) -> str:
        """The edition's identity: the article's content, the format and what the format reads."""
        read = sorted(self.settings.items()) + sorted((self.pages_settings or {}).items())
        return hashlib.sha256(f"{article.digest}\n{self.exporter.name}\n{read}".encode()).hexdigest()[:32]


def default_formats() -> list[str]:
    """The formats made when none is named: every registered exporter's but those made on request."""
    return [name for name, exporter in load_exporters().items() if not exporter.on_request]


def plan_editions(formats: Sequence[str], options: Mapping[str, Any] | None = None) -> list[EditionPlan]:
    """What exporting `formats` with `options` will make, checked before any work starts."""
    options = options or ExportOptions()
    exporters = [exporter_for(name) for name in dict.fromkeys(formats)]
    layout = paginator()
    laid_out_anyway = layout is not None and layout in exporters
    plans = []
    for exporter in exporters:
        settings = exporter.settings(options)
        for option in exporter.options:
            if settings[option.name] is None:  # "on when it costs nothing"
                settings[option.name] = laid_out_anyway
        pages_settings = None
        if exporter.wants_pages(settings):
            if layout is None:
                raise OptionError(f"the {exporter.label} edition marks printed pages, but no exporter lays "
                                  "out pages here")
            layout_settings = layout.settings(options)
            pages_settings = {name: layout_settings[name] for name in layout.pagination_options}
        plans.append(EditionPlan(exporter, settings, pages_settings))
    return plans


def refuse_early(article: Publication, plans: list[EditionPlan]) -> None:
    """ExportFailed, at once, when an exporter that `plans` use (the paginator too, when an edition
    marks its pages) could not lay `article` out within the export limit."""
    layout = paginator()
    for plan in plans:
        working = [plan.exporter] + ([layout] if plan.pages_settings is not None and layout is not plan.exporter else [])
        for exporter in working:
            reason = exporter.refusal(article)
            if reason is not None:
                raise ExportFailed(article, plan.exporter.label, reason)


def make_editions(article: Publication, plans: list[EditionPlan], options: Mapping[str, Any]) -> dict[str, Edition]:
    """Make each planned edition in this process: the paginator's own edition first when others
    need its pages, so that its layout serves them all. Engines this process did not inherit loaded
    are loaded here first: a worker forked for one export loads its own, which it then need not copy
    page by page from its parent as it touches them."""
    prepare_engines(plans)
    layout = paginator()
    needed = [plan for plan in plans if plan.pages_settings is not None]
    ordered = sorted(plans, key=lambda plan: plan.exporter is not layout) if needed else plans
    pages = None
    editions: dict[str, Edition] = {}
    for plan in ordered:
        if plan.pages_settings is not None and pages is None:
            pages = layout.paginate(article, layout.settings(options))
        edition = plan.exporter.export(article, plan.settings, pages if plan.pages_settings is not None else None)
        if plan.exporter is layout and edition.pages is not None:
            pages = edition.pages
        editions[plan.exporter.name] = edition
    return {plan.exporter.name: editions[plan.exporter.name] for plan in plans}


_PREPARED: set[tuple[str, bool]] = set()  # (exporter, many) prepared in this process, or the one it forked from


def rehearse_engines() -> None:
    """Prepare every exporter as for many workers (a small export each) in this process."""
    for exporter in load_exporters().values():
        exporter.prepare(many=True)
        _PREPARED.add((exporter.name, True))


def prepare_engines(plans: list[EditionPlan], many: bool = False) -> None:
    """Load the engines `plans` use in this process, so that every worker forked from it inherits them
    (`many`: worth filling their caches too)."""
    exporters = {plan.exporter for plan in plans}
    if any(plan.pages_settings is not None for plan in plans):
        exporters.add(paginator())
    unprepared = [exporter for exporter in exporters if (exporter.name, True) not in _PREPARED
                  and (exporter.name, many) not in _PREPARED]
    if not unprepared:
        return
    with _collector_paused():
        for exporter in unprepared:
            try:
                exporter.prepare(many)
                _PREPARED.add((exporter.name, many))
            except Exception:  # the worker meets the same problem and reports it properly
                LOGGER.debug("preparing the %s exporter failed", exporter.name, exc_info=True)


@contextmanager
def _collector_paused():
    """The collector paused while exporters and their engines load: what loading makes (modules,
    classes, an engine's tables) lives as long as the process, so the collector would walk it many
    times over and free nothing (WeasyPrint's import alone set off a hundred collections, one of them
    a full one). It is then frozen out of the collector's walks, as Python's documentation advises for
    what a process loads before it forks workers; this happens once per exporter and process."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
