"""The files an article uses: found beside it, kept inside its folder, typed by their content."""

from __future__ import annotations

from pathlib import Path

from articles.errors import ContentError
from articles.model import Asset

MAX_ASSET_BYTES = 20 * 1024 * 1024
# Magic numbers of the image formats every edition can carry (EPUB 3 core media types).
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def load_asset(article_path: Path, href: str) -> Asset:
    """The asset `href` names, relative to the article; it must be a supported image inside its folder."""
    folder = article_path.parent.resolve()
    path = (folder / href).resolve()
    if not path.is_relative_to(folder):
        raise ContentError(article_path, f"the image {href!r} lies outside the article's folder",
                           fix="copy it next to the article")
    if not path.is_file():
        raise ContentError(article_path, f"the image {href!r} does not exist",
                           fix=f"put it at {folder / href}")
    if path.stat().st_size > MAX_ASSET_BYTES:
        raise ContentError(article_path, f"the image {href!r} is larger than "
                           f"{MAX_ASSET_BYTES // (1024 * 1024)} MiB", fix="scale it down")
    return Asset(href=href, path=path, media_type=sniff_media_type(article_path, href, path.read_bytes()))


def sniff_media_type(article_path: Path, href: str, data: bytes) -> str:
    """The image type the bytes show (never the file name's), or an error for anything else."""
    for signature, media_type in _SIGNATURES:
        if data.startswith(signature):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise ContentError(article_path, f"the image {href!r} is not a PNG, JPEG, GIF or WebP file",
                       fix="convert it to PNG or JPEG")
