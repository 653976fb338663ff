"""The EPUB 3 edition: one chapter per section, nav and NCX from one contents list, by ebooklib."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ebooklib import epub

from ..articles import Article, Section
from .base import Edition, EditionFile, ExportFailed, Exporter, Finding, Option, View
from .cover import cover_png
from .editions import cover_alt_text, edition_identifier
from .page_breaks import insert_page_breaks
from .pagination import PageList, page_anchor
from .rendering import read_template_file, render
from .xhtml import links_to_files

XHTML = "application/xhtml+xml"

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
    options = (
        Option("cover", "Cover", True, help="Open the edition with a cover."),
        Option("page_list", "Print page numbers", None,
               help="Mark where the print edition's pages begin, so readers can cite them (costs a print "
                    "layout).  [default: when the print edition is made too]"),
    )
    preview_label = "E-book chapters"
    check_label = "Check the EPUB (EPUBCheck)"

    def wants_pages(self, settings: Mapping[str, Any]) -> bool:
        return bool(settings["page_list"])

    def export(self, article: Article, settings: Mapping[str, Any], pages: PageList | None = None) -> Edition:
        book = self.build_package(article, settings, pages)
        chapters = [Chapter(section, f"{section.id}.xhtml") for section in article.sections]
        self.build_cover(book, article, settings)
        self.build_content(book, article, chapters, pages)
        self.build_navigation(book, article, chapters, pages)
        data = self.build_epub(book, article)
        views = tuple(View(item.file_name, _document_titles(item, article, chapters)) for item in book.spine)
        return Edition((EditionFile(f"{article.slug}.epub", data, self.media_type),), views,
                       resources={item.file_name: item.media_type for item in book.get_items()
                                  if item.file_name.startswith(("text/", "style/")) or item.file_name == "cover.png"})

    def check(self, edition: Edition) -> list[Finding]:
        from .epub_check import check_epub

        return check_epub(edition.main.data)

    def preview_file(self, edition: Edition, name: str, query: Mapping[str, str]) -> tuple[bytes, str] | None:
        media_type = edition.resources.get(name)
        if media_type is None:
            return None
        return zipfile.ZipFile(io.BytesIO(edition.main.data)).read(f"EPUB/{name}"), media_type

    def build_package(self, article: Article, settings: Mapping[str, Any], pages: PageList | None) -> epub.EpubBook:
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
        if pages is not None:
            book.add_metadata(None, "meta", f"{edition_identifier(article)}#{pages.source}",
                              {"property": "pageBreakSource"})
        self._accessibility(book, article, settings, pages)
        return book

    def _accessibility(self, book: epub.EpubBook, article: Article, settings: Mapping[str, Any],
                       pages: PageList | None) -> None:
        """Accessibility metadata that is true of this file: an image without alt text limits the claims."""
        has_images = bool(article.assets) or settings["cover"]
        described = all(image.alt.strip() for section in article.sections for image in section.images)
        for mode in ["textual"] + (["visual"] if has_images else []):
            book.add_metadata(None, "meta", mode, {"property": "schema:accessMode"})
        if has_images:
            book.add_metadata(None, "meta", "textual,visual", {"property": "schema:accessModeSufficient"})
        if described:
            book.add_metadata(None, "meta", "textual", {"property": "schema:accessModeSufficient"})
        features = ["structuralNavigation", "tableOfContents", "readingOrder"]
        if has_images and described:
            features.append("alternativeText")
        if pages is not None:
            features += ["pageBreakMarkers", "pageNavigation"]
        for feature in features:
            book.add_metadata(None, "meta", feature, {"property": "schema:accessibilityFeature"})
        book.add_metadata(None, "meta", "none", {"property": "schema:accessibilityHazard"})
        summary = ("Text in reading order with a navigable table of contents; headings mark every section"
                   + (("; every image has a text alternative" if described else
                       "; some images have no text alternative") if has_images else "")
                   + (f"; page breaks of {pages.description} are marked" if pages is not None else "") + ".")
        book.add_metadata(None, "meta", summary, {"property": "schema:accessibilitySummary"})
        if described:
            # Checked by DAISY Ace and EPUBCheck in the test suite for every kind of article we make.
            book.add_metadata(None, "meta", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA",
                              {"property": "dcterms:conformsTo"})

    def build_cover(self, book: epub.EpubBook, article: Article, settings: Mapping[str, Any]) -> None:
        """The cover image (the front matter's, else a generated one) and a cover page first in the spine."""
        if not settings["cover"]:
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
                      pages: PageList | None) -> None:
        """The stylesheet, the images, the title page and one XHTML file per section."""
        book.add_item(epub.EpubItem(uid="style", file_name="style/epub.css", media_type="text/css",
                                    content=read_template_file("epub/epub.css").encode()))
        for number, asset in enumerate(article.assets, start=1):
            is_cover = asset.href == article.metadata.cover
            item = epub.EpubItem(uid="cover-image" if is_cover else f"image-{number}", file_name=f"text/{asset.href}",
                                 media_type=asset.media_type, content=asset.read_bytes())
            item.properties = ["cover-image"] if is_cover else []
            book.add_item(item)
        titlepage = _document("titlepage", "text/titlepage.xhtml",
                              render("epub/titlepage.xhtml.jinja", article=article))
        book.add_item(titlepage)
        book.spine.append(titlepage)
        fragment = links_to_files({chapter.section.id: chapter.href for chapter in chapters})
        for chapter in chapters:
            document = render("epub/chapter.xhtml.jinja", fragment=fragment, article=article,
                              sections=[chapter.section], heading_level=1, epub=True).encode("utf-8")
            breaks = pages.starts_in(chapter.section.id) if pages is not None else []
            if breaks:
                document = insert_page_breaks(document, breaks)
            item = epub.EpubItem(uid=f"chapter-{chapter.section.id}", file_name=f"text/{chapter.href}",
                                 media_type=XHTML, content=document)
            book.add_item(item)
            book.spine.append(item)

    def build_navigation(self, book: epub.EpubBook, article: Article, chapters: list[Chapter],
                         pages: PageList | None) -> None:
        """The EPUB 3 navigation document and the NCX, from the same list of chapters."""
        chapter_of = {chapter.section.id: chapter for chapter in chapters}
        nav = _document("nav", "text/nav.xhtml", render(
            "epub/nav.xhtml.jinja", article=article, chapters=chapters, has_cover=book.get_item_with_id("cover") is not None,
            contents_href=lambda section: chapter_of[section.id].href,
            page_starts=[(chapter_of[start.section_id], start) for start in (pages.starts if pages else ())],
            page_anchor=page_anchor))
        nav.properties = ["nav"]
        book.add_item(nav)
        titlepage = book.spine.index(book.get_item_with_id("titlepage"))
        book.spine.insert(titlepage + 1, nav)
        book.add_item(epub.EpubItem(uid="ncx", file_name="toc.ncx", media_type="application/x-dtbncx+xml",
                                    content=render("epub/toc.ncx.jinja", article=article, identifier=edition_identifier(article),
                                                   contents_href=lambda section: chapter_of[section.id].href).encode()))

    def build_epub(self, book: epub.EpubBook, article: Article) -> bytes:
        """The zip container: `mimetype` first and stored, every entry dated like the edition, so the
        same article gives the same bytes."""
        buffer = io.BytesIO()
        writer = _ReproducibleWriter(buffer, book, {"mtime": article.edition_date, "epub2_guide": False,
                                                    "epub3_landmark": False, "epub3_pages": False})
        try:
            writer.process()
            writer.write()
        except Exception as error:  # ebooklib raises bare OSError/ValueError/lxml errors
            raise ExportFailed(article, "EPUB", f"the EPUB writer refused it ({error})") from None
        return buffer.getvalue()


class _ReproducibleWriter(epub.EpubWriter):
    """ebooklib's writer with fixed zip dates and the package's own language declared."""

    def write(self) -> None:
        self.out = _DatedZipFile(self.file_name, edition_date_time(self.options["mtime"]))
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()

    def _write_opf_file(self, root) -> None:
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.book.language)
        super()._write_opf_file(root)


class _DatedZipFile(zipfile.ZipFile):
    """A zip whose every entry gets the same date and plain file permissions."""

    def __init__(self, file, date_time: tuple) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, compresslevel=9)
        self._date_time = date_time

    def writestr(self, name, data, compress_type=None, compresslevel=None) -> None:
        if isinstance(name, str):
            entry = zipfile.ZipInfo(name, date_time=self._date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED if compress_type is None else compress_type
            entry.external_attr = 0o644 << 16
            name = entry
        super().writestr(name, data, compress_type=compress_type, compresslevel=compresslevel)


def edition_date_time(date) -> tuple:
    return max(date.timetuple()[:6], (1980, 1, 1, 0, 0, 0))


def _document_titles(item, article: Article, chapters: list[Chapter]) -> str:
    titles = {"cover": "Cover", "titlepage": article.title, "nav": "Contents"}
    if item.id in titles:
        return titles[item.id]
    return next(chapter.section.label or article.title for chapter in chapters
                if f"chapter-{chapter.section.id}" == item.id)


def _document(uid: str, file_name: str, content: str) -> epub.EpubItem:
    return epub.EpubItem(uid=uid, file_name=file_name, media_type=XHTML, content=content.encode("utf-8"))
