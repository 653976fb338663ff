"""A PDF edition's page drawn as a PNG by poppler's pdftoppm, for the web preview."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ...articles import PressroomError

THUMBNAIL_DPI = 60
LARGE_DPI = 150


class PreviewUnavailable(PressroomError):
    """A preview needs a tool this machine does not have."""


def page_png(pdf: bytes, number: int, large: bool = False) -> bytes:
    """Page `number` of the PDF as a PNG (a thumbnail, or `large` for reading)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise PreviewUnavailable("Page images need poppler's pdftoppm, which is not installed here.")
    resolution = LARGE_DPI if large else THUMBNAIL_DPI
    with tempfile.TemporaryDirectory(prefix="pressroom-pages-") as folder:
        source = Path(folder) / "edition.pdf"
        source.write_bytes(pdf)
        result = subprocess.run([tool, "-png", "-r", str(resolution), "-f", str(number), "-l", str(number),
                                 "-singlefile", str(source), str(Path(folder) / "page")],
                                capture_output=True, timeout=60)
        page = Path(folder) / "page.png"
        if result.returncode != 0 or not page.exists():
            raise PreviewUnavailable(f"pdftoppm could not draw page {number}: "
                                     f"{result.stderr.decode(errors='replace')[:200]}")
        return page.read_bytes()
