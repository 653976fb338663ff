"""The EPUB 3 edition: one chapter per section, nav and NCX from one contents list, by ebooklib."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from functools import partial

from ebooklib import epub

from articles import Article, Section
from exporters.base import ExportFailed, Exporter, ExportOptions
from exporters.editions import edition_date, edition_identifier
from exporters.rendering import read_template_file, render
from exporters.xhtml import to_xhtml

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

    def export(self, article: Article, options: ExportOptions) -> bytes:
        book = self.build_package(article)
        chapters = [Chapter(section, f"{section.id}.xhtml") for section in article.sections]
        self.build_content(book, article, chapters)
        self.build_navigation(book, article, chapters)
        return self.build_epub(book, article)

    def build_package(self, article: Article) -> epub.EpubBook:
        """The package metadata: Dublin Core, creators, series, accessibility."""
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
        self._accessibility(book, article)
        return book

    def _accessibility(self, book: epub.EpubBook, article: Article) -> None:
        has_images = bool(article.assets)
        modes = ["textual"] + (["visual"] if has_images else [])
        features = ["structuralNavigation", "tableOfContents", "readingOrder"]
        if has_images:
            features.append("alternativeText")
        for mode in modes:
            book.add_metadata(None, "meta", mode, {"property": "schema:accessMode"})
        book.add_metadata(None, "meta", "textual", {"property": "schema:accessModeSufficient"})
        for feature in features:
            book.add_metadata(None, "meta", feature, {"property": "schema:accessibilityFeature"})
        book.add_metadata(None, "meta", "none", {"property": "schema:accessibilityHazard"})
        book.add_metadata(None, "meta", "Text in reading order with a navigable table of contents; "
                          "headings mark every section.", {"property": "schema:accessibilitySummary"})

    def build_content(self, book: epub.EpubBook, article: Article, chapters: list[Chapter]) -> None:
        """The stylesheet, the images, the title page and one XHTML file per section."""
        book.add_item(epub.EpubItem(uid="style", file_name="style/epub.css", media_type="text/css",
                                    content=read_template_file("epub/epub.css").encode()))
        for number, asset in enumerate(article.assets, start=1):
            book.add_item(epub.EpubItem(uid=f"image-{number}", file_name=f"text/{asset.href}",
                                        media_type=asset.media_type, content=asset.path.read_bytes()))
        titlepage = _document("titlepage", "text/titlepage.xhtml",
                              render("epub/titlepage.xhtml.jinja", article=article))
        book.add_item(titlepage)
        book.spine.append(titlepage)
        chapter_of = {chapter.section.id: chapter.href for chapter in chapters}
        fragment = partial(to_xhtml, chapter_of=chapter_of)
        for chapter in chapters:
            document = render("epub/chapter.xhtml.jinja", fragment=fragment, article=article,
                              sections=[chapter.section], heading_level=1, epub=True)
            item = _document(f"chapter-{chapter.section.id}", f"text/{chapter.href}", document)
            book.add_item(item)
            book.spine.append(item)

    def build_navigation(self, book: epub.EpubBook, article: Article, chapters: list[Chapter]) -> None:
        """The EPUB 3 navigation document and the NCX, from the same list of chapters."""
        nav = _document("nav", "text/nav.xhtml", render("epub/nav.xhtml.jinja", article=article, chapters=chapters))
        nav.properties = ["nav"]
        book.add_item(nav)
        book.spine.insert(1, nav)
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
        return _with_fixed_timestamps(buffer.getvalue(), date.timetuple()[:6])

def _document(uid: str, file_name: str, content: str) -> epub.EpubItem:
    return epub.EpubItem(uid=uid, file_name=file_name, media_type=XHTML, content=content.encode("utf-8"))

def _with_fixed_timestamps(data: bytes, date_time: tuple) -> bytes:
    """Rewrite the zip with every entry dated `date_time`; `mimetype` stays first and stored."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=max(date_time, (1980, 1, 1, 0, 0, 0)))
            entry.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename), compresslevel=9)
    return target_buffer.getvalue()

