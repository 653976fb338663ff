"""The PDF edition: the print layout (cover, title page, contents, body, colophon) by WeasyPrint.

The exporter (`exporter.py`) is all a command that makes no PDF loads; the layout (`layout.py`) comes
with the first PDF, or the first of its names asked of this package."""

from __future__ import annotations

import importlib
from typing import Any

from .exporter import MAX_TABLE_CELLS, PAGE_SIZES, PDF_VARIANTS, PdfExporter

__all__ = ["IN_MEMORY", "MAX_TABLE_CELLS", "PAGE_GEOMETRY", "PAGE_SIZES", "PDF_VARIANTS", "PageGeometry",
           "PdfExporter", "PrintSource", "print_html", "print_source"]
_IN_LAYOUT = ("IN_MEMORY", "PAGE_GEOMETRY", "PageGeometry", "PrintSource", "print_html", "print_source")


def __getattr__(name: str) -> Any:
    if name in _IN_LAYOUT:
        return getattr(importlib.import_module(".layout", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
