"""Results that are the same from run to run, kept in the user's cache folder: keyed by their inputs
and by the code that makes them, written atomically so that concurrent runs never see half a file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from ..files import write_atomically
from ..locations import PACKAGE_DIR, cache_dir


def cached_bytes(kind: str, inputs: Iterable[str], code: Iterable[Path], make: Callable[[], bytes]) -> bytes:
    """`make()`'s bytes, from the cache when the same `inputs` were made by the same `code` (files)."""
    digest = hashlib.sha256("\0".join([*inputs, *map(code_digest, code)]).encode()).hexdigest()
    path = cache_dir() / kind / digest[:2] / digest
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    try:
        store(path, data)
    except OSError:  # a read-only or full cache folder costs speed, never the result
        pass
    return data


@lru_cache(maxsize=None)
def code_digest(path: Path) -> str:
    """A file's content hash (once per process): the cache follows the code, not a version number."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def package_file(relative: str) -> Path:
    return PACKAGE_DIR / relative


def store(path: Path, data: bytes) -> None:
    write_atomically(path, data, mode=0o600)
