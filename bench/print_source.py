"""Write the HTML and CSS Pressroom's PDF edition gives WeasyPrint for SOURCE into FOLDER, so that
`weasyprint_alone.py` can lay out the very same source with WeasyPrint and nothing else.

Usage: python -P bench/print_source.py SOURCE FOLDER   (the PDF's default options)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pressroom.articles import read_article
from pressroom.exporters import chosen_options, exporter_for
from pressroom.exporters.pdf import IN_MEMORY, print_source


def main() -> None:
    source, folder = Path(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    exporter = exporter_for("pdf")
    printed = print_source(read_article(source), exporter.settings(chosen_options({})))
    # Images by their paths relative to the article (the base URL), which WeasyPrint alone reads from disk.
    (folder / "document.html").write_text(printed.html.replace(IN_MEMORY, ""), encoding="utf-8")
    (folder / "source.json").write_text(json.dumps({"base_url": printed.base_url,
                                                    "stylesheets": printed.stylesheets}), encoding="utf-8")


if __name__ == "__main__":
    main()
