"""Editions of an article: the exporter interface, its options, the registry and the built-ins."""

from .base import Edition, EditionFile, Exporter, ExportFailed, ExportOptions, Finding, Option, OptionError, \
    UnknownFormat, View
from .pagination import PageList, PageStart
from .registry import EditionPlan, chosen_options, declared_options, default_formats, exporter_for, load_exporters, \
    make_editions, plan_editions, prepare_engines, refuse_early, rehearse_engines

__all__ = [
    "Edition",
    "EditionFile",
    "EditionPlan",
    "ExportFailed",
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
    "default_formats",
    "exporter_for",
    "load_exporters",
    "make_editions",
    "plan_editions",
    "prepare_engines",
    "refuse_early",
    "rehearse_engines",
]
