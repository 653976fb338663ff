"""Opening uploaded `.zip` files without trusting them: one budget of files and bytes for a whole
upload, charged before anything is unpacked; no links; every damaged zip a ContentError."""

from __future__ import annotations

import io
import lzma
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from ...errors import ContentError

MAX_UPLOAD_FILES = 200
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 200  # an entry that inflates more than this is a zip bomb
# What zipfile and its decompressors raise on a damaged, truncated, lying or exotic zip.
_UNREADABLE = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
               ValueError, OverflowError, zlib.error, lzma.LZMAError)


class UnpackBudget:
    """The files and bytes one upload may hold once unpacked, all its zips and files together."""

    def __init__(self, max_files: int = MAX_UPLOAD_FILES, max_bytes: int = MAX_UNPACKED_BYTES) -> None:
        self.max_files, self.max_bytes = max_files, max_bytes
        self.files = self.bytes = 0

    def charge(self, name: str, size: int) -> None:
        """Count one file of `size` bytes (a zip entry's declared size) from the upload part `name`."""
        self.files += 1
        self.bytes += size
        if self.files > self.max_files:
            raise ContentError("upload", f"the upload holds more than {self.max_files} files",
                               fix="send the article and the images it uses only")
        if self.bytes > self.max_bytes:
            raise ContentError(name, "the upload unpacks to more than an article may hold",
                               fix=f"keep it under {self.max_bytes // (1024 * 1024)} MiB unpacked, images included")


@dataclass(frozen=True)
class OpenedZip:
    """A zip whose entries are listed and charged to a budget, not yet unpacked."""

    name: str
    archive: zipfile.ZipFile
    infos: tuple[zipfile.ZipInfo, ...]

    def entries(self) -> list[tuple[str, bytes]]:
        """The files as (name in the zip, bytes); those names are not checked here."""
        entries = []
        for info in self.infos:
            try:
                with self.archive.open(info) as stream:
                    data = stream.read(info.file_size + 1)
            except _UNREADABLE as error:
                raise ContentError(self.name, f"“{_short(info.filename)}” in the zip cannot be unpacked "
                                   f"({_short(str(error))})", fix="zip the folder again with a standard zip tool") from None
            if len(data) > info.file_size:  # never more than was charged to the budget
                raise ContentError(self.name, f"“{_short(info.filename)}” in the zip is larger than the zip says",
                                   fix="zip the folder again with a standard zip tool")
            entries.append((info.filename, data))
        return entries


def open_zip(name: str, data: bytes, budget: UnpackBudget) -> OpenedZip:
    """The zip `name`, each entry charged to `budget` at its declared size; macOS's copies
    (`__MACOSX/`, `._name`, `.DS_Store`) are skipped, links and zip bombs refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = tuple(info for info in archive.infolist() if not info.is_dir() and not made_by_macos(info.filename))
    except _UNREADABLE as error:
        raise ContentError(name, f"this is not a readable zip file ({_short(str(error))})",
                           fix="zip the folder again") from None
    for info in infos:
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ContentError(name, f"the zip holds a link ({_short(info.filename)})", fix="zip real files only")
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1024:
            raise ContentError(name, "the zip unpacks to more than an article may hold",
                               fix=f"keep it under {MAX_UNPACKED_BYTES // (1024 * 1024)} MiB unpacked")
        budget.charge(name, info.file_size)
    return OpenedZip(name, archive, infos)


def made_by_macos(name: str) -> bool:
    """Whether a zip entry is one of the copies macOS adds (resource forks, folder settings)."""
    path = PurePosixPath(name.replace("\\", "/"))
    return "__MACOSX" in path.parts or path.name.startswith("._") or path.name == ".DS_Store"


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
