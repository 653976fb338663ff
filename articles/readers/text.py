"""The plain-text reader: a title line, then paragraphs; "N. " opens numbered item N; front matter
(`lang:` and the other fields of Markdown's) may come first."""

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
from .language import article_language

# "\s" in a str pattern includes the no-break space the sample puts after "1."
_ITEM = re.compile(r"(\d{1,4})\.\s+(?=\S)")
# The caption of an item is its first sentence: up to ., ! or ? (and closing quotes) before a space.
_FIRST_SENTENCE = re.compile(r"(.+?[.!?\u2026][\"'\u2019\u201d)\]]*)\s+(?=\S)(.*)", re.DOTALL)


class TextReader(Reader):
    """Reads `.txt` listicles such as the sample article; every character of the text is kept, but
    straight quotes, which become curly."""

    file_extensions = ("txt",)

    def read(self, path: Path, text: str, language: str | None = None) -> ReadResult:
        fields, warnings, text, first_line = _front_matter(path, text)
        language, told = article_language(path, language, fields.pop("language", None), text)
        marks = quote_marks(language)
        if fields:
            from .front_matter import curled_fields

            fields = curled_fields(fields, marks)
        # Quotes typed straight become curly; every other character is kept.
        paragraphs = [(first_line + line - 1, curl_quotes(paragraph, marks)) for line, paragraph in _paragraphs(text)]
        if not paragraphs and "title" not in fields:
            raise ContentError(path, "the file has no text, so it has no title", line=1,
                               fix="put the article's title on the first line")
        if "title" in fields:  # the front matter's title: the first line is text
            (title_line, title), body = (0, fields.pop("title")), paragraphs
        else:
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
        return ReadResult(metadata=Metadata(**{"title": title.strip(), **fields}, language=language),
                          sections=tuple(map(_recorded, sections)), warnings=(*warnings, *told))


def _front_matter(path: Path, text: str) -> tuple[dict, list[str], str, int]:
    """The front matter's `Metadata` fields and warnings, the text after it and its first line number;
    the YAML parser is loaded only for a text that opens with '---'."""
    if not text.startswith("---"):
        return {}, [], text, 1
    from .front_matter import metadata_fields, parse_front_matter, split_front_matter

    front_text, body, body_line = split_front_matter(path, text)
    if front_text is None:
        return {}, [], text, 1
    fields, warnings = metadata_fields(path, parse_front_matter(path, front_text))
    if fields.pop("cover", None) is not None:
        warnings.append(f"{path}: the front matter's cover is left out: a plain-text article shows no images "
                        "(write the article in Markdown to give it a cover)")
    return fields, warnings, body, body_line


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
