"""The e-book's generated cover: title, subtitle and authors set in the language's typefaces, as a picture."""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from ...articles import Publication
from ..typefaces import SERIF, Typeface, faces_for, writing_direction
from ..words import words_for

BACKGROUND = (30, 42, 54)
RULE = (217, 162, 91)
TITLE = (244, 239, 230)
SECONDARY = (216, 210, 198)
EPUB_COVER_SIZE = (1600, 2400)
EDGE_STEPS = 21  # shades between the background and each colour drawn on it


def cover_png(article: Publication, size: tuple[int, int] = EPUB_COVER_SIZE) -> bytes:
    """A PNG cover of `size` pixels; the same article and size always give the same bytes."""
    buffer = io.BytesIO()
    # Every pixel is the background, a colour drawn on it, or an anti-aliased edge between the two:
    # mapped onto those shades (64 colours), the file is small and quick to make, with no palette to search.
    cover_image(article, size).quantize(palette=_palette(), dither=Image.Dither.NONE).save(
        buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def _palette() -> Image.Image:
    shades = [BACKGROUND] + [tuple(round(back + (front - back) * step / EDGE_STEPS)
                                   for back, front in zip(BACKGROUND, colour))
                             for colour in (RULE, TITLE, SECONDARY) for step in range(1, EDGE_STEPS + 1)]
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for shade in shades for value in shade])
    return palette


def cover_image(article: Publication, size: tuple[int, int]) -> Image.Image:
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
    faces = faces_for(meta.language)
    serif, sans = faces.serif[0], faces.sans[0]
    blocks = [(meta.title, _style(serif, "Bold"), 0.085, TITLE, 1.18)]
    if meta.subtitle:
        blocks.append((meta.subtitle, _style(serif, "Italic"), 0.045, SECONDARY, 1.3))
    if article.credited:
        byline = words_for(meta.language).names([author.name for author in article.credited])
        blocks.append((byline, _style(sans, "Regular"), 0.038, SECONDARY, 1.3))
    # Right-to-left text is shaped right to left and set flush with the right margin.
    direction = writing_direction(meta)
    x, anchor = (width - margin, "ra") if direction == "rtl" else (margin, "la")
    layout = {"direction": direction, "language": meta.language}
    for text, font_file, scale, colour, leading in blocks:
        font, lines = _fit(draw, text, font_file, round(width * scale), text_width, height - y - margin, layout)
        line_height = round(font.size * leading)
        for line in lines:
            draw.text((x, y), line, font=font, fill=colour, anchor=anchor, **layout)
            y += line_height
        y += round(line_height * 0.6)
    return image


def _style(face: Typeface, style: str) -> tuple[str, str]:
    """(font file, family) of a style of `face` (its "-Bold" file beside "-Regular"), else its regular
    one; the bundled serif when the face is not installed."""
    if face.path is None:
        face = SERIF
    styled = face.path.with_name(face.path.name.replace("-Regular", f"-{style}"))
    return (str(styled if styled.is_file() else face.path), face.family)


def _fit(draw: ImageDraw.ImageDraw, text: str, font_file: tuple[str, str], size: int, width: int, room: int,
         layout: dict):
    """The largest font size up to `size` at which `text` wraps into `room` pixels of height."""
    while True:
        font = _font(font_file, size)
        lines = _wrap(draw, text, font, width, layout)
        if len(lines) * size * 1.2 <= room or size <= 12:
            return font, lines
        size = round(size * 0.9)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int, layout: dict) -> list[str]:
    lines: list[str] = []
    # Split on ordinary spaces only: a no-break space keeps its words together, as in the text.
    for word in text.split(" "):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font, **layout) <= width:
            lines[-1] = candidate
        elif draw.textlength(word, font=font, **layout) <= width or not word:
            lines.append(word)
        else:
            lines.extend(_break_long_word(draw, word, font, width, layout))
    return lines


def _break_long_word(draw, word: str, font, width: int, layout: dict) -> list[str]:
    pieces, current = [], ""
    for character in word:
        if current and draw.textlength(current + character, font=font, **layout) > width:
            pieces.append(current)
            current = ""
        current += character
    return pieces + [current]


@lru_cache(maxsize=16)
def _font(font_file: tuple[str, str], size: int) -> ImageFont.FreeTypeFont:
    path, family = font_file
    return ImageFont.truetype(path, size, index=_index_in_collection(path, family),
                              layout_engine=ImageFont.Layout.RAQM)


@lru_cache(maxsize=16)
def _index_in_collection(path: str, family: str) -> int:
    """The font of `family` in a collection (the CJK .ttc files hold one per region); 0 in a plain file."""
    if not path.endswith(".ttc"):
        return 0
    from fontTools.ttLib import TTCollection

    with TTCollection(path, lazy=True) as collection:
        return next((index for index, font in enumerate(collection.fonts)
                     if font["name"].getDebugName(1) in (family, f"{family} Bold")), 0)
