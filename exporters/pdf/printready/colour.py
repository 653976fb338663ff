"""Colour for the press: the printer's CMYK profile, the stylesheet's colours and the article's images
in its CMYK (greys in black ink alone), with no transparency left."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ...base import OptionError
from ...rendering import TEMPLATES_DIR

BUNDLED_PROFILE = TEMPLATES_DIR / "print" / "artifex-cmyk-swop.icc"
JPEG_QUALITY = 95
_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


@dataclass(frozen=True)
class PrinterProfile:
    """A CMYK output profile: its bytes and its description."""

    data: bytes
    name: str


def load_profile(path: Path | None, origin: str) -> PrinterProfile:
    """The bundled profile, or the one at `path` if it is a CMYK output profile; OptionError naming
    `origin` (the flag or setting that named it) otherwise."""
    from PIL import ImageCms

    if path is None:
        data = BUNDLED_PROFILE.read_bytes()
    else:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise OptionError(f"{origin} {path}: cannot be read ({error.strerror or error}); name an ICC profile "
                              "file") from None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    except (OSError, ImageCms.PyCMSError, ValueError):
        raise OptionError(f"{origin} {path}: is not an ICC profile; name a CMYK printer profile (.icc)") from None
    if profile.xcolor_space.strip() != "CMYK" or profile.device_class.strip() != "prtr":
        raise OptionError(f"{origin} {path}: is a {profile.xcolor_space.strip()} {profile.device_class.strip()} "
                          "profile; a printer needs a CMYK output (prtr) profile")
    return PrinterProfile(data, (profile.profile_description or profile.model or "CMYK").strip())


@lru_cache(maxsize=4)
def _to_cmyk(profile: bytes):
    from PIL import ImageCms

    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                                   "RGB", "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


def cmyk_css(red: int, green: int, blue: int, profile: bytes) -> str:
    """An sRGB colour as CSS `device-cmyk()`: a grey in black ink alone (no registration to miss on a
    line of text), any other colour through the printer's profile."""
    if red == green == blue:
        return f"device-cmyk(0 0 0 {1 - red / 255:.3f})"
    from PIL import Image, ImageCms

    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), (red, green, blue)), _to_cmyk(profile)).getpixel((0, 0))
    return "device-cmyk({:.3f} {:.3f} {:.3f} {:.3f})".format(*(channel / 255 for channel in pixel))


def stylesheet_in_cmyk(css: str, profile: bytes) -> str:
    """`css` with every hexadecimal colour written as the printer's CMYK."""
    def convert(match: re.Match) -> str:
        digits = match[1] if len(match[1]) == 6 else "".join(digit * 2 for digit in match[1])
        return cmyk_css(*(int(digits[index:index + 2], 16) for index in (0, 2, 4)), profile)

    return _HEX.sub(convert, css)


def image_in_cmyk(data: bytes, profile: bytes) -> tuple[str, bytes] | None:
    """An image (media type, bytes) in the printer's CMYK, or grey, on white where it was transparent;
    None when Pillow cannot read it (an SVG: WeasyPrint draws it as it is, and the preflight says so)."""
    from PIL import Image, ImageCms, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    dpi = image.info.get("dpi")
    if image.mode in ("P", "PA", "LA", "RGBA", "La", "RGBa") or "transparency" in image.info:
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    if image.mode in ("1", "I", "I;16", "F"):
        image = image.convert("L")
    if image.mode == "L":
        converted = image
    elif image.mode == "CMYK":
        converted = image
    else:
        converted = ImageCms.applyTransform(image.convert("RGB"), _to_cmyk(profile))
    output = io.BytesIO()
    converted.save(output, format="JPEG", quality=JPEG_QUALITY, subsampling=0, **({"dpi": dpi} if dpi else {}))
    return "image/jpeg", output.getvalue()
