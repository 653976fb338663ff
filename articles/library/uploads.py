"""Adding an uploaded article to the library: unpacked within one budget, each file placed once, checked
in a staging folder, moved in whole; a replaced article is kept until its successor is in."""

from __future__ import annotations

import dataclasses
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from ...errors import ContentError
from ..model import Article
from ..readers.decoding import MAX_SOURCE_BYTES, decode_source
from ..readers.front_matter import declaring_language
from ..readers.sources import read_article, referenced_files, slug_for, stored_extensions
from .archives import UnpackBudget, open_zip

MAX_NAME_CHARS = 100  # each part of a file name: file systems allow 255 bytes
IMAGE = "an image"
EMPTY = "empty"
_COPY_THE_TEXT = "or copy its text and paste it instead"
# What a file is by its first bytes, and what to do instead of uploading it.
_SIGNATURES = (
    (b"%PDF-", "a PDF", f"upload the article it was made from, {_COPY_THE_TEXT}"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word document (.doc) or another Microsoft Office file",
     f"in Word, choose File › Save As › Plain Text (.txt) and upload that, {_COPY_THE_TEXT}"),
    (b"{\\rtf", "a Rich Text (.rtf) document", f"save it as Plain Text (.txt) and upload that, {_COPY_THE_TEXT}"),
    (b"\x89PNG\r\n\x1a\n", IMAGE, "upload it together with the article (.md or .txt) that shows it"),
    (b"\xff\xd8\xff", IMAGE, "upload it together with the article (.md or .txt) that shows it"),
    (b"GIF8", IMAGE, "upload it together with the article (.md or .txt) that shows it"),
)


@dataclass(frozen=True)
class UploadedFile:
    """A file a user sent: its name as the user's machine called it, and its bytes."""

    name: str
    data: bytes


class ArticleFolder(Protocol):
    """What adding needs of a library (a `Library` is one): its folder, its article files and their slugs."""

    folder: Path

    def paths(self) -> list[Path]: ...

    def slugs(self) -> set[str]: ...


def add_upload(library: ArticleFolder, files: list[UploadedFile], replace: bool = False,
               language: str | None = None) -> Article:
    """Store a new article made of `files` (one `.md` or `.txt` and its images, or one `.zip`); a
    `language` chosen is written into its front matter, over the one it declared.

    The article is read and checked in a staging folder first; only a readable article is
    moved into the library, in one rename. Its slug comes from its file name; a slug already
    taken gets a number (`-2`, `-3`...) unless `replace` is true. Uploads choose their slug and
    move in one at a time, so two uploads of one name give two articles.
    """
    files = unpacked_files(files)
    source = _the_source(files)
    if language:
        declared = UploadedFile(source.name, declaring_language(decode_source(Path(source.name), source.data),
                                                                language).encode("utf-8"))
        files, source = [declared if upload is source else upload for upload in files], declared
    files = _placed_where_used(source, files)
    name_slug = slug_for(Path(source.name))
    extension = PurePosixPath(source.name).suffix.lower()
    _check_layout(f"{name_slug}{extension}", [upload for upload in files if upload is not source])
    library.folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=library.folder))
    try:
        article_dir = staging / name_slug
        article_dir.mkdir()
        for upload in files:
            target = article_dir / (f"{name_slug}{extension}" if upload is source else upload.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(upload.data)
        read_article(article_dir / f"{name_slug}{extension}")  # refuse what cannot be read, before it is stored
        return store_staged(library, article_dir, f"{name_slug}{extension}", replace)
    except ContentError as error:
        raise ContentError(source.name, error.problem, line=error.line, fix=error.fix) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def safe_upload_name(name: str) -> str:
    """A relative POSIX path inside the article's folder, or an error: no absolute, climbing, hidden
    or overlong names."""
    path = PurePosixPath(name.replace("\\", "/"))
    parts = [part for part in path.parts if part not in ("", ".", "/")]
    shown = name if len(name) <= 80 else name[:79] + "…"
    if not parts or path.is_absolute() or ".." in parts or any(part.startswith(".") for part in parts) \
            or any(ord(ch) < 32 for ch in name):
        raise ContentError(shown or "upload", "this file name is not allowed in an upload",
                           fix="use plain names such as article.md or images/photo.jpg")
    if any(len(part) > MAX_NAME_CHARS or len(part.encode()) > 255 for part in parts):
        raise ContentError(shown, f"this file name is longer than {MAX_NAME_CHARS} characters",
                           fix="give the file (and its folders) shorter names")
    return "/".join(parts)


def store_staged(library: ArticleFolder, article_dir: Path, source_name: str, replace: bool) -> Article:
    """Move a checked article folder (its source `source_name`, `<slug>.<ext>`, and its files) into the
    library, one upload at a time: under its slug when replacing, else under the first free one."""
    name_slug, extension = slug_for(Path(source_name)), PurePosixPath(source_name).suffix.lower()
    with one_change_at_a_time(library.folder):
        slug = name_slug if replace and stored_as(library, name_slug) else _free_slug(library, name_slug)
        os.rename(article_dir / source_name, article_dir / f"{slug}{extension}")
        _move_in(library, article_dir, slug)
        stored = read_article(library.folder / slug / f"{slug}{extension}")
    if slug == name_slug:
        return stored
    renamed = (f"an article named “{name_slug}” is already in the library, so this one was stored under another "
               f"name: “{slug}” (to replace the other, add it again with “replace”)")
    return dataclasses.replace(stored, warnings=(renamed, *stored.warnings))


def unpacked_files(files: list[UploadedFile]) -> list[UploadedFile]:
    """The files of the upload, each `.zip` opened (safely) in place of itself; names made safe.
    Every file and zip entry is charged to one budget before any zip is unpacked; since each file
    is then stored at one place at most, the budget also bounds what is stored."""
    budget = UnpackBudget()
    opened = []
    for upload in files:
        if PurePosixPath(upload.name).suffix.lower() == ".zip":
            opened.append(open_zip(upload.name, upload.data, budget))
        else:
            budget.charge(upload.name, len(upload.data))
            opened.append(UploadedFile(safe_upload_name(upload.name), upload.data))
    unpacked: list[UploadedFile] = []
    for item in opened:
        unpacked += [item] if isinstance(item, UploadedFile) else _zip_contents(item.entries())
    return unpacked


def _zip_contents(entries: list[tuple[str, bytes]]) -> list[UploadedFile]:
    """The files of a zip, a single top folder (as zip tools make) dropped."""
    entries = [(safe_upload_name(name), data) for name, data in entries]
    tops = {PurePosixPath(path).parts[0] for path, _ in entries}
    strip = len(tops) == 1 and all(len(PurePosixPath(path).parts) > 1 for path, _ in entries)
    return [UploadedFile("/".join(PurePosixPath(path).parts[1:]) if strip else path, data) for path, data in entries]


def _the_source(files: list[UploadedFile]) -> UploadedFile:
    """The one article file at the top of the upload; a file that is something else (a Word document,
    an image...) is named for what it is, whatever its name says."""
    sources = [f for f in files if PurePosixPath(f.name).suffix.lower().lstrip(".") in stored_extensions()
               and len(PurePosixPath(f.name).parts) == 1]
    for upload in sources or files:
        _refuse_what_is_not_text(upload, alone=not sources and len(files) == 1)
    if not sources and files and all(_kind_of(upload.data)[0] == IMAGE for upload in files):
        raise ContentError("upload", f"the upload holds only images ({', '.join(f.name for f in files[:3])}"
                           f"{', …' if len(files) > 3 else ''})",
                           fix="add the article (.md or .txt) that shows them to the same upload")
    if len(sources) != 1:
        raise ContentError("upload", "send exactly one article (.md or .txt)" if not sources else
                           f"the upload holds {len(sources)} articles ({', '.join(f.name for f in sources[:5])})",
                           fix="add one article at a time, with its images")
    if len(sources[0].data) > MAX_SOURCE_BYTES:
        raise ContentError(sources[0].name, f"the file is larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MiB",
                           fix="split it into several articles")
    return sources[0]


def _refuse_what_is_not_text(upload: UploadedFile, alone: bool) -> None:
    """An error naming what `upload` is when its bytes are not an article's text: a document of another
    program, a PDF, an empty file; an image only when it is sent `alone` (else it may be the article's)."""
    kind, fix = _kind_of(upload.data)
    if kind is None or (kind == IMAGE and not alone):
        return
    if kind == EMPTY:
        raise ContentError(upload.name, "the file is empty", fix=fix)
    raise ContentError(upload.name, f"this is {kind}, not an article Pressroom can read", fix=fix)


def _kind_of(data: bytes) -> tuple[str | None, str]:
    """(what the bytes are, what to do instead) for bytes that are not an article's text; (None, "") else."""
    if not data.strip():
        return EMPTY, "choose the file that holds the article's text, or paste the text instead"
    for signature, kind, fix in _SIGNATURES:
        if data.startswith(signature):
            return kind, fix
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return IMAGE, "upload it together with the article (.md or .txt) that shows it"
    if data.startswith(b"PK\x03\x04"):  # a zip: Office and OpenDocument files are zips of XML
        if b"word/" in data:
            return "a Word document (.docx)", (f"in Word, choose File › Save As › Plain Text (.txt) and upload "
                                                f"that, {_COPY_THE_TEXT}")
        if b"application/vnd.oasis.opendocument" in data[:200]:
            return "an OpenDocument file (.odt)", (f"in LibreOffice, choose File › Save As › Text (.txt) and "
                                                   f"upload that, {_COPY_THE_TEXT}")
    return None, ""


def _placed_where_used(source: UploadedFile, files: list[UploadedFile]) -> list[UploadedFile]:
    """Browsers send bare file names: put each image where the article looks for it (`photo.jpg`
    at `images/photo.jpg`), once; say which images are missing, and refuse one file the article
    uses at several paths (it would be stored once per path)."""
    wanted = referenced_files(Path(source.name), source.data)
    by_name = {upload.name: upload for upload in files}
    placed = [upload for upload in files if upload is source or upload.name in wanted]
    paths_of = {upload.name: [upload.name] for upload in placed if upload is not source}
    missing = []
    for href in wanted:
        if href in by_name:
            continue
        match = by_name.get(PurePosixPath(href).name)
        if match is None:
            missing.append(href)
        else:
            paths_of.setdefault(match.name, []).append(href)
            placed.append(UploadedFile(href, match.data))
    if missing:
        raise ContentError(source.name, f"the article uses {', '.join(missing[:5])}"
                           f"{f' and {len(missing) - 5} more' if len(missing) > 5 else ''}, which the upload does "
                           "not hold", fix="add the images to the upload, or upload a .zip of the article's folder")
    for name, paths in paths_of.items():
        if len(paths) > 1:
            raise ContentError(source.name, f"the article uses the one image {name} at {len(paths)} paths "
                               f"({', '.join(paths[:3])}{', …' if len(paths) > 3 else ''})",
                               fix="use one path for each image, or upload a .zip of the article's folder")
    return placed


def _check_layout(source_name: str, files: list[UploadedFile]) -> None:
    """Refuse names that cannot all be files of one folder: the same name twice, or a name that is
    both a file and a folder (`a.png` beside `a.png/b.png`)."""
    names = [source_name] + [upload.name for upload in files]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ContentError("upload", f"the upload holds {name} twice", fix="send each file once")
        seen.add(name)
    folders = {"/".join(PurePosixPath(name).parts[:end]) for name in names
               for end in range(1, len(PurePosixPath(name).parts))}
    clash = sorted(seen & folders)
    if clash:
        raise ContentError("upload", f"{clash[0]} is both a file and a folder in the upload",
                           fix="rename the file or the folder")


@contextmanager
def one_change_at_a_time(folder: Path) -> Iterator[None]:
    """A lock on the library's folder itself (threads and processes alike) while an upload picks its
    slug and moves in, or an article moves out."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def stored_as(library: ArticleFolder, slug: str) -> list[Path]:
    """What holds the article `slug` now: its file at the top, or its folder."""
    return sorted({path.parent if path.parent != library.folder else path
                   for path in library.paths() if slug_for(path) == slug})


def _free_slug(library: ArticleFolder, slug: str) -> str:
    """`slug`, or the first `slug-N` that no article and no file or folder of the library uses."""
    taken = library.slugs()
    candidate, number = slug, 2
    while candidate in taken or (library.folder / candidate).exists():
        candidate = f"{slug}-{number}"
        number += 1
    return candidate


def _move_in(library: ArticleFolder, article_dir: Path, slug: str) -> None:
    """Rename `article_dir` to `<library>/<slug>`; what stands there (the article replaced, and its
    folder) is moved aside first, deleted once the new article is in, and put back if that fails."""
    destination = library.folder / slug
    in_the_way = set(stored_as(library, slug)) | ({destination} if destination.exists() else set())
    aside = Path(tempfile.mkdtemp(prefix=".replaced-", dir=library.folder))
    moved: list[Path] = []
    try:
        for path in sorted(in_the_way):
            os.rename(path, aside / path.name)
            moved.append(path)
        os.rename(article_dir, destination)
    except OSError as error:
        for path in reversed(moved):
            os.rename(aside / path.name, path)
        aside.rmdir()
        raise ContentError(slug, f"the article could not be stored ({error.strerror})",
                           fix="try again; nothing in the library was changed") from None
    shutil.rmtree(aside, ignore_errors=True)
