"""The typefaces each language is set in, its writing direction, and the characters no typeface has."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..articles import Metadata, Publication
from ..locations import PACKAGE_DIR

# The bundled fonts (not through .rendering, which uses this module), and Debian's fonts (scripts/setup.sh installs the Noto families below), wherever fontconfig looks.
BUNDLED_FONTS_DIR = PACKAGE_DIR / "templates" / "fonts"
SYSTEM_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")
RIGHT_TO_LEFT = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "ug", "ur", "yi"}


@dataclass(frozen=True)
class Typeface:
    """A font family and the file of its regular style (bundled in templates/fonts, else a system font)."""

    family: str
    file: str

    @property
    def path(self) -> Path | None:
        bundled = BUNDLED_FONTS_DIR / self.file
        return bundled if bundled.is_file() else _system_font(self.file)


# The bundled faces cover Latin, Greek and Cyrillic; every language falls back on them.
SERIF = Typeface("Noto Serif", "NotoSerif-Regular.ttf")
SANS = Typeface("Lato", "Lato-Regular.ttf")
MONO = Typeface("DejaVu Sans Mono", "DejaVuSansMono.ttf")

_ARABIC = (Typeface("Noto Naskh Arabic", "NotoNaskhArabic-Regular.ttf"),
           Typeface("Noto Sans Arabic", "NotoSansArabic-Regular.ttf"))
_HEBREW = (Typeface("Noto Serif Hebrew", "NotoSerifHebrew-Regular.ttf"),
           Typeface("Noto Sans Hebrew", "NotoSansHebrew-Regular.ttf"))
_DEVANAGARI = (Typeface("Noto Serif Devanagari", "NotoSerifDevanagari-Regular.ttf"),
               Typeface("Noto Sans Devanagari", "NotoSansDevanagari-Regular.ttf"))


def _cjk(region: str) -> tuple[Typeface, Typeface]:
    return (Typeface(f"Noto Serif CJK {region}", "NotoSerifCJK-Regular.ttc"),
            Typeface(f"Noto Sans CJK {region}", "NotoSansCJK-Regular.ttc"))


# (serif, sans) for the languages whose script the bundled faces lack, by primary language subtag.
LANGUAGE_FACES: dict[str, tuple[Typeface, Typeface]] = {
    **dict.fromkeys(("ar", "fa", "ps", "sd", "ug", "ckb", "ur", "ks"), _ARABIC),
    **dict.fromkeys(("he", "iw", "yi"), _HEBREW),
    **dict.fromkeys(("hi", "mr", "ne", "sa"), _DEVANAGARI),
    "bn": (Typeface("Noto Serif Bengali", "NotoSerifBengali-Regular.ttf"),
           Typeface("Noto Sans Bengali", "NotoSansBengali-Regular.ttf")),
    "th": (Typeface("Noto Serif Thai", "NotoSerifThai-Regular.ttf"),
           Typeface("Noto Sans Thai", "NotoSansThai-Regular.ttf")),
    "ka": (Typeface("Noto Serif Georgian", "NotoSerifGeorgian-Regular.ttf"),
           Typeface("Noto Sans Georgian", "NotoSansGeorgian-Regular.ttf")),
    "hy": (Typeface("Noto Serif Armenian", "NotoSerifArmenian-Regular.ttf"),
           Typeface("Noto Sans Armenian", "NotoSansArmenian-Regular.ttf")),
    "ja": _cjk("JP"),
    "ko": _cjk("KR"),
    "zh": _cjk("SC"),
}
TRADITIONAL_CHINESE = re.compile(r"^zh-(hant|tw|hk|mo)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Faces:
    """The font stacks an edition sets a language in: the language's own face first, the bundled ones after."""

    serif: tuple[Typeface, ...]
    sans: tuple[Typeface, ...]
    mono: tuple[Typeface, ...]

    def css(self) -> str:
        """The stacks as the custom properties the print stylesheet sets its text with."""
        def stack(faces: tuple[Typeface, ...], generic: str) -> str:
            return ", ".join([*(f'"{face.family}"' for face in faces), generic])

        return (f"html {{ --serif: {stack(self.serif, 'serif')}; --sans: {stack(self.sans, 'sans-serif')}; "
                f"--mono: {stack(self.mono, 'monospace')}; }}")

    @property
    def families(self) -> list[str]:
        """The families the text and its headings are set in, for the colophon."""
        return list(dict.fromkeys((self.serif[0].family, self.sans[0].family)))


def faces_for(language_tag: str) -> Faces:
    primary = language_tag.split("-")[0].lower()
    own = _cjk("TC") if TRADITIONAL_CHINESE.match(language_tag) else LANGUAGE_FACES.get(primary)
    if own is None:
        return Faces((SERIF,), (SANS,), (MONO,))
    serif, sans = own
    return Faces((serif, SERIF), (sans, SANS), (MONO, sans))


def writing_direction(metadata: Metadata) -> str:
    """"rtl" or "ltr": the front matter's direction, else the one the language is written in."""
    if metadata.direction:
        return metadata.direction
    return "rtl" if metadata.language.split("-")[0].lower() in RIGHT_TO_LEFT else "ltr"


def missing_characters(article: Publication) -> list[str]:
    """The characters of the article's printed text that no face of its serif stack has, in order."""
    covered: set[int] = set()
    for face in faces_for(article.metadata.language).serif:
        covered |= _cmap(face.path)
    missing: dict[str, None] = {}
    for character in _printed_text(article):
        if ord(character) not in covered and unicodedata.category(character) not in NOT_DRAWN:
            missing[character] = None
    return list(missing)


def missing_characters_warning(article: Publication) -> str | None:
    """A warning that names the characters the PDF has no typeface for, or None."""
    missing = missing_characters(article)
    if not missing:
        return None
    named = ", ".join(f"{character} (U+{ord(character):04X} {unicodedata.name(character, 'unnamed')})"
                      for character in missing[:10])
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    return (f"{article.source_path}: no typeface of the PDF has {len(missing)} of the article's characters, "
            f"which print in another font or as empty boxes: {named}{more}")


# Spaces, controls and formatting characters (joiners, direction marks, the soft hyphen) draw no glyph.
NOT_DRAWN = {"Cc", "Cf", "Zs", "Zl", "Zp"}
_TAG = re.compile(r"<[^>]*>")


def _printed_text(article: Publication) -> str:
    meta = article.metadata
    parts = [meta.title, meta.subtitle or "", meta.publisher or "", meta.rights or "",
             *(author.name for author in meta.authors + article.editors),
             *(author.name for chapter in article.chapters for author in chapter.authors)]
    for section in article.sections:
        parts += [section.title, html.unescape(_TAG.sub(" ", section.html))]
        parts += [html.unescape(_TAG.sub(" ", note.html)) for note in section.footnotes]
    return "".join(parts)


@lru_cache(maxsize=32)
def _cmap(path: Path | None) -> frozenset[int]:
    """The code points a font file maps (the first font of a collection); none for a missing file."""
    if path is None:
        return frozenset()
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix == ".ttc":
        with TTCollection(path, lazy=True) as collection:
            return frozenset(collection.fonts[0].getBestCmap())
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=64)
def _system_font(file_name: str) -> Path | None:
    for folder in SYSTEM_FONT_DIRS:
        if folder.is_dir():
            found = next(folder.rglob(file_name), None)
            if found is not None:
                return found
    return None
