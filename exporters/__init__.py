"""Editions of an article: the exporter interface, its options, the registry and the built-ins."""

from exporters.base import ExportFailed, Exporter, ExportOptions, OptionError, UnknownFormat
from exporters.isolation import ExportLimits
from exporters.registry import export, exporter_for, load_exporters

__all__ = [
    "ExportFailed",
    "ExportLimits",
    "ExportOptions",
    "Exporter",
    "OptionError",
    "UnknownFormat",
    "export",
    "exporter_for",
    "load_exporters",
]
