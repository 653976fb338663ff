"""Adding an uploaded article to the library: unpacked, placed, checked in a staging folder, moved in whole."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from .archives import zip_entries
from .errors import ContentError
from .model import Article
from .readers import read_article, referenced_files, slug_for, stored_extensions

MAX_UPLOAD_FILES = 200


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


def add_upload(library: ArticleFolder, files: list[UploadedFile], replace: bool = False) -> Article:
    """Store a new article made of `files` (one `.md` or `.txt` and its images, or one `.zip`).

    The article is read and checked in a staging folder first; only a readable article is
    moved into the library, in one rename. Its slug comes from its file name; a slug already
    taken gets a number (`-2`, `-3`...) unless `replace` is true.
    """
    files = unpacked_files(files)
    sources = [f for f in files if PurePosixPath(f.name).suffix.lower().lstrip(".") in stored_extensions()
               and len(PurePosixPath(f.name).parts) == 1]
    if len(sources) != 1:
        raise ContentError("upload", "send exactly one article (.md or .txt)" if not sources else
                           f"the upload holds {len(sources)} articles ({', '.join(f.name for f in sources)})",
                           fix="add one article at a time, with its images")
    source = sources[0]
    files = _placed_where_used(source, files)
    slug = slug_for(Path(source.name))
    if not replace:
        slug = free_slug(slug, library.slugs())
    extension = PurePosixPath(source.name).suffix.lower()
    library.folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=library.folder))
    try:
        article_dir = staging / slug
        article_dir.mkdir()
        for upload in files:
            target = article_dir / (f"{slug}{extension}" if upload is source else upload.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(upload.data)
        read_article(article_dir / f"{slug}{extension}")  # refuse what cannot be read, before it is stored
        move_in(library, article_dir, slug, replace)
    except ContentError as error:
        raise ContentError(source.name, error.problem, line=error.line, fix=error.fix) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return read_article(library.folder / slug / f"{slug}{extension}")


def safe_upload_name(name: str) -> str:
    """A relative POSIX path inside the article's folder, or an error: no absolute or climbing names."""
    path = PurePosixPath(name.replace("\\", "/"))
    parts = [part for part in path.parts if part not in ("", ".", "/")]
    if not parts or path.is_absolute() or ".." in parts or any(part.startswith(".") for part in parts) \
            or any(ord(ch) < 32 for ch in name):
        raise ContentError(name or "upload", "this file name is not allowed in an upload",
                           fix="use plain names such as article.md or images/photo.jpg")
    return "/".join(parts)


def unpacked_files(files: list[UploadedFile]) -> list[UploadedFile]:
    """The files of the upload, a `.zip` opened (safely) in place of itself; names made safe."""
    unpacked: list[UploadedFile] = []
    for upload in files:
        if PurePosixPath(upload.name).suffix.lower() == ".zip":
            unpacked += _zip_contents(upload)
        else:
            unpacked.append(UploadedFile(safe_upload_name(upload.name), upload.data))
    if len(unpacked) > MAX_UPLOAD_FILES:
        raise ContentError("upload", f"the upload holds {len(unpacked)} files, more than {MAX_UPLOAD_FILES}",
                           fix="send the article and the images it uses only")
    return unpacked


def _zip_contents(upload: UploadedFile) -> list[UploadedFile]:
    """The files of a zip; a single top folder (as zip tools make) is dropped, and macOS's `__MACOSX`."""
    # macOS's `__MACOSX/._name` copies go first: their names would be refused, and their folder is a second top.
    entries = [(safe_upload_name(name), data) for name, data in zip_entries(upload.name, upload.data)
               if "__MACOSX" not in PurePosixPath(name).parts]
    tops = {PurePosixPath(path).parts[0] for path, _ in entries}
    strip = len(tops) == 1 and all(len(PurePosixPath(path).parts) > 1 for path, _ in entries)
    return [UploadedFile("/".join(PurePosixPath(path).parts[1:]) if strip else path, data) for path, data in entries]


def _placed_where_used(source: UploadedFile, files: list[UploadedFile]) -> list[UploadedFile]:
    """Browsers send bare file names: put each image where the article looks for it
    (`photo.jpg` at `images/photo.jpg`), and say which images are missing."""
    wanted = referenced_files(Path(source.name), source.data)
    by_name = {upload.name: upload for upload in files}
    placed = [upload for upload in files if upload is source or upload.name in wanted]
    missing = []
    for href in wanted:
        if href in by_name:
            continue
        match = by_name.get(PurePosixPath(href).name)
        if match is None:
            missing.append(href)
        else:
            placed.append(UploadedFile(href, match.data))
    if missing:
        raise ContentError(source.name, f"the article uses {', '.join(missing)}, which the upload does not hold",
                           fix="add the images to the upload, or upload a .zip of the article's folder")
    return placed


def free_slug(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{number}"
        number += 1
    return candidate


def move_in(library: ArticleFolder, article_dir: Path, slug: str, replace: bool) -> None:
    destination = library.folder / slug
    old = [path for path in library.paths() if slug_for(path) == slug]
    if old and not replace:
        raise ContentError(slug, "an article with this name already exists", fix="choose “replace” to overwrite it")
    trash = Path(tempfile.mkdtemp(prefix=".replaced-", dir=library.folder))
    try:
        for path in old:  # the article being replaced: its folder, or its file at the top
            os.rename(path.parent if path.parent != library.folder else path, trash / path.name)
        os.rename(article_dir, destination)
    finally:
        shutil.rmtree(trash, ignore_errors=True)
