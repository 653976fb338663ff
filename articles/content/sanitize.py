"""The allowlist every piece of article HTML passes through before a template may mark it safe."""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "lang", "title", "class", "role"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Table cells keep only their alignment, which markdown-it writes as an inline style.
ALLOWED_STYLE_PROPERTIES = {"text-align"}


_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
# The values HTML allows for the attributes kept (another value makes the EPUB invalid, so it is dropped).
_INTEGER, _POSITIVE, _NON_NEGATIVE = re.compile(r"-?\d{1,9}"), re.compile(r"0*[1-9]\d{0,2}"), re.compile(r"\d{1,5}")
VALID_VALUES = {
    ("ol", "start"): _INTEGER,
    ("td", "colspan"): _POSITIVE, ("th", "colspan"): _POSITIVE,
    ("td", "rowspan"): _NON_NEGATIVE, ("th", "rowspan"): _NON_NEGATIVE,
    ("th", "scope"): re.compile(r"row|col|rowgroup|colgroup"),
    ("img", "width"): _NON_NEGATIVE, ("img", "height"): _NON_NEGATIVE,
    # A relative address would name a file in the e-book.
    ("blockquote", "cite"): re.compile(r"https?://[^\s]+", re.IGNORECASE),
    ("*", "id"): re.compile(r"\S+"),
    ("*", "lang"): re.compile(r"([A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)?"),
}


def sanitize_html(html: str, image_source: Callable[[str], str | None] | None = None) -> str:
    """Return `html` with everything outside the allowlist removed (script, handlers, forms...).

    `image_source` maps each image's `src` to the one to keep, or None to drop the image.
    """

    def keep_attribute(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src" and image_source is not None:
            return image_source(value)
        valid = VALID_VALUES.get((element, attribute)) or VALID_VALUES.get(("*", attribute))
        return value if valid is None or valid.fullmatch(value) else None

    cleaned = nh3.clean(
        html,
        attribute_filter=keep_attribute,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties=ALLOWED_STYLE_PROPERTIES,
        link_rel=None,
        strip_comments=True,
    )
    return _IMAGE_WITHOUT_SOURCE.sub("", cleaned)


_TAG_NAME = re.compile(r"<\s*([a-zA-Z][\w:-]*)")
_HANDLER = re.compile(r"\s(on[a-z]+)\s*=", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"(?:java|vb)script\s*:", re.IGNORECASE)


def removed_markup(raw_html: str) -> list[str]:
    """What `sanitize_html` will take out of `raw_html`, in words a user can act on."""
    found = sorted({f"<{name.lower()}>" for name in _TAG_NAME.findall(raw_html)
                    if name.lower() not in ALLOWED_TAGS})
    found += sorted({f"{name.lower()}=" for name in _HANDLER.findall(raw_html)})
    if _SCRIPT_URL.search(raw_html):
        found.append("javascript: link")
    return found
