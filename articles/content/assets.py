"""The files an article uses: found beside it, kept inside its folder, typed by their content."""

from __future__ import annotations

import functools
import io
from pathlib import Path

from ...errors import ContentError
from ..model import Asset

MAX_ASSET_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
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
    data = path.read_bytes()
    media_type = sniff_media_type(article_path, href, data)
    check_image(article_path, href, data)
    return Asset(href=href, path=path, media_type=media_type)


def check_image(article_path: Path, href: str, data: bytes) -> None:
    """Refuse images too large to lay out (decompression bombs included) and images that do not decode.

    The size comes from the header alone; nothing is decompressed before it passes.
    """
    try:
        with _pillow().open(io.BytesIO(data), formats=("PNG", "JPEG", "GIF", "WEBP")) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ContentError(article_path, f"the image {href!r} is {width}×{height} pixels, more than "
                                   f"the {MAX_IMAGE_PIXELS // 1_000_000} million an edition can hold",
                                   fix="scale it down")
            image.verify()
    except ContentError:
        raise
    except Exception as error:  # Pillow signals a corrupt file with many exception types
        raise ContentError(article_path, f"the image {href!r} is damaged ({error})",
                           fix="export it again from an image editor") from None


def sniff_media_type(article_path: Path, href: str, data: bytes) -> str:
    """The image type the bytes show (never the file name's), or an error for anything else."""
    for signature, media_type in _SIGNATURES:
        if data.startswith(signature):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise ContentError(article_path, f"the image {href!r} is not a PNG, JPEG, GIF or WebP file",
                       fix="convert it to PNG or JPEG")


@functools.lru_cache(maxsize=1)
def _pillow():
    """Pillow's Image module, loaded with the first image (an article without images never needs it)."""
    from PIL import Image

    # Every image is measured against MAX_IMAGE_PIXELS from its header before anything decodes it, so
    # Pillow's own, larger and warning-based bomb check is replaced by that one.
    Image.MAX_IMAGE_PIXELS = None
    return Image
