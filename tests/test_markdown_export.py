"""The Markdown edition: front matter, body and images folder; exported again, the same file."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import RICH, SAMPLE, VALID_MARKDOWN
from pressroom.articles import read_article
from pressroom.output import write_files
from pressroom.execution import export_set


def exported(article, folder: Path) -> Path:
    """Write the Markdown edition of `article` into `folder`; the path of its `.md`."""
    edition = export_set(article, ["md"])["md"]
    write_files(folder, edition.files)
    return folder / edition.main.name


def round_trip(source: Path, tmp_path: Path) -> tuple[str, str]:
    first = exported(read_article(source), tmp_path / "one")
    second = exported(read_article(first), tmp_path / "two")
    return first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", [SAMPLE, *VALID_MARKDOWN], ids=lambda path: path.name)
def test_exporting_the_exported_markdown_changes_nothing(source, tmp_path):
    first, second = round_trip(source, tmp_path)
    assert first == second


def test_the_rich_article_keeps_its_metadata_images_tables_and_notes(tmp_path):
    original = read_article(RICH)
    path = exported(original, tmp_path)
    again = read_article(path)
    assert again.metadata == original.metadata
    assert [section.title for section in again.sections] == [section.title for section in original.sections]
    assert [len(section.footnotes) for section in again.sections] == [len(section.footnotes) for section in original.sections]
    text = path.read_text(encoding="utf-8")
    assert "| Day | High water | Low water |" in text and "[^1]: Sunrise was at 06:40 that week." in text
    assert (tmp_path / "article-images" / "boat.png").read_bytes() == (RICH.parent / "images" / "boat.png").read_bytes()


def test_what_markdown_cannot_say_stays_html_and_text_stays_text(tmp_path):
    source = tmp_path / "tricky.md"
    source.write_text("""---
title: Tricky
---

1\\. Not a list, # not a heading, \\*not emphasis\\*, `code with `` backticks`, "straight" and 'single' quotes, AT&amp;T.

Water is H<sub>2</sub>O; **"quoted bold"**word; a<br>break.

<table><tr><td colspan="2">spanning</td></tr><tr><td>a</td><td>b|c</td></tr></table>

- tight item
  - nested item
- another

1. first

   second paragraph

2. second

> quoted *text*
>
> - a list in a quote

```
code  keeps   its spacing
```
""", encoding="utf-8")
    first, second = round_trip(source, tmp_path)
    assert first == second
    article = read_article(tmp_path / "one" / "tricky.md")
    html = "".join(section.html for section in article.sections)
    assert "1. Not a list, # not a heading, *not emphasis*, <code>code with `` backticks</code>" in html
    assert "AT&amp;T" in html and "H<sub>2</sub>O" in html and '<td colspan="2">spanning</td>' in html
    assert "<pre><code>code  keeps   its spacing\n</code></pre>" in html
