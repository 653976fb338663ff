"""Lay out FOLDER (written by print_source.py) with WeasyPrint alone, as Pressroom's PDF does
(tagged PDF/UA-1 with a document identifier), and write OUTPUT: the cost of the same source
without any of Pressroom.

Usage: python -P bench/weasyprint_alone.py FOLDER OUTPUT.pdf
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration


def main() -> None:
    folder, output = Path(sys.argv[1]), Path(sys.argv[2])
    source = json.loads((folder / "source.json").read_text(encoding="utf-8"))
    fonts = FontConfiguration()
    stylesheets = [CSS(string=text, base_url=base_url, font_config=fonts) for text, base_url in source["stylesheets"]]
    document = HTML(string=(folder / "document.html").read_text(encoding="utf-8"), base_url=source["base_url"])
    document.write_pdf(output, stylesheets=stylesheets, font_config=fonts, pdf_tags=True, pdf_variant="pdf/ua-1",
                       pdf_identifier=b"0" * 32)


if __name__ == "__main__":
    main()
