"""Opening an uploaded `.zip` without trusting it: bounded counts and sizes, no links."""

from __future__ import annotations

import io
import stat
import zipfile

from .errors import ContentError

MAX_ZIP_ENTRIES = 200
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 200  # an entry that inflates more than this is a zip bomb


def zip_entries(name: str, data: bytes) -> list[tuple[str, bytes]]:
    """The files of the zip `name` as (name in the zip, bytes); those names are not checked here."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, ValueError) as error:
        raise ContentError(name, f"this is not a readable zip file ({error})", fix="zip the folder again") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ContentError(name, f"the zip holds {len(infos)} files, more than {MAX_ZIP_ENTRIES}",
                           fix="zip the article and its images only")
    total = 0
    for info in infos:
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ContentError(name, f"the zip holds a link ({info.filename})", fix="zip real files only")
        total += info.file_size
        if total > MAX_UNPACKED_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1024:
            raise ContentError(name, "the zip unpacks to more than an article may hold",
                               fix=f"keep it under {MAX_UNPACKED_BYTES // (1024 * 1024)} MiB unpacked")
    entries = []
    for info in infos:
        with archive.open(info) as stream:
            entries.append((info.filename, stream.read(MAX_UNPACKED_BYTES + 1)))
    return entries
