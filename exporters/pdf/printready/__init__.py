"""The print edition: a PDF/X interior and a wrap-around cover that print-on-demand services accept."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .... import settings as environment
from ....articles import Article
from ...base import Edition, EditionFile, Exporter, Finding, Option, OptionError, View
from ...pagination import PageList
from .geometry import CUSTOM, PAPERS, TRIMS, custom_trim

PRINTERS = {"kdp": "Amazon KDP", "ingramspark": "IngramSpark", "generic": "Another printer (PDF/X-4)"}
ICC_SETTING, TRIM_SETTING = "PRESSROOM_PRINT_ICC", "PRESSROOM_PRINT_TRIM"
MEDIA_TYPE = "application/pdf"


class PrintExporter(Exporter):
    name = "print"
    label = "Print-ready PDF"
    on_request = True
    file_words = ("print-ready",)
    media_type = MEDIA_TYPE
    extension = "pdf"
    options = (
        Option("printer", "Printer", "kdp", PRINTERS, "The print-on-demand service the files are for: its PDF/X "
               "version and what it refuses (KDP: PDF/X-4 without bookmarks; IngramSpark: PDF/X-1a)."),
        Option("trim", "Trim size", "6x9", {**{name: trim.label for name, trim in TRIMS.items()},
                                            CUSTOM: "Custom (the server's PRESSROOM_PRINT_TRIM)"},
               "The printed book's size; Custom is the size set where Pressroom runs (PRESSROOM_PRINT_TRIM)."),
        Option("paper", "Paper", "cream", PAPERS, "The paper, which decides the spine's width."),
        Option("bleed", "Bleed", True, help="Extend the interior's pages 0.125 in beyond the trim at the outer, top "
                                            "and bottom edges, for pictures printed to the edge."),
    )
    preview_label = "Print pages"
    preview_kind = "image"
    check_label = "Preflight for the printer"

    def settings(self, options: Mapping[str, Any]) -> dict[str, Any]:
        """The chosen options, with the custom trim and the ICC profile the settings name (never an
        option: the web and the API offer choices, not sizes or paths)."""
        chosen = super().settings(options)
        if chosen["trim"] == CUSTOM:
            size = environment.text(TRIM_SETTING)
            if not size:
                raise OptionError(f"the custom trim size is not set: give --custom-trim WIDTHxHEIGHT, or set "
                                  f"{TRIM_SETTING}, or choose one of {', '.join(TRIMS)}")
            trim = custom_trim(size, f"{TRIM_SETTING} (--custom-trim)")
            chosen["custom_trim"] = (round(trim.width, 4), round(trim.height, 4))
        icc = environment.text(ICC_SETTING)
        if icc:
            from .colour import load_profile

            profile = load_profile(Path(icc), f"{ICC_SETTING} (--icc)")
            chosen["icc"] = f"{icc}#{hashlib.sha256(profile.data).hexdigest()[:16]}"
        return chosen

    def planned_files(self, article: Article) -> dict[str, str]:
        return {f"{article.slug}-interior.pdf": MEDIA_TYPE, f"{article.slug}-cover.pdf": MEDIA_TYPE}

    def export(self, article: Article, settings: Mapping[str, Any], pages: PageList | None = None) -> Edition:
        from ..labels import label_pages, printed_labels
        from .. import IN_MEMORY, print_html
        from .cover import cover_pdf
        from .interior import lay_out_interior, press_fetcher_files, record_choices, write_for_press
        from .preflight import low_resolution_warnings

        job = print_job(article, settings)
        in_memory = press_fetcher_files(article, job, IN_MEMORY)
        html, base_url = print_html(article, cover=False)
        document, gutter = lay_out_interior(article, job, html, base_url, in_memory)
        count = len(document.pages)

        def finish(document, pdf) -> None:
            label_pages(document, pdf)
            record_choices(pdf, settings, gutter)

        interior = write_for_press(document, job, finish)
        cover = cover_pdf(article, job, count, settings["paper"], in_memory, IN_MEMORY)
        page_types = [page._page_box.page_type for page in document.pages]
        views = tuple(View(str(number), f"Page {number}", label, page_type.side)
                      for number, (label, page_type) in enumerate(
                          zip(printed_labels([page_type.name for page_type in page_types]), page_types), start=1))
        files = self.planned_files(article)
        names = list(files)
        return Edition((EditionFile(names[0], interior, MEDIA_TYPE), EditionFile(names[1], cover, MEDIA_TYPE)),
                       (*views, View("cover", "Cover")), warnings=tuple(low_resolution_warnings(document, IN_MEMORY)))

    def check(self, edition: Edition) -> list[Finding]:
        from .preflight import preflight

        return preflight(edition.files[0].data, edition.files[1].data if len(edition.files) > 1 else None)

    def preview_file(self, edition: Edition, name: str, query: Mapping[str, str]) -> tuple[bytes, str] | None:
        from ..preview import page_png

        large = query.get("size") == "large"
        if name == "cover" and len(edition.files) > 1:
            return page_png(edition.files[1].data, 1, large=large), "image/png"
        if not name.isdigit() or not 1 <= int(name) <= len(edition.views) - 1:
            return None
        return page_png(edition.main.data, int(name), large=large), "image/png"


def print_job(article: Article, settings: Mapping[str, Any]):
    """The trim, profile and printer `settings` choose for `article`, and an identity derived from them
    and the article's content (the PDFs' identifiers)."""
    from .colour import load_profile
    from .geometry import Trim
    from .interior import PrintJob

    if settings["trim"] == CUSTOM:
        width, height = settings["custom_trim"]
        trim = custom_trim(f"{width}x{height}", TRIM_SETTING)
        trim = Trim(width, height, trim.margins, trim.font_size, trim.label)
    else:
        trim = TRIMS[settings["trim"]]
    icc = settings.get("icc")
    profile = load_profile(Path(icc.rsplit("#", 1)[0]) if icc else None, ICC_SETTING)
    chosen = ";".join(f"{name}={settings[name]}" for name in sorted(settings))
    identity = hashlib.sha256(f"{article.digest}:print:{chosen}:{hashlib.sha256(profile.data).hexdigest()}"
                              .encode()).hexdigest()[:32]
    return PrintJob(trim, profile, bool(settings["bleed"]), settings["printer"], identity)
