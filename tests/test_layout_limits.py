"""Articles whose print layout would run past the export limit: refused at once, before any layout,
by the exporter that lays out pages, in every door; the other formats still make them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pressroom.articles import read_article
from pressroom.cli import main
from pressroom.execution import export_set
from pressroom.exporters import ExportFailed, ExportOptions, exporter_for
from pressroom.exporters.pdf import MAX_TABLE_CELLS


def table_article(folder: Path, rows: int, columns: int, heading: str = "") -> Path:
    """A Markdown article holding one table of `rows` rows (and a header row) by `columns` columns."""
    lines = ["---", "lang: en", "---", "# A table too long to print", "", f"## {heading}" if heading else "", ""]
    lines.append("| " + " | ".join(f"Column {column}" for column in range(columns)) + " |")
    lines.append("|" + " --- |" * columns)
    lines += ["| " + " | ".join(f"{row}.{column}" for column in range(columns)) + " |" for row in range(rows)]
    path = folder / "long-table.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def table_of_5000_rows(tmp_path_factory) -> Path:
    return table_article(tmp_path_factory.mktemp("table"), 5000, 12)


@pytest.fixture(autouse=True)
def a_short_export_limit(monkeypatch):
    """Were the article laid out after all, the export would stop here with another message."""
    monkeypatch.setenv("PRESSROOM_EXPORT_SECONDS", "10")


def test_the_cli_refuses_a_pdf_of_a_5000_by_12_table_naming_the_cells_and_the_fix(runner, table_of_5000_rows, tmp_path):
    result = runner.invoke(main, ["export", str(table_of_5000_rows), "-f", "pdf", "-o", str(tmp_path)])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line == (f"error: {table_of_5000_rows}: this article cannot be exported as PDF: its tables have 60,012 "
                    f"cells (60,012 in its opening), and Pressroom lays out at most {MAX_TABLE_CELLS:,} table cells in "
                    "pages; split the table into several articles, or export it as EPUB or HTML (without the "
                    "page numbers of the PDF)")
    assert list(tmp_path.iterdir()) == []


def test_the_same_table_is_made_as_epub_and_html(table_of_5000_rows):
    editions = export_set(read_article(table_of_5000_rows), ["epub", "html"])
    assert editions["html"].main.data.count(b"<td") == 60_000
    chapter = zipfile.ZipFile(io.BytesIO(editions["epub"].main.data)).read("EPUB/text/opening.xhtml")
    assert chapter.count(b"<td") == 60_000


def test_an_epub_marking_the_print_pages_is_refused_too(table_of_5000_rows):
    with pytest.raises(ExportFailed, match="cannot be exported as EPUB: its tables have 60,012 cells"):
        export_set(read_article(table_of_5000_rows), ["epub"], ExportOptions(page_list=True))


def test_the_refusal_names_the_section_and_stops_at_the_declared_limit(tmp_path):
    pdf = exporter_for("pdf")
    columns = 10
    at_limit = read_article(table_article(tmp_path, MAX_TABLE_CELLS // columns - 1, columns, "Tide tables"))
    assert pdf.refusal(at_limit) is None  # its header row makes it exactly MAX_TABLE_CELLS
    past = read_article(table_article(tmp_path, MAX_TABLE_CELLS // columns, columns, "Tide tables"))
    assert f"its tables have {MAX_TABLE_CELLS + columns:,} cells ({MAX_TABLE_CELLS + columns:,} in the section " \
           "“Tide tables”)" in pdf.refusal(past)


def test_the_web_ui_answers_422_naming_the_cause(client, content_dir, table_of_5000_rows):
    (content_dir / "long-table.md").write_bytes(table_of_5000_rows.read_bytes())
    for url in ("/articles/long-table/download/pdf", "/articles/long-table/?view=pdf"):
        response = client.get(url)
        assert response.status_code == 422, url
        assert "its tables have 60,012 cells" in response.get_data(as_text=True)
    assert client.get("/articles/long-table/download/html").status_code == 200
