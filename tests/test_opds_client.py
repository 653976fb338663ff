"""A client nobody here wrote reads the OPDS catalogue: Readium's r2-opds-js (Thorium Reader's parser), run
with Node from tools/, walks a `pressroom serve` of 120 articles page by page, searches, and downloads an
EPUB that passes EPUBCheck."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import ROOT
from server import running_server
from validators import epubcheck_messages, require

CLIENT = Path(__file__).parent / "opds_client.js"
NODE_MODULES = ROOT / "tools" / "node_modules"


def test_thoriums_parser_walks_every_page_searches_and_downloads_a_valid_epub(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    for number in range(120):
        (content / f"article-{number:03}.md").write_text(
            f"---\ntitle: Article {number:03}\nauthors: [Writer {number % 7}]\nlang: en\n---\n\n"
            f"The harbour log of day {number}.\n", encoding="utf-8")
    (content / "keeper.md").write_text("---\ntitle: 'The <em>Keeper</em> & the lamp'\nauthors: [Keeper]\n---\n\n"
                                       "A lighthouse keeper writes of the lamp.\n", encoding="utf-8")
    epub = tmp_path / "downloaded.epub"
    with running_server(content) as base:
        result = subprocess.run([require("node"), str(CLIENT), base, "lighthouse", str(epub)], capture_output=True,
                                text=True, timeout=300, env={**os.environ, "NODE_PATH": str(NODE_MODULES)})
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["sections"] == ["Newest", "By author", "By language", "By title", "Books"]
    assert seen["pages"] == 3 and int(seen["total"]) == 121
    assert sorted(seen["titles"]) == sorted([f"Article {number:03}" for number in range(120)]
                                            + ["The <em>Keeper</em> & the lamp"])
    assert seen["first"]["authors"] == ["Writer 0"] and seen["first"]["language"] == "en"
    assert seen["first"]["summary"] == "The harbour log of day 0."
    assert "application/epub+zip" in seen["first"]["acquisitions"]
    assert seen["search"] == ["The <em>Keeper</em> & the lamp"]
    assert seen["download"]["type"] == "application/epub+zip" and seen["download"]["bytes"] == epub.stat().st_size
    assert epubcheck_messages(epub) == []
