"""Editions of an article: the exporter interface, its options, the registry and the built-ins."""

from .base import Edition, EditionFile, ExportFailed, Exporter, ExportOptions, Finding, Option, OptionError, \
    UnknownFormat, View
from .isolation import ExportLimits
from .pagination import PageList, PageStart
from .registry import (EditionPlan, chosen_options, declared_options, export, export_set, exporter_for, load_exporters,
                       plan_editions, prepare_engines)

__all__ = [
    "Edition",
    "EditionFile",
    "EditionPlan",
    "ExportFailed",
    "ExportLimits",
    "ExportOptions",
    "Exporter",
    "Finding",
    "Option",
    "OptionError",
    "PageList",
    "PageStart",
    "UnknownFormat",
    "View",
    "chosen_options",
    "declared_options",
    "export",
    "export_set",
    "exporter_for",
    "load_exporters",
    "plan_editions",
    "prepare_engines",
]
