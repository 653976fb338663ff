"""The `Content-Disposition` of a download: an edition's file name, safe ASCII and exact (RFC 6266 / RFC 8187)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from ..exporters.filenames import edition_filename


def content_disposition(title: str, extension: str, words: Sequence[str] = ()) -> str:
    """An `attachment` header value any browser saves under a safe name."""
    ascii_name, full_name = edition_filename(title, extension, words)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(full_name, safe='')}"
