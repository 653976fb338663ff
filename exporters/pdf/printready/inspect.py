"""What a printer looks for in a finished PDF, read back with pypdf: boxes, output intent, PDF/X
version, fonts, annotations, bookmarks, RGB colour, transparency and each image's resolution."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream

RGB_OPERATORS = frozenset({b"rg", b"RG"})


@dataclass(frozen=True)
class PlacedImage:
    """An image drawn on a page: its name, its pixels and the resolution it prints at."""

    page: int
    name: str
    colour_space: str
    dpi: float


@dataclass(frozen=True)
class PrintFacts:
    """What the preflight judges, for every page."""

    pages: int
    sizes: tuple[tuple[float, float], ...]  # each page's MediaBox, inches
    trims: tuple[tuple[float, float, float, float] | None, ...]  # each TrimBox, inches (x0, y0, x1, y1)
    bleeds: tuple[tuple[float, float, float, float] | None, ...]  # each BleedBox, inches
    media: tuple[tuple[float, float, float, float], ...]  # each MediaBox, inches
    intent_components: int | None  # the output intent profile's colour components
    pdfx: str | None  # the PDF/X version the file claims
    unembedded_fonts: tuple[str, ...]
    fonts: int
    annotations: int
    outline: bool
    rgb: bool  # RGB colour operators, images or shadings left
    transparency: bool  # transparency groups, soft masks or constant alpha


def read_facts(data: bytes) -> tuple[PrintFacts, list[PlacedImage]]:
    """The facts of the PDF `data` and the images it draws."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    images: list[PlacedImage] = []
    state = {"rgb": False, "transparency": False}
    fonts: dict[str, bool] = {}
    for number, page in enumerate(reader.pages, start=1):
        _walk(page.get_contents(), page.get("/Resources"), reader, (1, 0, 0, 1, 0, 0), number, images, state, fonts)
    intent = None
    for item in root.get("/OutputIntents", []) or []:
        profile = item.get_object().get("/DestOutputProfile")
        if profile is not None:
            intent = int(profile.get_object().get("/N", 0))
    metadata = root.get("/Metadata")
    xmp = metadata.get_object().get_data() if metadata else b""
    info = reader.trailer.get("/Info")
    claimed = info.get_object().get("/GTS_PDFXVersion") if info else None
    if claimed is None and b"GTS_PDFXVersion>" in xmp:
        claimed = xmp.split(b"GTS_PDFXVersion>", 1)[1].split(b"<", 1)[0].decode()
    inches = lambda box: tuple(float(value) / 72 for value in box)  # noqa: E731
    return PrintFacts(
        pages=len(reader.pages),
        sizes=tuple((float(page.mediabox.width) / 72, float(page.mediabox.height) / 72) for page in reader.pages),
        trims=tuple(inches(page["/TrimBox"]) if "/TrimBox" in page else None for page in reader.pages),
        bleeds=tuple(inches(page["/BleedBox"]) if "/BleedBox" in page else None for page in reader.pages),
        media=tuple(inches(page.mediabox) for page in reader.pages),
        intent_components=intent,
        pdfx=str(claimed) if claimed else None,
        unembedded_fonts=tuple(sorted(name for name, embedded in fonts.items() if not embedded)),
        fonts=len(fonts),
        annotations=sum(len(page.get("/Annots", []) or []) for page in reader.pages),
        outline="/Outlines" in root,
        rgb=state["rgb"],
        transparency=state["transparency"],
    ), images


def _multiply(first, second):
    a, b, c, d, e, f = first
    g, h, i, j, k, m = second
    return (a * g + b * i, a * h + b * j, c * g + d * i, c * h + d * j, e * g + f * i + k, e * h + f * j + m)


def _walk(contents, resources, reader, matrix, page, images, state, fonts, seen=None) -> None:
    """Follow a content stream: the images it draws at their size, its colour and transparency."""
    seen = seen if seen is not None else set()
    if contents is None:
        return
    resources = resources.get_object() if resources is not None else {}
    _read_resources(resources, state, fonts)
    stream = ContentStream(contents, reader)
    stack = []
    current = matrix
    for operands, operator in stream.operations:
        if operator == b"q":
            stack.append(current)
        elif operator == b"Q" and stack:
            current = stack.pop()
        elif operator == b"cm":
            current = _multiply(tuple(float(value) for value in operands), current)
        elif operator in RGB_OPERATORS:
            state["rgb"] = True
        elif operator == b"Do":
            name = operands[0]
            xobject = (resources.get("/XObject") or {}).get(name)
            if xobject is None:
                continue
            key = (xobject.idnum, current) if hasattr(xobject, "idnum") else None
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                _image(xobject, str(name), current, page, images, state)
            elif xobject.get("/Subtype") == "/Form" and key not in seen:
                seen.add(key)
                if (xobject.get("/Group") or {}).get("/S") == "/Transparency":
                    state["transparency"] = True
                inner = _multiply(tuple(float(value) for value in xobject.get("/Matrix", (1, 0, 0, 1, 0, 0))), current)
                _walk(xobject, xobject.get("/Resources"), reader, inner, page, images, state, fonts, seen)


def _image(xobject, name, matrix, page, images, state) -> None:
    space = xobject.get("/ColorSpace")
    space = str(space.get_object()[0] if isinstance(space.get_object(), list) else space) if space else "?"
    if space in ("/DeviceRGB", "/CalRGB") or (space == "/ICCBased" and
                                                int(xobject["/ColorSpace"].get_object()[1].get_object().get("/N", 0)) == 3):
        state["rgb"] = True
    if "/SMask" in xobject:
        state["transparency"] = True
    a, b, c, d, _, _ = matrix
    width_inches, height_inches = (a * a + b * b) ** 0.5 / 72, (c * c + d * d) ** 0.5 / 72
    if width_inches and height_inches:
        dpi = min(int(xobject["/Width"]) / width_inches, int(xobject["/Height"]) / height_inches)
        images.append(PlacedImage(page, name, space, dpi))


def _read_resources(resources, state, fonts) -> None:
    for graphics_state in (resources.get("/ExtGState") or {}).values():
        graphics_state = graphics_state.get_object()
        if (graphics_state.get("/SMask", "/None") != "/None"
                or float(graphics_state.get("/CA", 1)) < 1 or float(graphics_state.get("/ca", 1)) < 1):
            state["transparency"] = True
    for shading in (resources.get("/Shading") or {}).values():
        if shading.get_object().get("/ColorSpace") == "/DeviceRGB":
            state["rgb"] = True
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        descendant = font.get("/DescendantFonts")
        descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor else {}
        name = str(font.get("/BaseFont", "?")).lstrip("/").split("+", 1)[-1]
        fonts[name] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
