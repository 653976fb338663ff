"""The library of 10,000 generated articles in Chromium: paged, searchable, filterable, and showing an
article copied into the folder by hand after the next walk."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from conftest import PRESSROOM, ROOT, SAMPLE
from server import running_server
from test_browser import browser, check_page, page  # noqa: F401 (fixtures)

sys.path.insert(0, str(ROOT / "bench"))
from generated_library import generate  # noqa: E402

ARTICLES = 10_000


@pytest.fixture(scope="module")
def archive_url(tmp_path_factory):
    content = tmp_path_factory.mktemp("archive") / "content"
    generate(content, ARTICLES)
    subprocess.run([PRESSROOM, "index", "--content", str(content)], check=True, capture_output=True)
    with running_server(content) as url:
        yield url, content


def test_ten_thousand_articles_are_paged_searched_and_filtered(page, archive_url):
    base, content = archive_url
    page.goto(base + "/")
    expect(page.get_by_role("status")).to_have_text("10,000 articles; page 1 of 200")
    expect(page.locator(".library-entry")).to_have_count(50)
    check_page(page, "library-archive", full_page=False)
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"page=2$"))
    expect(page.get_by_role("status")).to_have_text("10,000 articles; page 2 of 200")
    page.get_by_label("Search titles, authors and text").fill('"fishermen mend" boats')
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=%22fishermen"))
    expect(page.locator(".snippet mark").first).to_be_visible()
    found = int(re.search(r"[\d,]+", page.get_by_role("status").inner_text()).group().replace(",", ""))
    assert 0 < found < ARTICLES
    page.locator(".facets ul").first.get_by_role("link").first.click()
    expect(page.locator(".facet-chosen")).to_contain_text("Author:")
    narrowed = int(re.search(r"[\d,]+", page.get_by_role("status").inner_text()).group().replace(",", ""))
    assert 0 < narrowed < found
    check_page(page, "library-archive-search", full_page=False)


def test_an_article_copied_in_by_hand_is_listed_after_the_next_walk(page, archive_url):
    base, content = archive_url
    shutil.copy(SAMPLE, content / SAMPLE.name)
    subprocess.run([PRESSROOM, "index", "--content", str(content)], check=True, capture_output=True)
    page.goto(base + "/?q=smuggled")
    expect(page.get_by_role("link", name=re.compile("^28 Banned Photos"))).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("1 article found")
