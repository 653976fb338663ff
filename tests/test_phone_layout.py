"""At phone width (390 px, Chromium) the reading view and the HTML edition never scroll sideways: a wide
table scrolls inside its own box; the e-book preview keeps the EPUB's own table alignment."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from pressroom.articles import read_article
from pressroom.exporters import load_exporters
from server import running_server
from test_browser import CHROMIUM_ARGS, PHONE, SCREENSHOTS
from validators import require

SIX_COLUMNS = """---
title: Harbour figures
lang: en
---

Landings at the harbour, by month, with the boats that brought them in.

| Month | Boats | Cod (tonnes) | Herring (tonnes) | Mackerel (tonnes) | Skipper of the largest landing |
|:------|------:|-------------:|-----------------:|------------------:|:-------------------------------|
| January | 12 | 1,204.5 | 3,310.0 | 912.25 | Margaretha Johannesdottir-Henderson |
| February | 9 | 980.0 | 2,870.75 | 1,020.5 | Bartholomew Fitzwilliam-Saunders |
"""


@pytest.fixture(scope="module")
def table_article(tmp_path_factory):
    content = tmp_path_factory.mktemp("phone") / "content"
    content.mkdir()
    (content / "harbour-figures.md").write_text(SIX_COLUMNS, encoding="utf-8")
    return content / "harbour-figures.md"


@pytest.fixture(scope="module")
def phone(browser_instance):
    context = browser_instance.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def browser_instance():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require("chromium"), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: it never scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_reading_view_of_a_table_article_does_not_scroll_sideways_on_a_phone(phone, table_article):
    with running_server(table_article.parent) as url:
        phone.goto(f"{url}/articles/harbour-figures/")
        phone.wait_for_load_state("networkidle")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SCREENSHOTS / "phone-table-reading.png"), full_page=True)
        assert sideways_overflow(phone) == 0
        table = phone.locator(".section table")
        assert table.evaluate("t => t.scrollWidth > t.clientWidth")  # it scrolls in its own box


def test_the_html_edition_of_a_table_article_does_not_scroll_sideways_on_a_phone(phone, table_article, tmp_path):
    exporter = load_exporters()["html"]
    edition = exporter.export(read_article(table_article), exporter.settings({}))
    path = tmp_path / edition.main.name
    path.write_bytes(edition.main.data)
    phone.goto(path.as_uri())
    phone.screenshot(path=str(SCREENSHOTS / "phone-table-html.png"), full_page=True)
    assert sideways_overflow(phone) == 0


def test_the_e_book_preview_keeps_the_tables_alignment(phone, table_article):
    with running_server(table_article.parent) as url:
        phone.goto(f"{url}/articles/harbour-figures/view/epub/text/opening.xhtml")
        cell = phone.locator("td").nth(1)
        assert cell.evaluate("td => getComputedStyle(td).textAlign") == "right"
