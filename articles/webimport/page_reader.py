"""The web page reader: a saved (or fetched) page cut down to its article by trafilatura, in sections."""

from __future__ import annotations

import dataclasses
import gzip
import html
import re
import zlib
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from ...errors import ContentError
from ..content.characters import NOT_HELD
from ..content.fragments import make_fragment
from ..content.quotes import curl_quotes, quote_marks
from ..content.sanitize import sanitize_html
from ..content.section_ids import OPENING_ID, SectionIds
from ..model import Author, Metadata, PageSources, Section
from ..readers.decoding import Reader, ReadResult
from ..readers.language import article_language
from .extraction import extract
from .fetching import MAX_PAGE_BYTES, Fetcher
from .images import ImageDropped, WebImages, image_address, is_tracking_pixel
from .metadata import declared_language, page_metadata

# Past this many elements trafilatura takes seconds per thousand: refused, rather than left to run for minutes.
MAX_PAGE_ELEMENTS = 15_000
# Fewer letters than this (a sentence or two, in any script) is a login wall, an index or an empty page.
MIN_ARTICLE_LETTERS = 100
# Each image trafilatura keeps is named by its number here: trafilatura keeps only addresses that end in
# an image extension, which `data:` URIs and many real addresses do not.
_PLACEHOLDER = "http://image.invalid/{}.png"
_PLACEHOLDER_NUMBER = re.compile(r"^http://image\.invalid/(\d+)\.png$")
_EMBEDS = ("iframe", "video", "audio", "embed", "object")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Scripts (but JSON-LD metadata) and styles, cut before parsing as the HTML tokenizer cuts them: their
# text can exceed what libxml2 holds in one node, and no article is in it.
_SCRIPTS_AND_STYLES = re.compile(r"<(script|style)\b(?![^>]*application/ld\+json)[^>]*>.*?</\1\s*>",
                                 re.IGNORECASE | re.DOTALL)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_INLINE = {"strong", "em", "u", "code", "sub", "sup", "a", "img", "br", "del", "span"}
# Underlines and other renderings on the web are links' and designers' styling, not the author's emphasis.
_EMPHASIS = {"#b": "strong", "#i": "em", "#t": "code", "#sub": "sub", "#sup": "sup"}
_UNWRAPPED = "pressroom-unwrapped"
# Queries run on every page, compiled once.
_ELEMENTS = etree.XPath("count(descendant-or-self::*)")
_OWN_ADDRESS = etree.XPath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
_ARTICLE_BODIES = etree.XPath("//*[@itemprop='articleBody'] | //article")
_MAIN = etree.XPath("//main")
_CAPTIONS = etree.XPath(".//figcaption | .//*[contains(@class, 'wp-caption-text')]")
# A line that credits a picture: "Photo: …", "Photograph: …", "Credit: …", "Image © …", "© …".
_CREDIT = re.compile(r"^(?:(?:photo(?:graph)?s?|pictures?|images?|illustrations?|credits?|foto|bild)\b(?: credits?)?"
                     r"\s*[:/©]|©).{0,150}$", re.IGNORECASE)
# What the conversion makes of trafilatura's elements; anything else it passed through (a stray
# `<figcaption>` in a list, say) keeps only its content.
_CONVERTED = {"body", "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "blockquote", "pre", "code", "strong",
              "em", "sub", "sup", "a", "img", "table", "tr", "th", "td", "br", "del"}


class HtmlReader(Reader):
    """Reads web pages: a page saved "complete" (its images in the `NAME_files/` folder beside it), a
    single file with `data:` images, bare HTML, or (with `url` and `fetcher`) a page fetched from the web."""

    file_extensions = ("html", "htm", "xhtml", "html.gz", "htm.gz", "xhtml.gz")
    max_source_bytes = MAX_PAGE_BYTES

    def __init__(self, url: str | None = None, fetcher: Fetcher | None = None) -> None:
        self.url, self.fetcher = url, fetcher

    def decode(self, path: Path, data: bytes) -> str:
        """The page as text: unzipped (bounded), in the encoding it declares (UTF-8 otherwise)."""
        if path.name.lower().endswith(".gz"):
            try:
                data = gzip.GzipFile(fileobj=_Bytes(data)).read(self.max_source_bytes + 1)
            except (OSError, EOFError, zlib.error) as error:
                raise ContentError(self.url or path, f"the file is not readable gzip ({error})",
                                   fix="save the page again") from None
            if len(data) > self.max_source_bytes:
                raise ContentError(self.url or path, f"the page unzips to more than "
                                   f"{self.max_source_bytes // (1024 * 1024)} MiB", fix="save the article's page alone")
        return NOT_HELD.sub("", _text_of(data))

    def read(self, path: Path, text: str, language: str | None = None) -> ReadResult:
        name = self.url or str(path)
        tree = _parse(name, path, text)
        count = int(_ELEMENTS(tree))
        if count > MAX_PAGE_ELEMENTS:
            raise ContentError(name, f"the page has {count} HTML elements, more than the {MAX_PAGE_ELEMENTS} "
                               "Pressroom reads", fix="save the article's own page (or its print view) alone")
        base = self.url or _canonical(tree)
        warnings = [f"{name}: {warning}" for warning in _left_out_embeds(tree)]
        addresses, captions = _mark_images(tree)
        table_captions = {" ".join(caption.text_content().split()) for caption in tree.iter("caption")} - {""}
        link_texts = {" ".join(link.text_content().split()) for link in tree.iter("a")}
        found = extract(tree, base)
        if found is None or found.body is None:
            raise _no_article(path, name)
        body = _html_body(found.body)
        _restore_table_captions(body, table_captions)
        language, told = article_language(name, language, declared_language(tree), body.xpath("string()"))
        warnings += told
        marks = quote_marks(language)
        _curl_quotes_in(body, marks)
        metadata = _curled(page_metadata(tree, found, self.url, _fallback_title(path, self.url), language), marks)
        images = WebImages(name, None if self.url else path.parent, self.fetcher)
        assets = _take_images(body, addresses, captions, images, self.url, name, warnings)
        _resolve_links(body, base)
        metadata = dataclasses.replace(metadata, subtitle=_take_standfirst(body, metadata.title, metadata.description))
        sections = _sections(body, metadata.title, metadata.description)
        if _letters_outside_links(sections, link_texts) < MIN_ARTICLE_LETTERS:
            raise _no_article(path, name)
        used = {image.href for section in sections for image in section.images}
        return ReadResult(metadata=metadata, sections=sections, warnings=tuple(warnings),
                          assets=tuple({asset.href: asset for asset in assets if asset.href in used}.values()),
                          page=PageSources(self.url, images.taken))


class _Bytes:
    """A read-only stream over bytes (GzipFile needs one; BytesIO would copy a page's worth twice)."""

    def __init__(self, data: bytes) -> None:
        self._view, self._position = memoryview(data), 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size < 0 else self._position + size
        chunk = bytes(self._view[self._position:end])
        self._position += len(chunk)
        return chunk


def _text_of(data: bytes) -> str:
    """The page's bytes decoded: a BOM, else the charset its `<meta>` declares, else UTF-8 (a stray
    byte replaced, since a page is often a mixture)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[2:].decode(codec, errors="replace")
    declared = _CHARSET.search(data[:4096])
    codec = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    try:
        return data.decode(codec, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def _parse(name: str, path: Path, text: str):
    try:
        tree = lxml_html.document_fromstring(_SCRIPTS_AND_STYLES.sub("", _XML_DECLARATION.sub("", text)))
    except (etree.ParserError, ValueError):
        raise _no_article(path, name) from None
    return tree


def _letters_outside_links(sections: tuple[Section, ...], link_texts: set[str]) -> int:
    """The letters and digits of the text itself: an index page's are all in its links (or in lines
    that were links)."""
    letters = 0
    for section in sections:
        if not section.html:
            continue
        fragment = lxml_html.fragment_fromstring(section.html, create_parent="div")
        for link in list(fragment.iter("a")):
            link.drop_tree()
        letters += sum(len(re.findall(r"\w", line)) for line in fragment.text_content().split("\n")
                       if " ".join(line.split()) not in link_texts)
    return letters


def _no_article(path: Path, name: str) -> ContentError:
    return ContentError(name, f"no article found in {path.name if name == str(path) else name}",
                        fix="save or name the page that shows the article itself, not an index, a login page or "
                            "a page that needs JavaScript")


def _canonical(tree) -> str | None:
    """The page's own web address (canonical link or og:url), against which its links are resolved."""
    for address in _OWN_ADDRESS(tree):
        if urlsplit(address.strip()).scheme in ("http", "https"):
            return address.strip()
    return None


def _left_out_embeds(tree) -> list[str]:
    """Warnings for the embedded players, frames and forms of the article's own body (those of the
    rest of the page go with the navigation and ads, silently)."""
    bodies = _ARTICLE_BODIES(tree) or _MAIN(tree)
    if not bodies:
        return []
    body = max(bodies, key=lambda element: len(element.text_content()))
    found: dict[str, int] = {}
    for element in body.iter(*_EMBEDS, "form"):
        found[element.tag] = found.get(element.tag, 0) + 1
    return [f"{count} <{tag}> element{'s' if count > 1 else ''} left out of the article: an edition holds only "
            "its text and images" for tag, count in sorted(found.items())]


def _mark_images(tree) -> tuple[dict[int, str], dict[int, str]]:
    """Give every image a numbered placeholder address; return the real addresses and the captions
    (a `<figcaption>`, or a WordPress caption) by number. Tracking pixels go now."""
    addresses, captions = {}, {}
    for img in list(tree.iter("img")):
        address = image_address(img)
        if address is None or is_tracking_pixel(img):
            img.drop_tree()
            continue
        number = len(addresses) + 1
        addresses[number] = address
        for attribute in [name for name in img.attrib if name not in ("alt", "title")]:
            del img.attrib[attribute]  # trafilatura would look for the address in the lazy-loading ones
        img.set("src", _PLACEHOLDER.format(number))
        caption = _caption_of(img)
        if caption:
            captions[number] = caption
    return addresses, captions


def _caption_of(img) -> str | None:
    for ancestor in img.iterancestors():
        if ancestor.tag == "figure" or "wp-caption" in ancestor.get("class", ""):
            for caption in _CAPTIONS(ancestor):
                text = " ".join(caption.text_content().split())
                if text:
                    return text
            return None
    return None


def _curl_quotes_in(body, marks: tuple[str, str, str, str]) -> None:
    """The straight quotes of the page's prose made `marks`, block by block, so that a pair around an
    emphasis or a link matches; never inside code, whose characters are exact."""
    for block in body:
        slots = list(_text_slots(block, inside=True))
        if not slots:
            continue
        # A NUL (which no text can hold) marks where one text node ends; it is neither space nor a letter.
        curled = curl_quotes("\0".join(getattr(element, attribute) or "" for element, attribute in slots), marks)
        for (element, attribute), text in zip(slots, curled.split("\0")):
            setattr(element, attribute, text or None)


def _text_slots(element, inside: bool):
    """(element, "text" or "tail") for each run of prose text under `element` in reading order; its
    own tail too unless it is the block (`inside`)."""
    if element.tag not in ("code", "pre"):
        yield element, "text"
        for child in element:
            yield from _text_slots(child, inside=False)
    if not inside:
        yield element, "tail"


def _curled(metadata: Metadata, marks: tuple[str, str, str, str]) -> Metadata:
    """The page's prose metadata (title, description, authors, site name) with the language's quotes."""
    def curl(text: str | None) -> str | None:
        return curl_quotes(text, marks) if text else text

    return dataclasses.replace(metadata, title=curl(metadata.title), description=curl(metadata.description),
                               publisher=curl(metadata.publisher),
                               authors=tuple(Author(curl(author.name)) for author in metadata.authors))


def _html_body(body):
    """trafilatura's XML body as HTML elements (in place)."""
    etree.strip_elements(body, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for element in body.iter():
        tag, rend = element.tag, element.get("rend", "")
        if tag == "head":
            element.tag = rend if re.fullmatch(r"h[1-6]", rend) else "h3"
        elif tag == "list":
            element.tag = "ol" if rend == "ol" else "ul"
        elif tag == "hi":
            element.tag = _EMPHASIS.get(rend, _UNWRAPPED)
        elif tag == "code":
            inside_text = element.getparent() is not None and element.getparent().tag not in ("body", "quote", "item",
                                                                                             "cell", "div")
            element.tag = "code" if inside_text else "pre"
        elif tag == "cell":
            element.tag = "th" if element.get("role") == "head" else "td"
        elif tag == "ref":
            element.tag = "a"
            element.set("href", element.get("target", ""))
        elif tag == "graphic":
            element.tag = "img"
        else:
            element.tag = {"quote": "blockquote", "item": "li", "row": "tr", "lb": "br"}.get(tag, tag)
            if element.tag not in _CONVERTED:
                element.tag = _UNWRAPPED
        keep = {"a": ("href",), "img": ("src", "alt", "title")}.get(element.tag, ())
        for attribute in [name for name in element.attrib if name not in keep]:
            del element.attrib[attribute]
    etree.strip_tags(body, _UNWRAPPED)
    return body


def _restore_table_captions(body, table_captions: set[str]) -> None:
    """trafilatura makes a table's `<caption>` its first row (the caption in one cell, the others
    empty): such a row becomes the caption again."""
    for table in body.iter("table"):
        row = next(table.iter("tr"), None)
        cells = [] if row is None else [" ".join(cell.xpath("string()").split()) for cell in row]
        if cells and cells[0] in table_captions and not any(cells[1:]):
            row.getparent().remove(row)
            caption = etree.Element("caption")
            caption.text = cells[0]
            table.insert(0, caption)


def _take_images(body, addresses: dict[int, str], captions: dict[int, str], images: WebImages, base: str | None,
                 name: str, warnings: list[str]):
    """Load each image the extraction kept (web addresses relative to `base`, the fetched page's):
    standing alone it becomes a figure (with its caption); one that cannot be used is dropped with a
    warning (one per reason), a tracking pixel silently."""
    assets = []
    dropped: dict[str, list[str]] = {}
    for img in list(body.iter("img")):
        match = _PLACEHOLDER_NUMBER.match(img.get("src", ""))
        address = addresses.get(int(match.group(1))) if match else None
        try:
            if address is None:
                raise ImageDropped("its address is not one Pressroom can read")
            image = images.load(address, base)
        except ImageDropped as reason:
            shown = "an embedded image" if (address or "").startswith("data:") else repr((address or "")[:200])
            dropped.setdefault(str(reason), []).append(shown)
            _drop_image(img)
            continue
        if image.tiny:
            _remove(img)
            continue
        assets.append(image.asset)
        caption = captions.get(int(match.group(1)))
        img.set("src", image.asset.href)
        img.set("alt", " ".join((img.get("alt") or caption or "").split()))
        img.attrib.pop("title", None)
        _make_figure(img, caption)
    for reason, shown in dropped.items():
        listed = ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
        warnings.append(f"{name}: image {listed} dropped: {reason}" if len(shown) == 1
                        else f"{name}: {len(shown)} images ({listed}) dropped: {reason}")
    return assets


def _drop_image(img) -> None:
    """Take a dropped image out, with the paragraph it leaves empty and the credit line after it
    ("Photo: Getty Images"), which names what the edition no longer shows."""
    parent = img.getparent()
    empty = parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip() and not (img.tail or "").strip()
    holder = parent if empty else img
    following = holder.getnext()
    _remove(img)
    if empty:
        _remove(parent)
    if following is not None and following.tag == "p" and _CREDIT.match(" ".join(following.xpath("string()").split())):
        _remove(following)


def _make_figure(img, caption: str | None) -> None:
    """An image alone in its paragraph, or between blocks, is a figure; its caption follows it."""
    parent = img.getparent()
    alone = parent.tag == "p" and not (parent.text or "").strip() and len(parent) == 1 and not (img.tail or "").strip()
    if parent.tag not in ("body", "blockquote") and not alone:
        return
    holder = parent if alone else img
    figure = etree.Element("figure")
    holder.addprevious(figure)
    figure.tail = holder.tail if not alone else parent.tail
    figure.append(img)
    img.tail = None
    if alone:
        parent.getparent().remove(parent)
    if caption:
        etree.SubElement(figure, "figcaption").text = caption
        following = figure.getnext()
        if following is not None and following.tag == "p" and " ".join(following.xpath("string()").split()) == caption:
            _remove(following)


def _remove(element) -> None:
    """Take `element` out of the tree, keeping the text that follows it."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _resolve_links(body, base: str | None) -> None:
    """Links point at the web: relative ones resolved against the page's address; those that cannot
    be (a page's own `#anchors`, a saved page's relative links, scripts) keep only their words."""
    for link in list(body.iter("a")):
        href = (link.get("href") or "").strip()
        scheme = urlsplit(href).scheme.lower()
        if scheme in ("http", "https", "mailto"):
            continue
        if href and not href.startswith("#") and not scheme and base:
            link.set("href", urljoin(base, href))
            continue
        _unwrap(link)


def _unwrap(element) -> None:
    """Replace `element` by its content."""
    parent, index = element.getparent(), element.getparent().index(element)
    _append_text(parent, index, element.text)
    children = list(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    _append_text(parent, index + len(children), element.tail)
    parent.remove(element)


def _append_text(parent, index: int, text: str | None) -> None:
    """Add `text` after the child at `index - 1` of `parent` (or at its start)."""
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        parent[index - 1].tail = (parent[index - 1].tail or "") + text


def _sections(body, title: str, description: str | None) -> tuple[Section, ...]:
    """Split the body at its `<h1>`/`<h2>` headings; those before any text that repeat the title or
    the description (the headline and the standfirst) are dropped."""
    repeated = (title, description or "")
    ids = SectionIds()
    groups: list[tuple[str, str, list[str]]] = [(OPENING_ID, "", [])]
    loose = [html.escape(body.text or "", quote=False)]
    for element in body:
        if element.tag in _INLINE:
            loose.append(etree.tostring(element, encoding="unicode", with_tail=True))
            continue
        _flush(loose, groups)
        if element.tag in ("h1", "h2"):
            heading = " ".join(element.xpath("string()").split())
            if heading and not (len(groups) == 1 and not groups[0][2]
                                and any(_same_text(heading, text) for text in repeated if text)):
                groups.append((ids.take(heading), heading, []))
        else:
            groups[-1][2].append(etree.tostring(element, encoding="unicode", with_tail=False))
        loose = [html.escape(element.tail or "", quote=False)]
    _flush(loose, groups)
    if not groups[0][2] and len(groups) > 1:
        del groups[0]
    sections = []
    for section_id, heading, pieces in groups:
        fragment = make_fragment(sanitize_html("".join(pieces)))
        sections.append(Section(id=section_id, title=heading, html=fragment.html, images=fragment.images,
                                links=fragment.links, words=fragment.words))
    return tuple(sections)


def _take_standfirst(body, title: str, description: str | None) -> str | None:
    """The standfirst: a block opening the text (after a headline) that says what the description
    says, taken out of the body to be printed once, as the subtitle."""
    if not description or (body.text or "").strip():
        return None
    for element in body:
        text = " ".join(element.xpath("string()").split())
        if element.tag in ("h1", "h2") and _same_text(text, title):
            continue
        if element.tag in ("p", "h1", "h2", "h3", "h4") and _words(text) == _words(description):
            _remove(element)
            return text
        return None
    return None


def _flush(loose: list[str], groups: list[tuple[str, str, list[str]]]) -> None:
    """Text trafilatura left between blocks becomes a paragraph of its own."""
    text = "".join(loose)
    if re.sub(r"<[^>]*>", "", text).strip():
        groups[-1][2].append(f"<p>{text.strip()}</p>")
    loose.clear()


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _same_text(heading: str, title: str) -> bool:
    return _words(heading) == _words(title) or (len(_words(heading)) >= 3
                                                 and " ".join(_words(heading)) in " ".join(_words(title)))


def _fallback_title(path: Path, url: str | None) -> str:
    """A title for a page that states none: its address's last part, or its file name."""
    stem = urlsplit(url).path.rstrip("/").rpartition("/")[2] if url else path.name.split(".")[0]
    return re.sub(r"[-_]+", " ", stem).strip() or (urlsplit(url).hostname if url else "") or "Untitled page"
