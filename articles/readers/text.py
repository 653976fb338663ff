"""The plain-text reader: a title line, then paragraphs; "N. " opens numbered item N."""

from __future__ import annotations

import html
import re
from pathlib import Path

from ...errors import ContentError
from ..content.fragments import make_fragment
from ..content.quotes import curl_quotes, quote_marks
from ..content.section_ids import OPENING_ID, SectionIds
from ..model import Metadata, Section
from .decoding import Reader, ReadResult

# "\s" in a str pattern includes the no-break space the sample puts after "1."
_ITEM = re.compile(r"(\d{1,4})\.\s+(?=\S)")
# The caption of an item is its first sentence: up to ., ! or ? (and closing quotes) before a space.
_FIRST_SENTENCE = re.compile(r"(.+?[.!?\u2026][\"'\u2019\u201d)\]]*)\s+(?=\S)(.*)", re.DOTALL)


class TextReader(Reader):
    """Reads `.txt` listicles such as the sample article; every character of the text is kept, but
    straight quotes, which become curly."""

    file_extensions = ("txt",)

    def read(self, path: Path, text: str) -> ReadResult:
        marks = quote_marks(Metadata.language)
        # Quotes typed straight become curly; every other character is kept.
        paragraphs = [(line, curl_quotes(paragraph, marks)) for line, paragraph in _paragraphs(text)]
        if not paragraphs:
            raise ContentError(path, "the file has no text, so it has no title", line=1,
                               fix="put the article's title on the first line")
        (title_line, title), *body = paragraphs
        if "\n" in title:
            raise ContentError(path, "the title runs over several lines", line=title_line,
                               fix="put the title alone on the first line, followed by a blank line")
        ids = SectionIds()
        sections: list[Section] = []
        opening: list[str] = []
        for _line, paragraph in body:
            match = _ITEM.match(paragraph)
            if match:
                sections.append(_item_section(ids, int(match.group(1)), paragraph[match.end():]))
            elif sections:
                sections[-1] = _append(sections[-1], paragraph)
            else:
                opening.append(paragraph)
        if opening or not sections:
            # The paragraphs before item 1 open the article untitled: the author gave them no heading.
            sections.insert(0, Section(id=OPENING_ID, title="", html="".join(_paragraph_html(p) for p in opening)))
        return ReadResult(metadata=Metadata(title=title.strip()), sections=tuple(map(_recorded, sections)))


def _paragraphs(text: str):
    """Yield (first line number, paragraph) for each run of non-blank lines."""
    lines: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not lines:
                start = number
            lines.append(line)
        elif lines:
            yield start, "\n".join(lines)
            lines = []
    if lines:
        yield start, "\n".join(lines)


def _item_section(ids: SectionIds, number: int, text: str) -> Section:
    match = _FIRST_SENTENCE.fullmatch(text)
    caption, rest = (match.group(1), match.group(2)) if match else (text, "")
    return Section(id=ids.take(f"item-{number}"), title=caption, number=number,
                   html=_paragraph_html(rest) if rest else "")


def _append(section: Section, paragraph: str) -> Section:
    return Section(id=section.id, title=section.title, number=section.number,
                   html=section.html + _paragraph_html(paragraph))


def _recorded(section: Section) -> Section:
    """The section with its words counted (plain text has no images, links or notes)."""
    body = make_fragment(section.html)
    return Section(id=section.id, title=section.title, number=section.number, html=body.html, words=body.words)


def _paragraph_html(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>"
