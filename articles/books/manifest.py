"""Reading a book manifest (BOOK.yaml) into a `Book`: its metadata, its parts and the articles they bind."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import ContentError, PressroomError
from ..content.assets import load_asset
from ..content.section_ids import slugify
from ..model import Article, Author, Metadata
from ..content.quotes import quote_marks
from ..readers.front_matter import curled_fields, metadata_fields, people, text_value
from ..readers.sources import edition_date, is_web_address, read_source, slug_for
from ..readers.yaml_loader import Located, YamlLoader, quoted, read_yaml_file, without_lines
from .binding import bind
from .book import Book, Chapter, Part

MAX_MANIFEST_CHARS = 64 * 1024
BOOK_TEXT_FIELDS = ("title", "subtitle", "description", "publisher", "rights", "identifier", "cover", "series")
KNOWN_KEYS = (*BOOK_TEXT_FIELDS, "series_position", "editors", "authors", "lang", "language", "date", "articles",
              "parts")
ENTRY_KEYS = ("path", "title", "authors")
_ENTRY_FIX = "write each entry as '- essays/one.md', or as '- path: essays/one.md' with 'title:' or 'authors:' under it"


@dataclass(frozen=True)
class Entry:
    """One article the manifest lists: its address as written, the line it is on (None when it comes
    from the command line), the part it belongs to, and the title and authors it gives it."""

    address: str
    line: int | None
    part: int
    title: str | None = None
    authors: tuple[Author, ...] | None = None


@dataclass(frozen=True)
class Manifest:
    """A manifest as written, none of its articles read: the book's fields, editors, parts, entries."""

    path: Path
    digest: str
    fields: dict[str, Any]
    editors: tuple[Author, ...]
    part_titles: list[str]
    entries: list[Entry]
    warnings: tuple[str, ...]

    @property
    def title(self) -> str:
        return self.fields["title"]


def read_manifest(path: Path | str) -> Manifest:
    """The manifest at `path`, checked line by line (a ContentError naming the line), its articles unread."""
    path = Path(path)
    data, text = read_yaml_file(path, "manifest", MAX_MANIFEST_CHARS, "check the path of the BOOK.yaml file",
                                "list the articles and the book's metadata only")
    values = YamlLoader(path, subject="manifest", as_written=(*BOOK_TEXT_FIELDS, "editors", "authors", "lang",
                                                              "language"),
                        located=("articles", "parts")).load_mapping(text)
    for key, (_, line) in values.items():
        if key not in KNOWN_KEYS:
            raise ContentError(path, f"the manifest has no key {quoted(key)}", line=line,
                               fix=f"use only {', '.join(KNOWN_KEYS)}")
    if "title" not in values:
        raise ContentError(path, "the manifest gives the book no title", line=1, fix="add a line 'title: The book'")
    warnings: list[str] = []
    fields, metadata_warnings = metadata_fields(path, {key: value for key, value in values.items()
                                                       if key in (*BOOK_TEXT_FIELDS, "authors", "lang", "language",
                                                                  "date", "series_position")})
    warnings += metadata_warnings
    editors = (people(path, "editors", values["editors"].value, values["editors"].line, warnings)
               if values.get("editors", Located(None, 0)).value is not None else ())
    part_titles, entries = _entries(path, values, warnings)
    return Manifest(path, hashlib.sha256(data).hexdigest(), fields, editors, part_titles, entries, tuple(warnings))


def read_book(path: Path | str, skip_bad: bool = False, within: Path | None = None,
              allowed_hosts: tuple[str, ...] = (), language: str | None = None) -> Book:
    """The book the manifest at `path` describes; a ContentError naming the manifest's line otherwise.

    `skip_bad` leaves out an article that cannot be read (a warning says so) instead of failing;
    `within`, when given, is the folder every article must be in (a library's content folder), and
    no entry may be a web address; otherwise web addresses are fetched like one named on the command
    line, a host that is not public only if `allowed_hosts` names it. `language`, when given, is the
    language of the book and of every article in it, over what they declare.
    """
    manifest = read_manifest(path)
    return bind_book(manifest.path, slug_for(manifest.path), dict(manifest.fields), manifest.editors,
                     manifest.part_titles, manifest.entries, skip_bad=skip_bad, within=within,
                     digest_of_manifest=manifest.digest, warnings=list(manifest.warnings), allowed_hosts=allowed_hosts,
                     language=language)


def book_of_sources(title: str, sources: list[Path | str], skip_bad: bool = False,
                    allowed_hosts: tuple[str, ...] = (), language: str | None = None) -> Book:
    """A book titled `title` binding `sources` (files or web addresses) in order
    (`pressroom export A B C --book TITLE`), in `language` when given (as `read_book` takes it)."""
    here = Path("--book")  # what messages name: the sources come from the command line
    entries = [Entry(str(source), None, 0) for source in sources]
    return bind_book(here, slugify(title)[:80].rstrip("-") or "book", {"title": " ".join(title.split())}, (), [""],
                     entries, skip_bad=skip_bad, within=None,
                     digest_of_manifest=hashlib.sha256(title.encode()).hexdigest(), warnings=[],
                     relative_to=Path.cwd(), allowed_hosts=allowed_hosts, language=language)


def bind_book(path: Path, slug: str, fields: dict[str, Any], editors: tuple[Author, ...], part_titles: list[str],
              entries: list[Entry], *, skip_bad: bool, within: Path | None, digest_of_manifest: str,
              warnings: list[str], relative_to: Path | None = None, allowed_hosts: tuple[str, ...] = (),
              language: str | None = None) -> Book:
    """Read and bind the articles of `entries` (addresses relative to `relative_to`, by default the
    manifest's folder) into a book of parts titled `part_titles`."""
    folder = (relative_to or path.parent).resolve()
    within = within.resolve() if within is not None else None
    read: list[tuple[Entry, Article]] = []
    first_line_of: dict[Path | str, Entry] = {}
    for entry in entries:
        source = _article_source(path, folder, entry, within)
        if source in first_line_of:
            earlier = first_line_of[source]
            raise ContentError(path, f"{quoted(entry.address)} is listed twice"
                               + (f" (first on line {earlier.line})" if earlier.line else ""),
                               line=entry.line, fix="list each article once")
        first_line_of[source] = entry
        try:
            article = read_source(source, allowed_hosts, language)
        except PressroomError as error:  # an unreadable file, or a page that cannot be fetched
            if not skip_bad:
                raise ContentError(path, f"the article {quoted(entry.address)} cannot be read: {error}",
                                   line=entry.line, fix="correct the article, or leave it out with --skip-bad") from None
            warnings.append(f"{path}{f', line {entry.line}' if entry.line else ''}: the article "
                            f"{quoted(entry.address)} is left out of the book: {error}")
            continue
        warnings += article.warnings
        read.append((entry, article))
    if not read:
        raise ContentError(path, "no article of the book can be read", fix="correct the articles the warnings name")
    chapters = _chapters(read)
    parts = tuple(Part(number, title, tuple(chapter for (entry, _), chapter in zip(read, chapters, strict=True)
                                            if entry.part == number - 1))
                  for number, title in enumerate(part_titles, start=1))
    parts = tuple(part for part in parts if part.chapters)
    fields["language"] = language or fields.get("language") or read[0][1].metadata.language
    metadata = Metadata(**curled_fields(fields, quote_marks(fields["language"])))
    cover = load_asset(path, metadata.cover) if metadata.cover else None
    newest = max(article.edition_date for _, article in read)
    digest = hashlib.sha256(digest_of_manifest.encode())
    for chapter in chapters:
        digest.update(b"\0" + chapter.article.digest.encode())
    if cover is not None:
        digest.update(b"\0" + cover.path.read_bytes())
    return Book(slug=slug, metadata=metadata, editors=editors, parts=parts, source_path=path,
                digest=digest.hexdigest(), edition_date=edition_date(metadata, newest), cover=cover,
                warnings=tuple(warnings))


def _entries(path: Path, values: dict[str, Located], warnings: list[str]) -> tuple[list[str], list[Entry]]:
    """The part titles (one "" when the manifest lists `articles:`) and every entry, in order."""
    if ("articles" in values) == ("parts" in values):
        line = values["parts"].line if "parts" in values else 1
        raise ContentError(path, "the manifest must list either 'articles:' or 'parts:'" if "parts" in values
                           else "the manifest lists no articles", line=line,
                           fix="list the articles under 'articles:', or under each part's 'articles:' in 'parts:'")
    if "articles" in values:
        return [""], _article_entries(path, "articles", values["articles"], 0, warnings)
    parts, line = values["parts"]
    if not isinstance(parts, list) or not parts:
        raise ContentError(path, "'parts' must be a list of parts, each with a 'title' and 'articles'", line=line,
                           fix="write '- title: Part one' and its 'articles:' under 'parts:'")
    titles, entries = [], []
    for number, (part, part_line) in enumerate(parts):
        if not isinstance(part, dict) or "title" not in part or "articles" not in part:
            raise ContentError(path, "each part needs a 'title' and 'articles'", line=part_line,
                               fix="write '- title: Part one' with 'articles:' under it")
        unknown = set(part) - {"title", "articles"}
        if unknown:
            key = sorted(unknown)[0]
            raise ContentError(path, f"a part has no key {quoted(key)}", line=part[key].line,
                               fix="give a part only 'title' and 'articles'")
        titles.append(text_value(path, "title", part["title"].value, part["title"].line, warnings))
        entries += _article_entries(path, "articles", part["articles"], number, warnings)
    return titles, entries


def _article_entries(path: Path, name: str, located: Located, part: int, warnings: list[str]) -> list[Entry]:
    items, line = located
    if not isinstance(items, list):
        raise ContentError(path, f"'{name}' must be a list of articles", line=line, fix=_ENTRY_FIX)
    if not items:
        raise ContentError(path, f"'{name}' is an empty list", line=line,
                           fix="list at least one article, as '- essays/one.md'")
    return [_entry(path, item, item_line, part, warnings) for item, item_line in items]


def _entry(path: Path, item: Any, line: int, part: int, warnings: list[str]) -> Entry:
    if isinstance(item, str):
        return Entry(text_value(path, "path", item, line, warnings), line, part)
    if not isinstance(item, dict) or "path" not in item:
        raise ContentError(path, f"an article entry is {quoted(without_lines(item))}, not a path", line=line, fix=_ENTRY_FIX)
    unknown = sorted(set(item) - set(ENTRY_KEYS))
    if unknown:
        raise ContentError(path, f"an article entry has no key {quoted(unknown[0])}", line=item[unknown[0]].line,
                           fix=f"give an entry only {', '.join(ENTRY_KEYS)}")
    title = item.get("title")
    authors = item.get("authors")
    return Entry(text_value(path, "path", without_lines(item["path"].value), item["path"].line, warnings), line, part,
                 text_value(path, "title", without_lines(title.value), title.line, warnings) if title else None,
                 people(path, "authors", without_lines(authors.value), authors.line, warnings) if authors else None)


def _article_source(path: Path, folder: Path, entry: Entry, within: Path | None) -> Path | str:
    """The web address or the file an entry names, the file checked to exist (and to lie `within` a
    resolved folder, when given: then a web address is refused)."""
    if is_web_address(entry.address):
        if within is not None:
            raise ContentError(path, f"{quoted(entry.address)} is a web address; a book of the library binds "
                               "the library's articles", line=entry.line,
                               fix="add the page to the library first, then list the article it became")
        return entry.address
    source = _real_path(folder, entry.address)
    if within is not None and not source.is_relative_to(within):
        raise ContentError(path, f"{quoted(entry.address)} lies outside the content folder", line=entry.line,
                           fix="list articles of the library only")
    if not source.is_file():
        raise ContentError(path, f"there is no article at {quoted(entry.address)}", line=entry.line,
                           fix=f"check the path (it is read from {folder}), or remove the entry")
    return source


def _real_path(folder: Path, address: str) -> Path:
    """`folder` / `address` with its symlinks resolved, `folder` being resolved already: a file named
    in it that is no symlink is itself (one lstat, where os.path.realpath takes one for each folder
    above it too). Not Path.resolve, which raises RuntimeError on a symlink loop: such an entry is
    "no article" to `_article_source`, like any other that names no file."""
    path = folder / address
    if os.sep in address or address in (os.curdir, os.pardir) or path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def _chapters(read: list[tuple[Entry, Article]]) -> list[Chapter]:
    """Each article bound as a chapter, its links to the others made links inside the book."""
    addresses: dict[str, int] = {}
    by_path: dict[Path, int] = {}
    for number, (entry, article) in enumerate(read, start=1):
        # A fetched page has an address, not a file: it is found by that address alone. A file's
        # path is the resolved one `_article_source` gave, so it is not resolved again.
        files = () if is_web_address(entry.address) else (article.source_path.name, str(article.source_path))
        for address in (entry.address, *files, (article.metadata.source_url or "").rstrip("/")):
            if address:
                addresses.setdefault(address, number)
        if files:
            by_path.setdefault(article.source_path, number)
    chapters = []
    for number, (entry, article) in enumerate(read, start=1):
        here = None if is_web_address(entry.address) else article.source_path.parent

        def link_target(href: str, here: Path | None = here) -> str | None:
            address, _, fragment = href.partition("#")
            target = addresses.get(address) or addresses.get(address.rstrip("/"))
            if target is None and here is not None and address and ":" not in address:
                target = by_path.get((here / address).resolve())
            if target is None:
                return None
            target_article = read[target - 1][1]
            if fragment and any(section.id == fragment for section in target_article.sections):
                return f"c{target}-{fragment}"
            return f"chapter-{target}"

        bound = bind(article, f"c{number}-", f"c{number}", link_target)
        # A book cites where an article was published, never where a file lay on the machine that bound it.
        source = article.metadata.source_url or (entry.address if is_web_address(entry.address) else None)
        chapters.append(Chapter(number, entry.title or article.metadata.title, entry.authors or article.metadata.authors,
                                source, bound))
    return chapters

