"""WeasyPrint, imported with the system libraries it opens found from the user's cache.

On import, WeasyPrint asks cffi to open pango, harfbuzz, fontconfig and others under several names
each, and cffi asks `ctypes.util.find_library` about each name that does not open as given; on Linux
that runs `ldconfig -p`, then gcc and ld, in subprocesses, every time: about 0.18 s of a cold PDF
command. The answers depend only on the libraries installed, so they are kept, keyed by the dynamic
linker's cache and the library path, and asked again when either changes."""

from __future__ import annotations

import ctypes.util
import json
import sys
from pathlib import Path

from ... import settings
from ..user_cache import cached_bytes

LINKER_CACHE = Path("/etc/ld.so.cache")
_find_library = ctypes.util.find_library  # ctypes' own, whatever stands in for it during an import


def import_weasyprint() -> None:
    """Import WeasyPrint (once per process), its libraries found from the cache when it holds them."""
    if "weasyprint" in sys.modules:
        return
    asked: dict[str, str | None] = {}

    def recorded() -> bytes:  # a first import here: find the libraries, and keep what was found
        _import_with(lambda name: asked.setdefault(name, _find_library(name)))
        return json.dumps(asked).encode()

    kept = cached_bytes("libraries", _linker_state(), [Path(__file__)], recorded)
    if "weasyprint" in sys.modules:
        return
    try:
        found = dict(json.loads(kept))
    except (ValueError, TypeError):  # a damaged cache file: ctypes answers
        found = {}
    try:
        _import_with(lambda name: found[name] if name in found else _find_library(name))
    except OSError:  # a library the cache names is gone, though the linker's cache did not change
        _import_with(_find_library)



def _import_with(find_library) -> None:
    """Import WeasyPrint with `find_library` answering for ctypes' own, which is put back after."""
    ctypes.util.find_library = find_library
    try:
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = _find_library


def _linker_state() -> list[str]:
    """What decides where libraries are found: the linker's cache (changed by every install of a
    library) and the paths the environment adds."""
    try:
        status = LINKER_CACHE.stat()
        cache = f"{status.st_size} {status.st_mtime_ns}"
    except OSError:
        cache = "-"
    return [sys.platform, cache, settings.library_search_path()]
