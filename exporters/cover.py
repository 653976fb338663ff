"""The generated typographic cover: title, subtitle and authors set in the bundled fonts."""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from ..articles import Article
from .rendering import FONTS_DIR

BACKGROUND = (30, 42, 54)
RULE = (217, 162, 91)
TITLE = (244, 239, 230)
SECONDARY = (216, 210, 198)
EPUB_COVER_SIZE = (1600, 2400)


def cover_png(article: Article, size: tuple[int, int] = EPUB_COVER_SIZE) -> bytes:
    """A PNG cover of `size` pixels; the same article and size always give the same bytes."""
    buffer = io.BytesIO()
    # Four colours and their anti-aliased edges: a 64-colour palette keeps the file small and fast to write.
    cover_image(article, size).quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(
        buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def cover_jpeg(article: Article, size: tuple[int, int]) -> bytes:
    """The same cover as a JPEG, which a PDF embeds as it is (a PNG would be decoded and re-encoded)."""
    buffer = io.BytesIO()
    cover_image(article, size).save(buffer, format="JPEG", quality=92, optimize=False, subsampling=0)
    return buffer.getvalue()


def cover_image(article: Article, size: tuple[int, int]) -> Image.Image:
    """The cover drawn at `size` pixels."""
    width, height = size
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = round(width * 0.12)
    text_width = width - 2 * margin
    y = round(height * 0.30)
    draw.rectangle([margin, y, width - margin, y + max(3, width // 320)], fill=RULE)
    y += round(width * 0.045)
    meta = article.metadata
    blocks = [(meta.title, "CharisSIL-Bold.ttf", 0.085, TITLE, 1.18)]
    if meta.subtitle:
        blocks.append((meta.subtitle, "CharisSIL-Italic.ttf", 0.045, SECONDARY, 1.3))
    if meta.authors:
        blocks.append((meta.byline, "Lato-Regular.ttf", 0.038, SECONDARY, 1.3))
    for text, font_name, scale, colour, leading in blocks:
        font, lines = _fit(draw, text, font_name, round(width * scale), text_width, height - y - margin)
        line_height = round(font.size * leading)
        for line in lines:
            draw.text((margin, y), line, font=font, fill=colour)
            y += line_height
        y += round(line_height * 0.6)
    return image


def _fit(draw: ImageDraw.ImageDraw, text: str, font_name: str, size: int, width: int, room: int):
    """The largest font size up to `size` at which `text` wraps into `room` pixels of height."""
    while True:
        font = _font(font_name, size)
        lines = _wrap(draw, text, font, width)
        if len(lines) * size * 1.2 <= room or size <= 12:
            return font, lines
        size = round(size * 0.9)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    # Split on ordinary spaces only: a no-break space keeps its words together, as in the text.
    for word in text.split(" "):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        elif draw.textlength(word, font=font) <= width or not word:
            lines.append(word)
        else:
            lines.extend(_break_long_word(draw, word, font, width))
    return lines


def _break_long_word(draw, word: str, font, width: int) -> list[str]:
    pieces, current = [], ""
    for character in word:
        if current and draw.textlength(current + character, font=font) > width:
            pieces.append(current)
            current = ""
        current += character
    return pieces + [current]


@lru_cache(maxsize=16)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS_DIR / name), size)
