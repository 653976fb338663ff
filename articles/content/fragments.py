"""Sanitised HTML made XHTML once, with what every edition needs recorded: images, links, notes, words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from ..model import Citation, Footnote, Image
from .content_model import repair_content_model

# Where a note citation stood: the serialised fragment is split there, so templates place notes.
_CITATION_MARK = "pressroom-citation"
_CITATION = re.compile(rf"<\?{_CITATION_MARK} ?\?>")


@dataclass(frozen=True)
class Fragment:
    """A section's body as XHTML, and what the readers found in it."""

    html: str
    images: tuple[Image, ...] = ()
    links: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    words: int = 0


def make_fragment(html: str, notes: Mapping[str, Footnote] | None = None) -> Fragment:
    """Parse sanitised `html` once: repair its content model and serialise it as XHTML (well-formed and
    valid, so every medium can use it as it is) and record its images (with alt text), the ids its `#links` point at, its words, and
    where it cites `notes` (by the note's id: `<a role="doc-noteref" href="#ID">`)."""
    if not html.strip():
        return Fragment("")
    notes = notes or {}
    wrapper = lxml_html.fragment_fromstring(html, create_parent="div")
    repair_content_model(wrapper)
    images = tuple(Image(img.get("src", ""), img.get("alt", "")) for img in wrapper.iter("img"))
    links = tuple(dict.fromkeys(a.get("href", "")[1:] for a in wrapper.iter("a")
                                if a.get("href", "").startswith("#") and a.get("role") != "doc-noteref"))
    words = len(wrapper.text_content().split())
    cited: list[tuple[Footnote, str]] = []
    seen: set[str] = set()
    for link in list(wrapper.iter("a")):
        note = notes.get(link.get("href", "")[1:]) if link.get("role") == "doc-noteref" else None
        if note is None:
            continue
        citation = link.getparent() if link.getparent() is not None and link.getparent().tag == "sup" else link
        words -= len((citation.text_content() or "").split())
        cited.append((note, link.get("id") or f"fnref-{note.number}"))
        mark = etree.ProcessingInstruction(_CITATION_MARK)
        mark.tail = citation.tail
        citation.getparent().replace(citation, mark)
    pieces = _CITATION.split(_serialise(wrapper))
    citations = []
    offset = 0
    for piece, (note, ref_id) in zip(pieces, cited, strict=False):
        offset += len(piece)
        citations.append(Citation(offset, note, ref_id, note.id not in seen))
        seen.add(note.id)
    return Fragment("".join(pieces), images, links, tuple(citations), max(words, 0))


def _serialise(wrapper) -> str:
    parts = [_escape(wrapper.text or "")]
    parts += [etree.tostring(child, method="xml", encoding="unicode", with_tail=False) + _escape(child.tail or "")
              if not isinstance(child, etree._ProcessingInstruction)
              else f"<?{_CITATION_MARK}?>" + _escape(child.tail or "") for child in wrapper]
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
