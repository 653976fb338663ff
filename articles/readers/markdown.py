"""The Markdown reader: CommonMark with tables and footnotes, YAML front matter, `##` sections."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from ...errors import ContentError
from ..content.fragments import make_fragment
from ..content.quotes import QUOTE_MARKS, URL, quote_marks
from ..content.sanitize import removed_markup, sanitize_html
from ..content.section_ids import OPENING_ID, SectionIds
from ..model import Footnote, Metadata, Section
from .decoding import Reader, ReadResult
from .front_matter import curled_fields, metadata_fields, parse_front_matter, split_front_matter
from .language import article_language

SECTION_TAGS = ("h1", "h2")


class MarkdownReader(Reader):
    """Reads `.md` articles; the title comes from front matter or the first `#` heading."""

    file_extensions = ("md", "markdown")

    def read(self, path: Path, text: str, language: str | None = None) -> ReadResult:
        front_text, body, body_line = split_front_matter(path, text)
        front = parse_front_matter(path, front_text) if front_text is not None else {}
        fields, warnings = metadata_fields(path, front)
        fields["language"], told = article_language(path, language, fields.get("language"), body)
        warnings += told
        fields = curled_fields(fields, quote_marks(fields["language"]))
        env: dict = {}
        markdown = _markdown_parser(quote_marks(fields["language"]))
        tokens = markdown.parse(body, env)
        tokens, notes = _split_footnotes(tokens)
        assets = _check_images(path, tokens, body_line, warnings)
        _report_raw_html(path, tokens, body_line, warnings)
        if "title" not in fields:
            fields["title"] = _take_title(path, tokens, body_line)
        cover = fields.get("cover")
        if cover is not None:
            if _local_href(cover) is None:
                raise ContentError(path, f"the cover {cover!r} is not a file beside the article",
                                   line=front["cover"][1], fix="name an image in the article's folder")
            assets.append(_local_href(cover))
        image_source = _ImageSources(path, assets, warnings)
        note_html = {key: make_fragment(_render(markdown, toks, env, image_source)).html for key, toks in notes.items()}
        sections = tuple(self._sections(markdown, tokens, env, note_html, image_source))
        metadata = Metadata(**fields)
        return ReadResult(metadata=metadata, sections=sections,
                          asset_hrefs=tuple(dict.fromkeys(assets)), warnings=tuple(warnings))

    def _sections(self, markdown: MarkdownIt, tokens: list[Token], env: dict, note_html: dict[int, str],
                  image_source):
        """One section per `#`/`##` heading, and the untitled opening for what comes before the first."""
        ids = SectionIds()
        groups: list[tuple[str, str, list[Token]]] = [(OPENING_ID, "", [])]
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.type == "heading_open" and token.tag in SECTION_TAGS:
                title = _plain_text(tokens[index + 1])
                groups.append((ids.take(title), title, []))
                index += 3
                continue
            groups[-1][2].append(token)
            index += 1
        if not groups[0][2] and len(groups) > 1:
            del groups[0]
        for section_id, title, group in groups:
            note_ids = _referenced_notes(group)
            footnotes = tuple(Footnote(id=f"fn-{key + 1}", number=key + 1, html=note_html[key],
                                       inline_html=_inline(note_html[key]))
                              for key in note_ids if key in note_html)
            body = make_fragment(_render(markdown, group, env, image_source), {note.id: note for note in footnotes})
            yield Section(id=section_id, title=title, html=body.html, footnotes=footnotes, images=body.images,
                          links=body.links, citations=body.citations, words=body.words)


def _render(markdown: MarkdownIt, tokens: list[Token], env: dict, image_source) -> str:
    return sanitize_html(markdown.renderer.render(tokens, markdown.options, env), image_source)


class _ImageSources:
    """Keeps the `src` of images written as raw HTML when it names a file beside the article."""

    def __init__(self, path: Path, assets: list[str], warnings: list[str]) -> None:
        self.path, self.assets, self.warnings = path, assets, warnings

    def __call__(self, src: str) -> str | None:
        href = _local_href(html.unescape(src))
        if href is None:
            self.warnings.append(f"{self.path}: image {src[:200]!r} dropped: only images in the "
                                 "article's own folder are used")
            return None
        if href not in self.assets:
            self.assets.append(href)
        return href


@lru_cache(maxsize=len(QUOTE_MARKS))
def _markdown_parser(quotes: tuple[str, str, str, str]) -> MarkdownIt:
    """CommonMark with tables, footnotes and curly `quotes` (markdown-it's typographer makes only
    quotes and apostrophes: its other replacements would change what the author typed)."""
    markdown = (MarkdownIt("commonmark", {"html": True, "typographer": True, "quotes": list(quotes)})
                .enable(["table", "strikethrough", "smartquotes"])
                .use(footnote_plugin))
    markdown.core.ruler.before("smartquotes", "keep_addresses", _keep_addresses)
    markdown.add_render_rule("footnote_ref", _render_footnote_ref)
    markdown.add_render_rule("paragraph_open", _render_paragraph_open)
    markdown.add_render_rule("paragraph_close", _render_paragraph_close)
    markdown.add_render_rule("image", _render_image)
    return markdown


def _keep_addresses(state) -> None:
    """Set the addresses typed in the text apart, so that no quote in them is curled (the text_join
    rule joins them to the text again)."""
    for inline in state.tokens:
        if inline.type != "inline" or not inline.children:
            continue
        children = []
        for child in inline.children:
            if child.type != "text" or not URL.search(child.content):
                children.append(child)
                continue
            start = 0
            for url in URL.finditer(child.content):
                children += [_text_token("text", child.content[start:url.start()]),
                             _text_token("text_special", url.group())]
                start = url.end()
            children.append(_text_token("text", child.content[start:]))
        inline.children = children


def _text_token(kind: str, content: str) -> Token:
    token = Token(kind, "", 0)
    token.content = content
    return token


def _render_footnote_ref(self, tokens, index, options, env) -> str:
    meta = tokens[index].meta
    number = meta["id"] + 1
    suffix = f"-{meta['subId']}" if meta["subId"] else ""
    return (f'<sup><a class="footnote-ref" role="doc-noteref" id="fnref-{number}{suffix}" '
            f'href="#fn-{number}">{number}</a></sup>')


def _is_figure(tokens: list[Token], index: int) -> bool:
    """A paragraph holding one image and nothing else is a figure (as in pandoc)."""
    inline = tokens[index + 1] if index + 1 < len(tokens) else None
    if inline is None or inline.type != "inline":
        return False
    children = [child for child in inline.children or [] if child.type != "text" or child.content.strip()]
    return len(children) == 1 and children[0].type == "image"


def _render_paragraph_open(self, tokens, index, options, env) -> str:
    if _is_figure(tokens, index):
        return "<figure>"
    return self.renderToken(tokens, index, options, env)


def _render_paragraph_close(self, tokens, index, options, env) -> str:
    if index >= 2 and _is_figure(tokens, index - 2):
        image = next(child for child in tokens[index - 1].children if child.type == "image")
        caption = image.attrGet("title") or _alt_text(image)
        return f"<figcaption>{html.escape(caption)}</figcaption></figure>\n" if caption else "</figure>\n"
    return self.renderToken(tokens, index, options, env)


def _render_image(self, tokens, index, options, env) -> str:
    image = tokens[index]
    src = html.escape(image.attrGet("src") or "")
    return f'<img src="{src}" alt="{html.escape(_alt_text(image))}">'


def _alt_text(image: Token) -> str:
    return "".join(child.content for child in (image.children or []) if child.type in ("text", "code_inline"))


def _split_footnotes(tokens: list[Token]) -> tuple[list[Token], dict[int, list[Token]]]:
    """Detach the footnote block markdown-it appends, as {note id: the note's tokens}."""
    try:
        start = next(i for i, token in enumerate(tokens) if token.type == "footnote_block_open")
    except StopIteration:
        return tokens, {}
    notes: dict[int, list[Token]] = {}
    current: list[Token] | None = None
    for token in tokens[start:]:
        if token.type == "footnote_open":
            current = notes.setdefault(token.meta["id"], [])
        elif token.type == "footnote_close":
            current = None
        elif current is not None and token.type != "footnote_anchor":
            current.append(token)
    return tokens[:start], notes


def _referenced_notes(tokens: list[Token]) -> list[int]:
    found: list[int] = []
    for token in tokens:
        for child in token.children or []:
            if child.type == "footnote_ref" and child.meta["id"] not in found:
                found.append(child.meta["id"])
    return found


def _inline(html: str) -> str:
    """A note's paragraphs run on as one run of text (a footnote set inside a line holds no blocks)."""
    return re.sub(r"\s*</p>\s*<p>\s*", " ", html.strip()).removeprefix("<p>").removesuffix("</p>")


def _take_title(path: Path, tokens: list[Token], body_line: int) -> str:
    """Remove a leading `# Title` from the tokens and return its text."""
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        title = _plain_text(tokens[1])
        del tokens[:3]
        if title:
            return title
    raise ContentError(path, "the article has no title", line=body_line,
                       fix="add 'title: ...' to the front matter or start the text with '# Title'")


def _check_images(path: Path, tokens: list[Token], body_line: int, warnings: list[str]) -> list[str]:
    """Return the local image paths; remote or escaping images become their alt text, with a warning."""
    hrefs: list[str] = []
    for token in tokens:
        for child in token.children or []:
            if child.type != "image":
                continue
            src = child.attrGet("src") or ""
            href = _local_href(src)
            if href is None:
                line = body_line + (token.map[0] if token.map else 0)
                warnings.append(f"{path}, line {line}: image {src!r} dropped: only images in the "
                                "article's own folder are used")
                child.type, child.tag, child.content, child.children = "text", "", _alt_text(child), None
                continue
            child.attrSet("src", href)
            hrefs.append(href)
            if not _alt_text(child).strip():
                line = body_line + (token.map[0] if token.map else 0)
                warnings.append(f"{path}, line {line}: image {src!r} has no alt text, so the editions cannot "
                                f"claim every image is described (write what it shows: ![a harbour at dawn]({src}))")
    return hrefs


def _report_raw_html(path: Path, tokens: list[Token], body_line: int, warnings: list[str]) -> None:
    """Warn, by line, about raw HTML the sanitiser will remove (script, handlers, frames, forms...)."""
    for token in tokens:
        pieces = [token] if token.type == "html_block" else [
            child for child in token.children or [] if child.type == "html_inline"]
        for piece in pieces:
            removed = removed_markup(piece.content)
            if removed:
                line = body_line + (token.map[0] if token.map else 0)
                warnings.append(f"{path}, line {line}: raw HTML removed for safety: {', '.join(removed)}")


def _local_href(src: str) -> str | None:
    """The normalised relative path of a local file reference, or None if it leaves the folder."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or parts.query or not parts.path:
        return None
    relative = PurePosixPath(unquote(parts.path))
    if relative.is_absolute() or ".." in relative.parts or "\\" in parts.path or "\x00" in parts.path:
        return None
    return relative.as_posix()


def _plain_text(inline: Token) -> str:
    pieces = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
    return "".join(pieces).strip()
