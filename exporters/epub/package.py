"""The EPUB 3 package, built by ebooklib: metadata, cover, one chapter per section, nav and NCX from one
contents list, written reproducibly."""

from __future__ import annotations

import html as html_text
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ebooklib import epub

from ...articles import Publication, Section
from ..base import Edition, EditionFile, ExportFailed, View
from ..edition_facts import cover_alt_text, edition_identifier
from ..page_breaks import insert_page_breaks
from ..pagination import PageList, page_anchor
from ..rendering import read_template_file, render
from ..typefaces import faces_for, writing_direction
from ..user_cache import cached_bytes, package_file
from ..words import words_for
from ..xhtml import edition_ids, ids_in, links_to_files

if TYPE_CHECKING:
    from ...articles import Chapter

XHTML = "application/xhtml+xml"


@dataclass(frozen=True)
class ContentDocument:
    """The sections one XHTML file holds (`href`, relative to the text folder): one section of an
    article, or all of a book's chapter (`opening`, whose title and byline open the file)."""

    sections: tuple[Section, ...]
    href: str
    title: str
    opening: Chapter | None = None


@dataclass(frozen=True)
class NavPoint:
    """An entry of the NCX, in reading order (`order`), with the entries under it."""

    id: str
    label: str
    src: str
    order: int
    children: tuple[NavPoint, ...] = ()


def make_epub(article: Publication, settings: Mapping[str, Any], pages: PageList | None,
              media_type: str) -> Edition:
    """The EPUB edition of `article`: its file, its spine as views, the files a preview may show."""
    named, article = article, edition_ids(article)
    book = build_package(article, settings, pages)
    if article.chapters:
        chapters = [ContentDocument(chapter.sections, f"{chapter.id}.xhtml", chapter.title, chapter)
                    for chapter in article.chapters]
    else:  # each file named by its section's id as read (the ids inside carry the edition's prefix)
        chapters = [ContentDocument((section,), f"{name.id}.xhtml", section.label or article.title)
                    for name, section in zip(named.sections, article.sections)]
    build_cover(book, article, settings)
    build_content(book, article, chapters, pages)
    build_navigation(book, article, chapters, pages)
    data = build_epub(book, article)
    titles = {"cover": "Cover", "titlepage": article.title, "nav": "Contents"}
    titles.update({f"chapter-{chapter.href[:-len('.xhtml')]}": chapter.title for chapter in chapters})
    titles.update({part.id: part.title for part in article.parts})
    titles["contributors"] = words_for(article.metadata.language).say("contributors")
    views = tuple(View(item.file_name, titles[item.id]) for item in book.spine)
    return Edition((EditionFile(f"{article.slug}.epub", data, media_type),), views,
                   resources={item.file_name: item.media_type for item in book.get_items()
                              if item.file_name.startswith(("text/", "style/")) or item.file_name == "cover.png"})


def build_package(article: Publication, settings: Mapping[str, Any], pages: PageList | None) -> epub.EpubBook:
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
    if writing_direction(meta) == "rtl":
        book.set_direction("rtl")  # the spine's page-progression-direction: pages turn leftwards
    # A book's editors are its creators too; each chapter's authors are its contributors.
    creators = [(author, "aut") for author in meta.authors] + [(editor, "edt") for editor in article.editors]
    credited = {author.name for author, _ in creators}
    contributors = list({author.name: author for chapter in article.chapters for author in chapter.authors
                         if author.name not in credited}.values())
    people = ([("creator", author, role) for author, role in creators]
              + [("contributor", author, "aut") for author in contributors])
    for number, (element, author, role) in enumerate(people, start=1):
        creator = f"{element}-{number}"
        book.add_metadata("DC", element, author.name, {"id": creator})
        book.add_metadata(None, "meta", role, {"refines": f"#{creator}", "property": "role",
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
    _accessibility(book, article, settings, pages)
    return book

def _accessibility(book: epub.EpubBook, article: Publication, settings: Mapping[str, Any],
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

def build_cover(book: epub.EpubBook, article: Publication, settings: Mapping[str, Any]) -> None:
    """The cover image (the front matter's, else a generated one) and a cover page first in the spine."""
    if not settings["cover"]:
        return
    if article.metadata.cover:
        cover_src = article.metadata.cover
    else:
        image = epub.EpubItem(uid="cover-image", file_name="cover.png", media_type="image/png",
                              content=generated_cover(article))
        image.properties = ["cover-image"]
        book.add_item(image)
        cover_src = "../cover.png"
    book.add_metadata("OPF", "cover", "", {"name": "cover", "content": "cover-image"})
    page = _document("cover", "text/cover.xhtml", render("epub/cover.xhtml.jinja", article=article,
                                                          cover_src=cover_src, cover_alt=cover_alt_text(article)))
    book.add_item(page)
    book.spine.append(page)

def build_content(book: epub.EpubBook, article: Publication, chapters: list[ContentDocument],
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
    # The ids the author gave in the text first, so that a section's own id wins over a duplicate of it.
    file_of = {html_text.unescape(name): chapter.href for chapter in chapters for section in chapter.sections
               for html in (section.html, *(note.html for note in section.footnotes)) for name in ids_in(html)}
    file_of.update({section.id: chapter.href for chapter in chapters for section in chapter.sections})
    file_of.update({chapter.opening.id: chapter.href for chapter in chapters if chapter.opening is not None})
    fragment = links_to_files(file_of)
    part_opened = {part.chapters[0].id: part for part in article.parts if part.title}
    for chapter in chapters:
        part = part_opened.get(chapter.opening.id) if chapter.opening is not None else None
        if part is not None:
            _add_document(book, part.id, f"text/{part.id}.xhtml", _chapter_document(
                fragment, article, part.title, part=part))
        document = _chapter_document(fragment, article, chapter.title, sections=chapter.sections,
                                     book_chapter=chapter.opening).encode("utf-8")
        breaks = [start for section in chapter.sections
                  for start in (pages.starts_in(section.id) if pages is not None else ())]
        if breaks:
            document = insert_page_breaks(document, breaks)
        _add_document(book, f"chapter-{chapter.href[:-len('.xhtml')]}", f"text/{chapter.href}", document)
    if article.chapters:
        _add_document(book, "contributors", "text/contributors.xhtml", _chapter_document(
            fragment, article, words_for(article.metadata.language).say("contributors"), back_matter=True))

def _add_document(book: epub.EpubBook, uid: str, file_name: str, content: str | bytes) -> None:
    item = epub.EpubItem(uid=uid, file_name=file_name, media_type=XHTML,
                         content=content.encode("utf-8") if isinstance(content, str) else content)
    book.add_item(item)
    book.spine.append(item)

def build_navigation(book: epub.EpubBook, article: Publication, chapters: list[ContentDocument],
                     pages: PageList | None) -> None:
    """The EPUB 3 navigation document and the NCX, from the same list of chapters."""
    chapter_of = {section.id: chapter for chapter in chapters for section in chapter.sections}
    href_of = _addresses(article, chapters)
    nav = _document("nav", "text/nav.xhtml", render(
        "epub/nav.xhtml.jinja", article=article, chapters=chapters, has_cover=book.get_item_with_id("cover") is not None,
        contents_href=lambda target: href_of[target.id], with_sections=True,
        page_starts=[(chapter_of[start.section_id], start) for start in (pages.starts if pages else ())],
        page_anchor=page_anchor))
    nav.properties = ["nav"]
    book.add_item(nav)
    titlepage = book.spine.index(book.get_item_with_id("titlepage"))
    book.spine.insert(titlepage + 1, nav)
    book.add_item(epub.EpubItem(uid="ncx", file_name="toc.ncx", media_type="application/x-dtbncx+xml",
                                content=render("epub/toc.ncx.jinja", article=article, identifier=edition_identifier(article),
                                               nav_points=_nav_points(article, href_of)).encode()))

def build_epub(book: epub.EpubBook, article: Publication) -> bytes:
    """The zip container: `mimetype` first and stored, every entry dated like the edition, so the
    same article gives the same bytes."""
    buffer = io.BytesIO()
    writer = _ReproducibleWriter(buffer, book, {"mtime": article.edition_date, "epub2_guide": False,
                                                "epub3_landmark": False, "epub3_pages": False,
                                                "package_direction": True})
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


def _addresses(article: Publication, chapters: list[ContentDocument]) -> dict[str, str]:
    """Where each part, chapter and section the contents list is, by its id (relative to the text folder)."""
    if not article.chapters:
        return {section.id: chapter.href for chapter in chapters for section in chapter.sections}
    addresses = {part.id: f"{part.id}.xhtml" for part in article.parts if part.title}
    for chapter in chapters:
        addresses[chapter.opening.id] = chapter.href
        addresses.update({section.id: f"{chapter.href}#{section.id}" for section in chapter.sections})
    return addresses


def _nav_points(article: Publication, href_of: Mapping[str, str]) -> list[NavPoint]:
    """The NCX's entries: an article's contents, or a book's parts, chapters (with their authors) and sections."""
    order = iter(range(1, 1_000_000))
    if not article.chapters:
        return [NavPoint(f"nav-{section.id}", section.label or article.title, href_of[section.id], next(order))
                for section in article.contents]
    words = words_for(article.metadata.language)

    def chapter_point(chapter: Chapter) -> NavPoint:
        label = chapter.title + (f" — {words.names([author.name for author in chapter.authors])}"
                                 if chapter.authors else "")
        point_order = next(order)
        return NavPoint(f"nav-{chapter.id}", f"{chapter.number}. {label}", href_of[chapter.id], point_order, tuple(
            NavPoint(f"nav-{section.id}", section.label, href_of[section.id], next(order))
            for section in chapter.contents))

    points = []
    for part in article.parts:
        if part.title:
            part_order = next(order)
            points.append(NavPoint(f"nav-{part.id}", part.title, href_of[part.id], part_order,
                                   tuple(chapter_point(chapter) for chapter in part.chapters)))
        else:
            points += [chapter_point(chapter) for chapter in part.chapters]
    return points


def _chapter_document(fragment, article: Publication, title: str, *, sections: tuple[Section, ...] = (),
                      book_chapter: Chapter | None = None, part=None, back_matter: bool = False) -> str:
    """An XHTML document of the e-book's text: an article's section, a book's chapter, part page or back matter."""
    return render("epub/chapter.xhtml.jinja", fragment=fragment, article=article, title=title, sections=sections,
                  chapter=book_chapter, part=part, back_matter=back_matter, heading_level=1, epub=True)


def generated_cover(article: Publication) -> bytes:
    """The drawn cover as a PNG, from the user's cache when this design, these words and these faces
    made it before (drawing it with Pillow costs more than the rest of a small e-book)."""
    meta = article.metadata
    faces = faces_for(meta.language)
    # Fonts by file, size and time (installed faces can be large: their bytes are not hashed each run).
    fonts = [f"{path}:{path.stat().st_size}:{path.stat().st_mtime_ns}"
             for path in (face.path for face in (*faces.serif, *faces.sans)) if path is not None]
    inputs = [meta.title, meta.subtitle or "", "\n".join(author.name for author in article.credited), meta.language,
              str(meta.direction), *fonts]

    def draw() -> bytes:
        from .cover import cover_png

        return cover_png(article)

    code = [package_file("exporters/epub/cover.py"), package_file("exporters/typefaces.py"),
            package_file("exporters/words.py")]
    return cached_bytes("covers", inputs, code, draw)


def _document(uid: str, file_name: str, content: str) -> epub.EpubItem:
    return epub.EpubItem(uid=uid, file_name=file_name, media_type=XHTML, content=content.encode("utf-8"))
