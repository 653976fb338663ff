"""Editions of an article: the exporter interface, its options, the registry and the built-ins."""

from .base import ExportFailed, Exporter, ExportOptions, OptionError, UnknownFormat
from .isolation import ExportLimits
from .registry import export, exporter_for, load_exporters

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
