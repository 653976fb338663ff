"""Lay out FOLDER (written by print_source.py) with WeasyPrint alone, as Pressroom's PDF does
(tagged PDF/UA-1 with a document identifier), and write OUTPUT: the cost of the same source
without any of Pressroom. `--without FEATURE` (repeatable) leaves one of the edition's features
out, to measure what WeasyPrint spends on it. `--call-depth N` calls WeasyPrint from N Python frames
deeper, which on CPython 3.11 moves where its calls cross the frame stack's chunks (bench/stack_chunks.py).

Usage: python -P bench/weasyprint_alone.py FOLDER OUTPUT.pdf [--without FEATURE ...] [--call-depth N]
"""

from __future__ import annotations

import argparse
import gc
import json
from pathlib import Path

from lxml import html as lxml_html
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

# Stylesheets appended last that switch a feature off; "tags" and "front-and-back-matter" are
# handled in main() (a write option, and elements taken out of the HTML).
SWITCHED_OFF_BY_CSS = {
    "hyphenation": "* { hyphens: manual !important; }",
    "justification": ".section p { text-align: start !important; }",
    "contents-page-numbers": ".toc a::after { content: none !important; }",
}
FEATURES = ("tags", "front-and-back-matter", *SWITCHED_OFF_BY_CSS)
FRONT_AND_BACK_MATTER = ("cover", "title-page", "toc", "back-matter")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--without", action="append", choices=FEATURES, default=[])
    parser.add_argument("--call-depth", type=int, default=0)
    args = parser.parse_args()
    source = json.loads((args.folder / "source.json").read_text(encoding="utf-8"))
    fonts = FontConfiguration()
    stylesheets = [CSS(string=text, base_url=base_url, font_config=fonts) for text, base_url in source["stylesheets"]]
    stylesheets += [CSS(string=SWITCHED_OFF_BY_CSS[name], font_config=fonts)
                    for name in args.without if name in SWITCHED_OFF_BY_CSS]
    markup = (args.folder / "document.html").read_text(encoding="utf-8")
    if "front-and-back-matter" in args.without:
        markup = without_front_and_back_matter(markup)
    tagged = "tags" not in args.without
    document = HTML(string=markup, base_url=source["base_url"])
    called_deeper(args.call_depth, lambda: document.write_pdf(
        args.output, stylesheets=stylesheets, font_config=fonts, pdf_tags=tagged,
        pdf_variant="pdf/ua-1" if tagged else None, pdf_identifier=b"0" * 32))


def called_deeper(depth: int, work) -> None:
    """`work()`, called from `depth` more Python frames."""
    if depth:
        called_deeper(depth - 1, work)
    else:
        work()


def without_front_and_back_matter(markup: str) -> str:
    """The document without its cover, title page, contents and back matter (colophon, notes)."""
    root = lxml_html.document_fromstring(markup)
    for name in FRONT_AND_BACK_MATTER:
        for element in root.find_class(name):
            element.drop_tree()
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


if __name__ == "__main__":
    main()
    # As Pressroom's command line does: its interpreter then exits without collecting everything once
    # more, which is no part of WeasyPrint's work.
    gc.freeze()
