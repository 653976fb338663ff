"""Writing a file whole or not at all: the one way Pressroom writes what a reader may open meanwhile."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(target: Path, data: bytes, *, new: bool = False, mode: int = 0o644) -> None:
    """Write `data` to `target` so that a reader never sees a part of it: into a temporary file beside
    it, then renamed over it. `new`: fail with FileExistsError, writing nothing, if `target` exists
    (also when it appears meanwhile)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        if new:
            os.link(temporary, target)  # an atomic create: fails if the name is taken
        else:
            os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
