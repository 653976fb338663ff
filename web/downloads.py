"""File names for editions: a safe ASCII name and the exact title (RFC 6266 / RFC 8187)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u200e\u200f\u202a-\u202e\u2066-\u2069]+')


def edition_filename(title: str, extension: str) -> tuple[str, str]:
    """(ASCII fallback, full Unicode name) for an edition of the article titled `title`."""
    clean = " ".join(_UNSAFE.sub(" ", title).split())[:MAX_NAME_CHARS].strip(" .") or "article"
    ascii_name = unicodedata.normalize("NFKD", clean).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]+", "", ascii_name)
    ascii_name = re.sub(r"\s+", "-", ascii_name.strip()).strip("-.") or "article"
    return f"{ascii_name}.{extension}", f"{clean}.{extension}"


def content_disposition(title: str, extension: str) -> str:
    """An `attachment` header value any browser saves under a safe name."""
    ascii_name, full_name = edition_filename(title, extension)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(full_name, safe='')}"
