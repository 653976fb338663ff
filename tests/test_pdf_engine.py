"""WeasyPrint's libraries found from the user's cache: asked once, then answered from it."""

from __future__ import annotations

import json
import subprocess
import sys

IMPORT = """
import ctypes.util, sys
asked = []
real = ctypes.util.find_library
ctypes.util.find_library = lambda name: (asked.append(name), real(name))[1]
from pressroom.exporters.pdf.engine import import_weasyprint
import_weasyprint()
import weasyprint
print(len(asked))
"""


def imported(cache, *extra: str) -> int:
    """How many names ctypes was asked about while a fresh process imported WeasyPrint."""
    result = subprocess.run([sys.executable, "-c", IMPORT, *extra], capture_output=True, text=True, check=True,
                            env={"PRESSROOM_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"})
    return int(result.stdout.split()[-1])


def test_libraries_are_found_once_then_answered_from_the_cache(tmp_path):
    assert imported(tmp_path) > 5  # the first import asks, under every name WeasyPrint tries
    (entry,) = [path for path in (tmp_path / "libraries").rglob("*") if path.is_file()]
    answers = json.loads(entry.read_text())
    assert any(path and "pango" in path for path in answers.values())
    assert imported(tmp_path) == 0


def test_libraries_gone_since_they_were_kept_are_found_again(tmp_path):
    imported(tmp_path)
    (entry,) = [path for path in (tmp_path / "libraries").rglob("*") if path.is_file()]
    answers = json.loads(entry.read_text())
    entry.write_text(json.dumps({name: path and f"/nowhere/{path}" for name, path in answers.items()}))
    # Every kept answer fails to open: WeasyPrint still loads, by the names that open as given or by
    # asking ctypes again.
    imported(tmp_path)  # raises if WeasyPrint could not be imported
