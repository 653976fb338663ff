"""The EPUB 3 edition: one chapter per section, nav and NCX from one contents list, by ebooklib."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import partial

from ebooklib import epub
from lxml import etree

from ..articles import Article, Section
from .base import PAGE_SIZES, ExportFailed, Exporter, ExportOptions
from .cover import cover_png
from .editions import cover_alt_text, edition_date, edition_identifier
from .pagination import PageStart, insert_page_breaks, page_anchor
from .pdf import PdfExporter
from .rendering import read_template_file, render
from .xhtml import to_xhtml

XHTML = "application/xhtml+xml"
_UNDESCRIBED_IMAGE = re.compile(r'<img\b(?![^>]*\balt="[^"]+")[^>]*>')

@dataclass(frozen=True)
class Chapter:
    """A section and the XHTML file that holds it (relative to the text folder)."""

    section: Section
    href: str

class EpubExporter(Exporter):
    name = "epub"
    label = "EPUB"
    media_type = "application/epub+zip"
    extension = "epub"

    def prepare(self, options: ExportOptions) -> None:
        if options.page_list:
            PdfExporter().prepare(options)

    def export(self, article: Article, options: ExportOptions) -> bytes:
        starts = PdfExporter().page_starts(article, options) if options.page_list else ()
        book = self.build_package(article, options, bool(starts))
        chapters = [Chapter(section, f"{section.id}.xhtml") for section in article.sections]
        self.build_cover(book, article, options)
        self.build_content(book, article, chapters, starts)
        self.build_navigation(book, article, chapters, starts)
        return self.build_epub(book, article)

    def build_package(self, article: Article, options: ExportOptions, paginated: bool) -> epub.EpubBook:
        """The package metadata: Dublin Core, creators, series, page source, accessibility."""
        meta = article.metadata
        book = epub.EpubBook()
        book.metadata = {}
        book.IDENTIFIER_ID = "pub-id"
        book.set_identifier(edition_identifier(article))
        book.title = meta.title
        book.add_metadata("DC", "title", meta.title, {"id": "title"})
        book.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
        if meta.subtitle:
            book.add_metadata("DC", "title", meta.subtitle, {"id": "subtitle"})
            book.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
        book.set_language(meta.language)
        for number, author in enumerate(meta.authors, start=1):
            creator = f"creator-{number}"
            book.add_metadata("DC", "creator", author.name, {"id": creator})
            book.add_metadata(None, "meta", "aut", {"refines": f"#{creator}", "property": "role",
                                                    "scheme": "marc:relators"})
            if author.file_as:
                book.add_metadata(None, "meta", author.file_as, {"refines": f"#{creator}", "property": "file-as"})
        if meta.date:
            book.add_metadata("DC", "date", meta.date.isoformat())
        for name, value in (("description", meta.description), ("publisher", meta.publisher),
                            ("rights", meta.rights), ("source", meta.source_url)):
            if value:
                book.add_metadata("DC", name, value)
        for subject in meta.subjects:
            book.add_metadata("DC", "subject", subject)
        if meta.series:
            book.add_metadata(None, "meta", meta.series, {"property": "belongs-to-collection", "id": "series"})
            book.add_metadata(None, "meta", "series", {"refines": "#series", "property": "collection-type"})
            if meta.series_position is not None:
                book.add_metadata(None, "meta", str(meta.series_position),
                                  {"refines": "#series", "property": "group-position"})
        book.add_metadata("OPF", "generator", "", {"name": "generator", "content": "Pressroom"})
        if paginated:
            book.add_metadata(None, "meta", f"{edition_identifier(article)}#pdf-{options.page_size}",
                              {"property": "pageBreakSource"})
        self._accessibility(book, article, options, paginated)
        return book

    def _accessibility(self, book: epub.EpubBook, article: Article, options: ExportOptions,
                       paginated: bool) -> None:
        """Accessibility metadata that is true of this file: an image without alt text limits the claims."""
        has_images = bool(article.assets) or options.cover
        described = not any(_UNDESCRIBED_IMAGE.search(section.html) for section in article.sections)
        for mode in ["textual"] + (["visual"] if has_images else []):
            book.add_metadata(None, "meta", mode, {"property": "schema:accessMode"})
        if has_images:
            book.add_metadata(None, "meta", "textual,visual", {"property": "schema:accessModeSufficient"})
        if described:
            book.add_metadata(None, "meta", "textual", {"property": "schema:accessModeSufficient"})
        features = ["structuralNavigation", "tableOfContents", "readingOrder"]
        if has_images and described:
            features.append("alternativeText")
        if paginated:
            features += ["pageBreakMarkers", "pageNavigation"]
        for feature in features:
            book.add_metadata(None, "meta", feature, {"property": "schema:accessibilityFeature"})
        book.add_metadata(None, "meta", "none", {"property": "schema:accessibilityHazard"})
        summary = ("Text in reading order with a navigable table of contents; headings mark every section"
                   + (("; every image has a text alternative" if described else
                       "; some images have no text alternative") if has_images else "")
                   + (f"; page breaks of the {PAGE_SIZES[options.page_size]} PDF edition are marked" if paginated
                      else "") + ".")
        book.add_metadata(None, "meta", summary, {"property": "schema:accessibilitySummary"})
        if described:
            # Checked by DAISY Ace and EPUBCheck in the test suite for every kind of article we make.
            book.add_metadata(None, "meta", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA",
                              {"property": "dcterms:conformsTo"})

    def build_cover(self, book: epub.EpubBook, article: Article, options: ExportOptions) -> None:
        """The cover image (the front matter's, else a generated one) and a cover page first in the spine."""
        if not options.cover:
            return
        if article.metadata.cover:
            cover_src = article.metadata.cover
        else:
            image = epub.EpubItem(uid="cover-image", file_name="cover.png", media_type="image/png",
                                  content=cover_png(article))
            image.properties = ["cover-image"]
            book.add_item(image)
            cover_src = "../cover.png"
        book.add_metadata("OPF", "cover", "", {"name": "cover", "content": "cover-image"})
        page = _document("cover", "text/cover.xhtml", render("epub/cover.xhtml.jinja", article=article,
                                                              cover_src=cover_src, cover_alt=cover_alt_text(article)))
        book.add_item(page)
        book.spine.append(page)

    def build_content(self, book: epub.EpubBook, article: Article, chapters: list[Chapter],
                      starts: tuple[PageStart, ...]) -> None:
        """The stylesheet, the images, the title page and one XHTML file per section."""
        book.add_item(epub.EpubItem(uid="style", file_name="style/epub.css", media_type="text/css",
                                    content=read_template_file("epub/epub.css").encode()))
        for number, asset in enumerate(article.assets, start=1):
            is_cover = asset.href == article.metadata.cover
            item = epub.EpubItem(uid="cover-image" if is_cover else f"image-{number}", file_name=f"text/{asset.href}",
                                 media_type=asset.media_type, content=asset.path.read_bytes())
            item.properties = ["cover-image"] if is_cover else []
            book.add_item(item)
        titlepage = _document("titlepage", "text/titlepage.xhtml",
                              render("epub/titlepage.xhtml.jinja", article=article))
        book.add_item(titlepage)
        book.spine.append(titlepage)
        chapter_of = {chapter.section.id: chapter.href for chapter in chapters}
        fragment = partial(to_xhtml, chapter_of=chapter_of)
        for chapter in chapters:
            document = render("epub/chapter.xhtml.jinja", fragment=fragment, article=article,
                              sections=[chapter.section], heading_level=1, epub=True).encode("utf-8")
            breaks = [start for start in starts if start.section_id == chapter.section.id]
            if breaks:
                document = insert_page_breaks(document, breaks)
            item = epub.EpubItem(uid=f"chapter-{chapter.section.id}", file_name=f"text/{chapter.href}",
                                 media_type=XHTML, content=document)
            book.add_item(item)
            book.spine.append(item)

    def build_navigation(self, book: epub.EpubBook, article: Article, chapters: list[Chapter],
                         starts: tuple[PageStart, ...]) -> None:
        """The EPUB 3 navigation document and the NCX, from the same list of chapters."""
        chapter_of = {chapter.section.id: chapter for chapter in chapters}
        nav = _document("nav", "text/nav.xhtml", render(
            "epub/nav.xhtml.jinja", article=article, chapters=chapters, has_cover=book.get_item_with_id("cover") is not None,
            page_starts=[(chapter_of[start.section_id], start) for start in starts], page_anchor=page_anchor))
        nav.properties = ["nav"]
        book.add_item(nav)
        titlepage = book.spine.index(book.get_item_with_id("titlepage"))
        book.spine.insert(titlepage + 1, nav)
        book.add_item(epub.EpubItem(uid="ncx", file_name="toc.ncx", media_type="application/x-dtbncx+xml",
                                    content=render("epub/toc.ncx.jinja", article=article, chapters=chapters,
                                                   identifier=edition_identifier(article)).encode()))

    def build_epub(self, book: epub.EpubBook, article: Article) -> bytes:
        """The zip container, with fixed timestamps so the same article gives the same bytes."""
        date = edition_date(article)
        buffer = io.BytesIO()
        try:
            epub.write_epub(buffer, book, {"raise_exceptions": True, "mtime": date, "epub2_guide": False,
                                           "epub3_landmark": False, "epub3_pages": False, "compresslevel": 9})
        except Exception as error:  # ebooklib raises bare OSError/ValueError/lxml errors
            raise ExportFailed(article, "EPUB", f"the EPUB writer refused it ({error})") from None
        return _repack(buffer.getvalue(), date.timetuple()[:6], article.metadata.language)

def _document(uid: str, file_name: str, content: str) -> epub.EpubItem:
    return epub.EpubItem(uid=uid, file_name=file_name, media_type=XHTML, content=content.encode("utf-8"))

def _repack(data: bytes, date_time: tuple, language: str) -> bytes:
    """Rewrite ebooklib's zip: every entry dated `date_time` (`mimetype` first and stored), and the
    package's own language declared, which ebooklib leaves out."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "EPUB/content.opf":
                package = etree.fromstring(content)
                package.set("{http://www.w3.org/XML/1998/namespace}lang", language)
                content = etree.tostring(package, xml_declaration=True, encoding="utf-8", pretty_print=True)
            entry = zipfile.ZipInfo(info.filename, date_time=max(date_time, (1980, 1, 1, 0, 0, 0)))
            entry.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content, compresslevel=9)
    return target_buffer.getvalue()
