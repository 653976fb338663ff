"""The content folder: the articles it holds, found by slug, and new articles stored in it."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ContentError
from .model import Article
from .readers import read_article, referenced_files, slug_for, supported_extensions

MAX_UPLOAD_FILES = 200


@dataclass(frozen=True)
class LibraryEntry:
    """An article file in the library, read (`article`) or not readable (`error`)."""

    slug: str
    path: Path
    article: Article | None
    error: ContentError | None


@dataclass(frozen=True)
class UploadedFile:
    """A file a user sent: its name as the user's machine called it, and its bytes."""

    name: str
    data: bytes


class Library:
    """The articles of one content folder: each source file at the top, or in a folder of its own
    (`<slug>/<slug>.md` with its images, as stored uploads are), is one article."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def paths(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        found = [path for path in self.folder.iterdir() if _is_article_file(path)]
        for sub in self.folder.iterdir():
            if sub.is_dir() and not sub.name.startswith("."):
                found += [path for path in sub.iterdir() if _is_article_file(path) and path.stem == sub.name]
        return sorted(found, key=lambda path: (slug_for(path), str(path)))

    def entries(self) -> list[LibraryEntry]:
        entries = []
        for path in self.paths():
            try:
                entries.append(LibraryEntry(slug_for(path), path, read_article(path), None))
            except ContentError as error:
                entries.append(LibraryEntry(slug_for(path), path, None, error))
        return entries

    def slugs(self) -> set[str]:
        return {slug_for(path) for path in self.paths()}

    def find(self, slug: str) -> Article | None:
        """The article whose slug is `slug`, or None; a file that fails to read raises ContentError."""
        for path in self.paths():
            if slug_for(path) == slug:
                return read_article(path)
        return None

    def add(self, files: list[UploadedFile], replace: bool = False) -> Article:
        """Store a new article made of `files` (one `.md` or `.txt` and its images, or one `.zip`).

        The article is read and checked in a staging folder first; only a readable article is
        moved into the library, in one rename. Its slug comes from its file name; a slug already
        taken gets a number (`-2`, `-3`...) unless `replace` is true.
        """
        files = _unpacked(files)
        sources = [f for f in files if PurePosixPath(f.name).suffix.lower().lstrip(".") in supported_extensions()
                   and len(PurePosixPath(f.name).parts) == 1]
        if len(sources) != 1:
            raise ContentError("upload", "send exactly one article (.md or .txt)" if not sources else
                               f"the upload holds {len(sources)} articles ({', '.join(f.name for f in sources)})",
                               fix="add one article at a time, with its images")
        source = sources[0]
        files = _placed_where_used(source, files)
        slug = slug_for(Path(source.name))
        if not replace:
            slug = _free_slug(slug, self.slugs())
        extension = PurePosixPath(source.name).suffix.lower()
        self.folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=self.folder))
        try:
            article_dir = staging / slug
            article_dir.mkdir()
            for upload in files:
                target = article_dir / (f"{slug}{extension}" if upload is source else upload.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(upload.data)
            read_article(article_dir / f"{slug}{extension}")  # refuse what cannot be read, before it is stored
            self._move_in(article_dir, slug, replace)
        except ContentError as error:
            raise ContentError(source.name, error.problem, line=error.line, fix=error.fix) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return read_article(self.folder / slug / f"{slug}{extension}")

    def _move_in(self, article_dir: Path, slug: str, replace: bool) -> None:
        destination = self.folder / slug
        old = [path for path in self.paths() if slug_for(path) == slug]
        if old and not replace:
            raise ContentError(slug, "an article with this name already exists", fix="choose “replace” to overwrite it")
        trash = Path(tempfile.mkdtemp(prefix=".replaced-", dir=self.folder))
        try:
            for path in old:  # the article being replaced: its folder, or its file at the top
                os.rename(path.parent if path.parent != self.folder else path, trash / path.name)
            os.rename(article_dir, destination)
        finally:
            shutil.rmtree(trash, ignore_errors=True)


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


def _is_article_file(path: Path) -> bool:
    return (path.is_file() and not path.name.startswith(".")
            and path.suffix.lower().lstrip(".") in supported_extensions())


def _free_slug(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{number}"
        number += 1
    return candidate


def _unpacked(files: list[UploadedFile]) -> list[UploadedFile]:
    """The files of the upload, a `.zip` opened (safely) in place of itself; names made safe."""
    from .archives import unzip_upload

    unpacked: list[UploadedFile] = []
    for upload in files:
        if PurePosixPath(upload.name).suffix.lower() == ".zip":
            unpacked += unzip_upload(upload.name, upload.data)
        else:
            unpacked.append(UploadedFile(safe_upload_name(upload.name), upload.data))
    if len(unpacked) > MAX_UPLOAD_FILES:
        raise ContentError("upload", f"the upload holds {len(unpacked)} files, more than {MAX_UPLOAD_FILES}",
                           fix="send the article and the images it uses only")
    return unpacked


def safe_upload_name(name: str) -> str:
    """A relative POSIX path inside the article's folder, or an error: no absolute or climbing names."""
    path = PurePosixPath(name.replace("\\", "/"))
    parts = [part for part in path.parts if part not in ("", ".", "/")]
    if not parts or path.is_absolute() or ".." in parts or any(part.startswith(".") for part in parts) \
            or any(ord(ch) < 32 for ch in name):
        raise ContentError(name or "upload", "this file name is not allowed in an upload",
                           fix="use plain names such as article.md or images/photo.jpg")
    return "/".join(parts)
