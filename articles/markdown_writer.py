"""An article as Markdown: YAML front matter and CommonMark the Markdown reader reads back to the same article."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

import yaml
from lxml import etree

from .model import Article, Section

MARKDOWN_MEDIA_TYPE = "text/markdown; charset=utf-8"  # the Markdown exporter declares the same
# Where a note is cited: put into a section's XHTML at each citation's offset before it is parsed.
_NOTE_MARK = "pressroom-note"
_INLINE_MARKUP = {"strong": "**", "b": "**", "em": "*", "i": "*"}
_BLOCKS = {"p", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre", "figure", "table", "hr", "div", "dl",
           "img"}
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Characters that are Markdown anywhere in a line.
# Quotes are written as they are: the readers have already curled every pair, and CommonMark needs no escape for them.
_SPECIAL = re.compile(r"([\\`*_\[\]<>~])")
_LINE_START = re.compile(r"^([ \t]*)([-+=#]|\d+(?=[.)]))")
_SPACES = re.compile(r"[ \t\n\r]+")  # not \s: a no-break space is text


def markdown_files(article: Article, images: Mapping[str, str] | None = None) -> list[tuple[str, bytes, str]]:
    """The article as files (name, bytes, media type): `SLUG.md` first, then its images, named by
    `images` (each href's file name; default: `image_names`)."""
    images = image_names(article) if images is None else images
    text = front_matter(article, images) + MarkdownWriter(images).document(article.sections)
    return [(f"{article.slug}.md", text.encode("utf-8"), MARKDOWN_MEDIA_TYPE)] + [
        (images[asset.href], asset.read_bytes(), asset.media_type) for asset in article.assets]


def image_names(article: Article) -> dict[str, str]:
    """Where each image goes: `SLUG-images/NAME` beside the Markdown (names kept, made unique), so an
    exported article exported again keeps its images where they are."""
    folder = f"{article.slug}-images"
    names: dict[str, str] = {}
    for asset in article.assets:
        path = PurePosixPath(asset.href)
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-.") or "image"
        name, number = f"{folder}/{stem}{path.suffix.lower()}", 2
        while name in names.values():
            name, number = f"{folder}/{stem}-{number}{path.suffix.lower()}", number + 1
        names[asset.href] = name
    return names


def front_matter(article: Article, images: Mapping[str, str]) -> str:
    """The metadata as YAML front matter, in the order an author writes it."""
    meta = article.metadata
    fields: dict[str, Any] = {"title": meta.title, "subtitle": meta.subtitle}
    if meta.authors:
        fields["authors"] = [author.name if author.file_as is None else {"name": author.name, "file_as": author.file_as}
                             for author in meta.authors]
    fields.update({"date": meta.date, "lang": meta.language, "description": meta.description,
                   "publisher": meta.publisher, "source_url": meta.source_url, "rights": meta.rights,
                   "subjects": list(meta.subjects) or None, "series": meta.series,
                   "series_position": meta.series_position, "identifier": meta.identifier,
                   "cover": images.get(meta.cover) if meta.cover else None})
    present = {name: value for name, value in fields.items() if value is not None}
    return "---\n" + yaml.safe_dump(present, allow_unicode=True, sort_keys=False, width=10**9) + "---\n"


class MarkdownWriter:
    """Writes sections' XHTML as Markdown; whatever Markdown cannot say exactly stays HTML, which the
    Markdown reader allows through the same sanitiser."""

    def __init__(self, images: Mapping[str, str]) -> None:
        self.images = images
        self.notes: dict[int, str] = {}

    def document(self, sections: tuple[Section, ...]) -> str:
        blocks = []
        for section in sections:
            if section.titled:
                blocks.append(f"## {_heading_text(_escape(section.label))}")
            body = self.blocks(_parsed(section))
            if body:
                blocks.append(body)
            for note in section.footnotes:
                self.notes.setdefault(note.number, self.blocks(etree.fromstring(f"<div>{note.html}</div>")))
        for number, text in sorted(self.notes.items()):
            blocks.append(f"[^{number}]: " + text.replace("\n", "\n    ").replace("\n    \n", "\n\n"))
        return "\n" + "\n\n".join(blocks) + "\n"

    def blocks(self, parent, separator: str = "\n\n") -> str:
        """The block content of `parent`, blocks separated by blank lines (by line ends in a tight list)."""
        out, run = [], []
        for piece in _children(parent):
            if isinstance(piece, str) or piece.tag not in _BLOCKS:
                run.append(piece)
                continue
            if run:
                out.append(self.inline_run(run))
                run = []
            out.append(self.block(piece))
        if run:
            out.append(self.inline_run(run))
        return separator.join(block for block in out if block.strip())

    def inline_run(self, pieces) -> str:
        """Inline pieces as one paragraph's text: a line, or lines cut by hard breaks."""
        text = "".join(self.inline(piece) for piece in pieces)
        text = re.sub(r"(?:[ \t]*\\\n[ \t]*)+", "\\\n", text).strip()
        text = text.removeprefix("\\\n").lstrip()
        while (len(text) - len(text.rstrip("\\"))) % 2:  # an odd backslash is a hard break, which ends nothing here
            text = text[:-1].rstrip()
        return "\n".join(_escape_line(line) for line in text.split("\n"))

    def block(self, element) -> str:
        tag = element.tag
        if tag == "p":
            return self.inline_run(_children(element))
        if tag in ("h3", "h4", "h5", "h6"):
            return "#" * int(tag[1]) + " " + _heading_text(self.inline_run(_children(element)).replace("\\\n", " "))
        if tag in ("ul", "ol"):
            return self.listing(element)
        if tag == "blockquote" and not element.attrib:
            inner = self.blocks(element)
            return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        if tag == "pre" and len(element) <= 1 and all(child.tag == "code" for child in element):
            return self.code_block(element)
        if tag == "figure" and _simple_figure(element):
            img = element.find("img")
            caption = element.find("figcaption")
            return self.image(img, " ".join(caption.xpath("string()").split()) if caption is not None else "")
        if tag == "img":
            return self.image(element, "")
        if tag == "table" and _simple_table(element):
            return self.table(element)
        if tag == "hr":
            return "---"
        if tag == "div" and not element.attrib:
            return self.blocks(element)
        return self.raw(element)

    def listing(self, element) -> str:
        items = [child for child in element if child.tag == "li"]
        if len(items) != len(element) or element.get("reversed") is not None or set(element.attrib) - {"start"} \
                or any(item.attrib for item in items):
            return self.raw(element)
        loose = any(isinstance(piece, etree._Element) and piece.tag in _BLOCKS - {"ul", "ol"}
                    for item in items for piece in _children(item))
        start = int(element.get("start", "1")) if element.get("start", "1").isdigit() else 1
        lines = []
        for number, item in enumerate(items, start=start):
            marker = f"{number}. " if element.tag == "ol" else "- "
            content = self.blocks(item, "\n\n" if loose else "\n")
            indented = content.replace("\n", "\n" + " " * len(marker)).replace("\n" + " " * len(marker) + "\n", "\n\n")
            lines.append(marker + indented if content else marker.rstrip())
        return ("\n\n" if loose else "\n").join(lines)

    def code_block(self, element) -> str:
        code = element.xpath("string()").removesuffix("\n")
        fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", code)), default=0) + 1)
        return f"{fence}\n{code}\n{fence}"

    def image(self, img, caption: str) -> str:
        alt = " ".join((img.get("alt") or "").split())
        src = self.images.get(img.get("src", ""), img.get("src", ""))
        title = f' "{_escape(caption).replace(chr(34), chr(92) + chr(34))}"' if caption and caption != alt else ""
        return f"![{_escape(alt)}]({_destination(src)}{title})"

    def table(self, element) -> str:
        rows = element.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        width = max(len(row) for row in rows)
        lines = []
        for index, row in enumerate(rows):
            cells = [self.inline_run(_children(cell)).replace("|", "\\|") for cell in row]
            cells += [""] * (width - len(cells))
            lines.append("| " + " | ".join(cells) + " |")
            if index == 0:
                lines.append("| " + " | ".join(_alignment(cell) for cell in list(row) + [None] * (width - len(row)))
                             + " |")
        return "\n".join(lines)

    def raw(self, element) -> str:
        """`element` as one line of HTML (a raw HTML block ends at a blank line)."""
        copy = etree.fromstring(etree.tostring(element, with_tail=False))
        for node in copy.iter():
            if node.tag != "pre" and not any(ancestor.tag == "pre" for ancestor in node.iterancestors()):
                node.text = _SPACES.sub(" ", node.text) if node.text else node.text
                node.tail = _SPACES.sub(" ", node.tail) if node.tail else node.tail
            if node.tag == "img" and node.get("src") in self.images:
                node.set("src", self.images[node.get("src")])
        return etree.tostring(copy, encoding="unicode", with_tail=False)

    def inline(self, piece) -> str:
        if isinstance(piece, str):
            return _escape(_SPACES.sub(" ", piece))
        tag = piece.tag
        inner = "".join(self.inline(child) for child in _children(piece))
        if tag == _NOTE_MARK:
            return f"[^{piece.get('number')}]"
        if tag in _INLINE_MARKUP and not piece.attrib and _emphasis_safe(piece):
            mark = _INLINE_MARKUP[tag]
            stripped = inner.strip()
            return inner[:len(inner) - len(inner.lstrip())] + f"{mark}{stripped}{mark}" + inner[len(inner.rstrip()):] \
                if stripped else inner
        if tag == "code" and not piece.attrib and len(piece) == 0:
            return _code_span(piece.text or "")
        if tag == "a" and piece.get("href") and set(piece.attrib) == {"href"}:
            return f"[{inner}]({_destination(piece.get('href'))})"
        if tag == "br":
            return "\\\n"
        if tag == "img":
            return self.image(piece, "")
        attributes = "".join(f' {name}="{_attribute(value)}"' for name, value in piece.attrib.items())
        return f"<{tag}{attributes}>{inner}</{tag}>"


def _parsed(section: Section):
    """The section's body as an element, a mark where each note is cited."""
    html = "".join(piece + (f'<{_NOTE_MARK} number="{citation.note.number}"/>' if citation else "")
                   for piece, citation in section.passages())
    return etree.fromstring(f"<div>{html}</div>")


def _children(element) -> list:
    """The text and elements inside `element`, in order."""
    pieces: list = [element.text] if element.text else []
    for child in element:
        pieces.append(child)
        if child.tail:
            pieces.append(child.tail)
    return pieces


def _escape(text: str) -> str:
    return _ENTITY.sub("\\\\&", _SPECIAL.sub(r"\\\1", text))


def _escape_line(line: str) -> str:
    """A line that would open a heading, a list or a setext underline keeps its marker as text."""
    match = _LINE_START.match(line)
    if match is None:
        return line
    indent, marker, rest = match.group(1), match.group(2), line[match.end():]
    return f"{indent}{marker}\\{rest}" if marker.isdigit() else f"{indent}\\{marker}{rest}"


def _heading_text(text: str) -> str:
    """Heading text with its first character and a trailing `#` kept as text (ATX headings drop a closing `#` run)."""
    return re.sub(r"(\s)(#+)\s*$", r"\1\\\2", _escape_line(text))


def _emphasis_safe(element) -> bool:
    """Whether `*`/`**` around the element's text open and close where it does, by CommonMark's
    flanking rules (markup next to it counts as punctuation; emphasis right beside it never passes)."""
    stripped = element.xpath("string()").strip()
    previous, following = element.getprevious(), element.getnext()
    if not stripped or (previous is not None and previous.tag in _INLINE_MARKUP and not previous.tail) \
            or (following is not None and following.tag in _INLINE_MARKUP and not element.tail):
        return False
    if previous is not None:
        before = (previous.tail or "")[-1:] or "*"
    else:
        before = (element.getparent().text or " ")[-1:]
    after = (element.tail or "")[:1] or ("*" if following is not None else " ")
    opens = not _punctuation(stripped[0]) or before.isspace() or _punctuation(before)
    closes = not _punctuation(stripped[-1]) or after.isspace() or _punctuation(after)
    return opens and closes


def _punctuation(character: str) -> bool:
    return unicodedata.category(character)[0] in "PS"


def _code_span(code: str) -> str:
    code = re.sub(r"\s+", " ", code)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", code)), default=0) + 1)
    padded = f" {code} " if code.startswith(("`", " ")) or code.endswith(("`", " ")) else code
    return f"{fence}{padded}{fence}"


def _destination(url: str) -> str:
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"
    return url


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _simple_figure(figure) -> bool:
    """A figure of one image and an optional caption of plain text, as `![alt](src "caption")` says it."""
    children = [child.tag for child in figure]
    caption = figure.find("figcaption")
    return (children in (["img"], ["img", "figcaption"]) and not figure.attrib and not (figure.text or "").strip()
            and (caption is None or (len(caption) == 0 and not caption.attrib)))


def _simple_table(table) -> bool:
    """A table a pipe table can hold: rows of cells of one line of inline text, no spans, no caption."""
    rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    if not rows or table.attrib or any(child.tag not in ("tr", "thead", "tbody", "tfoot") for child in table):
        return False
    for row in rows:
        if len(row) == 0:
            return False
        for cell in row:
            if cell.tag not in ("td", "th") or set(cell.attrib) - {"style"}:
                return False
            if cell.get("style") and not re.fullmatch(r"text-align: ?(left|right|center);?", cell.get("style")):
                return False
            if any(element.tag in _BLOCKS | {"br"} for element in cell.iter() if element is not cell):
                return False
    first = rows[0]
    return all(cell.tag == "th" for cell in first) and all(cell.tag == "td" for row in rows[1:] for cell in row) \
        or not any(cell.tag == "th" for row in rows for cell in row)


def _alignment(cell) -> str:
    style = cell.get("style", "") if cell is not None else ""
    side = re.search(r"text-align: ?(left|right|center)", style)
    return {"left": ":--", "right": "--:", "center": ":-:"}[side.group(1)] if side else "---"
