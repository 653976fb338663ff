"""A web page's images: the address each `<img>` really shows, and its bytes, checked like an upload."""

from __future__ import annotations

import base64
import binascii
import io
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from ...errors import ContentError
from ..content.assets import MAX_ASSET_BYTES, check_image, sniff_media_type
from ..library.archives import MAX_UNPACKED_BYTES
from ..model import Asset
from .fetching import MAX_IMAGE_BYTES, Fetcher, FetchError, FetchTooLarge

# The images one page may bring: this many addresses tried, and the bytes an upload may unpack to.
MAX_PAGE_IMAGES = 100

# Lazy-loading scripts keep the real address here and a placeholder in `src`.
_LAZY_ATTRIBUTES = ("data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src")
_SRCSET_ATTRIBUTES = ("data-srcset", "data-lazy-srcset", "srcset")
# The widest candidate of a srcset up to this is taken: wide enough to print, not a poster.
_SRCSET_WIDTH = 2000
# An image no side of which is longer than this is a tracking pixel or a spacer, not part of the article.
TRACKING_PIXEL_SIDE = 2
# How a saved page keeps its images, in words for the command line and the web UI (whose browsers cannot send a folder).
WITH_ITS_FOLDER = ("save the page “complete” and add it with its folder; to upload them, zip the page and its folder "
                   "together and upload the .zip")
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


class ImageDropped(Exception):
    """An image the article cannot carry; the message says why, for a warning."""


def image_address(img) -> str | None:
    """The address an `<img>` (lxml element) shows once its page's scripts have run: a lazy-loading
    attribute, else the best `srcset` candidate (or its `<picture>`'s), else `src`."""
    for name in _LAZY_ATTRIBUTES:
        if img.get(name, "").strip():
            return img.get(name).strip()
    sources = [img.get(name) for name in _SRCSET_ATTRIBUTES if img.get(name, "").strip()]
    parent = img.getparent()
    if not sources and parent is not None and parent.tag == "picture":
        sources = [source.get("srcset") for source in parent.iter("source") if source.get("srcset", "").strip()]
    if sources:
        best = best_srcset_candidate(sources[0])
        if best:
            return best
    src = img.get("src", "").strip()
    return src or None


def best_srcset_candidate(srcset: str) -> str | None:
    """The candidate of `srcset` to print: the widest up to _SRCSET_WIDTH (else the narrowest)."""
    candidates = []
    for item in re.split(r",\s+", srcset.strip()):
        parts = item.split()
        if not parts:
            continue
        descriptor = parts[1] if len(parts) > 1 else "1x"
        number = re.match(r"(\d+(?:\.\d+)?)([wx])$", descriptor)
        width = 0.0 if number is None else float(number.group(1)) * (1 if number.group(2) == "w" else 1000)
        candidates.append((width, parts[0]))
    if not candidates:
        return None
    fitting = [candidate for candidate in candidates if candidate[0] <= _SRCSET_WIDTH]
    return max(fitting)[1] if fitting else min(candidates)[1]


def is_tracking_pixel(img) -> bool:
    """An `<img>` its page declares at most TRACKING_PIXEL_SIDE pixels wide and high."""
    sizes = [img.get(name, "").strip().removesuffix("px") for name in ("width", "height")]
    return all(size.isdigit() and int(size) <= TRACKING_PIXEL_SIDE for size in sizes)


@dataclass(frozen=True)
class WebImage:
    """An image taken into the article: its asset, and whether it is too small to be more than a pixel."""

    asset: Asset
    tiny: bool


class WebImages:
    """Loads a page's images: `data:` URIs, files of the page's folder (`folder`, for a saved page), or
    web addresses through `fetcher` (for a fetched page; a saved page's web images are not fetched).

    A page's images are bounded as an upload is: at most `max_images` addresses are tried and
    `max_bytes` read, images kept or not; once an image would pass the bytes, it and every image
    after it are dropped unread."""

    def __init__(self, page: Path | str, folder: Path | None, fetcher: Fetcher | None,
                 max_images: int = MAX_PAGE_IMAGES, max_bytes: int = MAX_UNPACKED_BYTES) -> None:
        self.page, self.folder, self.fetcher = page, folder, fetcher
        self.max_images, self.max_bytes = max_images, max_bytes
        self.bytes_read = 0
        self._full = False
        self._loaded: dict[str, WebImage | ImageDropped] = {}
        self._kept = 0
        # The bytes of every image taken in (kept or too small to show), by file name or web address:
        # read again from these alone, the page names its images the same.
        self.taken: dict[str, bytes] = {}

    def load(self, address: str, base: str | None) -> WebImage:
        """The image at `address` (relative to the page's address `base`), checked; or ImageDropped."""
        if address.startswith("data:"):
            key = address
        elif base and urlsplit(base).scheme in ("http", "https"):
            key = urljoin(base, address)
        elif address.startswith("//"):
            key = "https:" + address  # protocol-relative: on the web, whatever page holds it
        else:
            key = address
        if key not in self._loaded:
            try:
                self._loaded[key] = self._image(key, address, len(self._loaded) + 1)
                self._kept += 1
            except ImageDropped as dropped:
                self._loaded[key] = dropped
        loaded = self._loaded[key]
        if isinstance(loaded, ImageDropped):
            raise loaded
        return loaded

    def _image(self, key: str, address: str, tried: int) -> WebImage:
        if tried > self.max_images:
            raise ImageDropped(f"the page has more than {self.max_images} images, as many as Pressroom takes from one")
        if self._full or self.bytes_read >= self.max_bytes:
            raise self._past_budget()
        data, origin = self._bytes(key)
        self.bytes_read += len(data)
        if self.bytes_read > self.max_bytes:
            self._full = True
            raise self._past_budget()
        try:
            media_type = sniff_media_type(Path(str(self.page)), address[:80], data)
            check_image(Path(str(self.page)), address[:80], data)
        except ContentError as error:
            raise ImageDropped(error.problem) from None
        from PIL import Image  # loaded by check_image (a page whose images are all dropped never needs it)

        with Image.open(io.BytesIO(data)) as image:
            tiny = max(image.size) <= TRACKING_PIXEL_SIDE
        href = f"images/{self._kept + 1:02d}-{_name_of(key)}.{_EXTENSIONS[media_type]}"
        if origin is not None:
            self.taken[origin] = data
        return WebImage(Asset(href=href, path=None, media_type=media_type, content=data), tiny)

    def _past_budget(self) -> ImageDropped:
        return ImageDropped(f"the page's images pass {self.max_bytes // (1024 * 1024)} MiB, as much as Pressroom "
                            "takes from one page (as from an upload)")

    def _bytes(self, key: str) -> tuple[bytes, str | None]:
        """The image's bytes, and where they came from: its web address, its file's name in the page's
        folder, or None (a `data:` URI, which the page itself holds)."""
        if key.startswith("data:"):
            return _data_uri_bytes(key), None
        scheme = urlsplit(key).scheme.lower()
        if scheme in ("http", "https"):
            if self.fetcher is None:
                raise ImageDropped("it is on the web, and only a page named by its address has its images fetched "
                                   f"({WITH_ITS_FOLDER})")
            left = self.max_bytes - self.bytes_read
            try:
                return self.fetcher.fetch(key, min(MAX_IMAGE_BYTES, left), accept="image/*").data, key
            except FetchTooLarge as error:
                self.bytes_read += error.bytes_read
                if left < MAX_IMAGE_BYTES:
                    self._full = True
                    raise self._past_budget() from None
                raise ImageDropped(str(error)) from None
            except FetchError as error:
                raise ImageDropped(str(error)) from None
        if scheme or self.folder is None:
            raise ImageDropped("only images saved with the page, or in it, are used")
        return self._file_bytes(key)

    def _file_bytes(self, address: str) -> tuple[bytes, str]:
        parts = urlsplit(address)
        relative = PurePosixPath(unquote(parts.path))
        folder = self.folder.resolve()
        path = (folder / relative).resolve()
        if relative.is_absolute() or not path.is_relative_to(folder):
            raise ImageDropped("it lies outside the page's folder")
        if not path.is_file():
            raise ImageDropped(f"the file is not in the page's folder ({WITH_ITS_FOLDER})")
        if path.stat().st_size > MAX_ASSET_BYTES:
            raise ImageDropped(f"it is larger than {MAX_ASSET_BYTES // (1024 * 1024)} MiB")
        return path.read_bytes(), posixpath.normpath(relative.as_posix())


def _data_uri_bytes(uri: str) -> bytes:
    header, comma, payload = uri.partition(",")
    if not comma:
        raise ImageDropped("the data: address holds no data")
    if len(payload) > MAX_ASSET_BYTES * 4 // 3 + 4:
        raise ImageDropped(f"it is larger than {MAX_ASSET_BYTES // (1024 * 1024)} MiB")
    if header.lower().endswith(";base64"):
        try:
            return base64.b64decode(re.sub(r"\s+", "", payload), validate=True)
        except (binascii.Error, ValueError):
            raise ImageDropped("the data: address is not valid base64") from None
    return unquote(payload).encode("latin-1", errors="replace")


def _name_of(address: str) -> str:
    """A short, safe file name for the image at `address` (without extension)."""
    if address.startswith("data:"):
        return "embedded"
    stem = PurePosixPath(unquote(urlsplit(address).path)).stem
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:40].rstrip("-") or "image"
