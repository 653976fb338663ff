"""A plain-words report on a PDF edition: pages, size, tags, fonts, outline, conformance."""

from __future__ import annotations

import io

from pypdf import PdfReader

from ..base import Finding


def check_pdf(data: bytes) -> list[Finding]:
    """What a publisher asks of a PDF: pages, size, tags, fonts, outline, conformance claims."""
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
