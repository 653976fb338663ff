"""The exporters on offer: the `pressroom.exporters` entry-point group, built-ins included."""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib.metadata import entry_points

from ..articles import Article
from .base import Exporter, ExportOptions, UnknownFormat
from .isolation import ExportLimits, export_isolated

ENTRY_POINT_GROUP = "pressroom.exporters"
# Listed first, in this order; they are declared in the entry-point group like any plug-in.
BUILTIN_ORDER = ("pdf", "epub", "html")
LOGGER = logging.getLogger("pressroom")


@lru_cache(maxsize=1)
def load_exporters() -> dict[str, Exporter]:
    """Every registered exporter by name, built-ins first; a plug-in that fails to load is skipped."""
    found: dict[str, Exporter] = {}
    declared = {entry.name: entry for entry in entry_points(group=ENTRY_POINT_GROUP)}
    for name, entry in declared.items():
        try:
            exporter = entry.load()()
        except Exception as error:  # a broken plug-in must not take the built-ins down with it
            LOGGER.warning("the %r exporter (%s) could not be loaded: %s", name, entry.value, error)
            continue
        if not isinstance(exporter, Exporter):
            LOGGER.warning("the %r exporter (%s) is not a pressroom Exporter; skipped", name, entry.value)
            continue
        found[name] = exporter
    order = [name for name in BUILTIN_ORDER if name in found]
    return {name: found[name] for name in order + sorted(set(found) - set(order))}


def exporter_for(name: str) -> Exporter:
    exporters = load_exporters()
    if name not in exporters:
        raise UnknownFormat(name, list(exporters))
    return exporters[name]


def export(article: Article, format_name: str, options: ExportOptions | None = None,
           limits: ExportLimits | None = None) -> bytes:
    """The one entry to every edition: the CLI and the web UI both call this.

    The export runs in a worker process within `limits` (time, memory); ExportFailed says why not.
    """
    return export_isolated(exporter_for(format_name), article, options or ExportOptions(), limits or ExportLimits())
