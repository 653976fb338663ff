"""Turning a sanitised HTML fragment into EPUB XHTML: well-formed, links pointing at their chapter."""

from __future__ import annotations

import html
from collections.abc import Mapping

from lxml import etree
from lxml import html as lxml_html
from markupsafe import Markup

EPUB_NAMESPACE = "http://www.idpf.org/2007/ops"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
etree.register_namespace("epub", EPUB_NAMESPACE)


def to_xhtml(fragment: str, chapter_of: Mapping[str, str]) -> Markup:
    """`fragment` as XHTML; `#id` links to a section in another chapter file become `file#id`."""
    if not fragment.strip():
        return Markup("")
    wrapper = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for link in wrapper.iter("a"):
        href = link.get("href", "")
        if href.startswith("#") and href[1:] in chapter_of:
            link.set("href", f"{chapter_of[href[1:]]}{href}")
        if link.get("role") == "doc-noteref":
            link.set(f"{{{EPUB_NAMESPACE}}}type", "noteref")
    parts = [html.escape(wrapper.text or "", quote=False)]
    parts += [etree.tostring(child, method="xml", encoding="unicode", with_tail=True) for child in wrapper]
    return Markup("".join(parts))
