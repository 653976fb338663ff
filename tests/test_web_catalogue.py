"""The library and books pages over the catalogue: search, filters, sorts and pages in the URL; hostile
searches and titles; the book form's search."""

from __future__ import annotations

import re

import pytest

from conftest import SAMPLE
from test_catalogue import HOSTILE_SEARCHES


def write(folder, name: str, title: str, body: str, extra: str = "") -> None:
    (folder / name).write_text(f"---\ntitle: {title}\n{extra}---\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def archive(content_dir):
    """The sample and the rich article, and 120 numbered articles by two authors."""
    for number in range(120):
        author = "Ada Byron" if number % 2 else "Mary Keeper"
        write(content_dir, f"note-{number:03}.md", f"Note {number:03}", f"Tide table number {number}.",
              f"authors: [{author}]\nlang: en\n")
    return content_dir


def titles(page: str) -> list[str]:
    return re.findall(r'class="library-title" href="[^"]+">([^<]+)<', page)


def test_the_library_is_paged_fifty_at_a_time_with_numbered_pages(client, archive):
    first = client.get("/").get_data(as_text=True)
    assert len(titles(first)) == 50 and "122 articles; page 1 of 3" in first
    assert 'rel="next" href="/?page=2"' in first and 'href="/?page=3">3</a>' in first
    last = client.get("/?page=999").get_data(as_text=True)
    assert "page 3 of 3" in last and len(titles(last)) == 22 and 'rel="prev"' in last


def test_search_filters_and_sorts_are_in_the_url(client, archive):
    page = client.get("/?q=tide&author=Ada+Byron&sort=title").get_data(as_text=True)
    assert "60 articles found" in page and titles(page)[0] == "Note 001"
    assert 'href="/?q=tide&amp;sort=title">remove' in page  # the author filter's removal keeps the rest
    assert '<mark>Tide</mark>' in page
    facets = client.get("/").get_data(as_text=True)
    assert re.search(r'href="/\?author=Mary\+Keeper">Mary Keeper</a> <span class="count">60</span>', facets)


def test_a_phrase_ranks_the_article_that_holds_it(client, archive):
    page = client.get('/?q="number+7."').get_data(as_text=True)
    assert titles(page)[0] == "Note 007"


@pytest.mark.parametrize("query", HOSTILE_SEARCHES)
def test_a_hostile_search_gives_results_or_a_message(client, archive, query):
    response = client.get("/", query_string={"q": query})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "ask with at most 500" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/?page=two", "/?year=twenty", "/?sort=size"])
def test_a_bad_page_year_or_sort_is_a_clear_4xx(client, archive, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500 and "Back to the library" in response.get_data(as_text=True)


def test_a_hostile_title_and_body_stay_text(client, content_dir):
    write(content_dir, "hostile.md", "'<script>alert(1)</script>'", "<b onclick=alert(2)>script</b> here")
    page = client.get("/?q=script").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "onclick" not in page and "<mark>script</mark>" in page


def test_an_article_copied_in_by_hand_and_one_deleted_through_pressroom(client, archive):
    write(archive, "by-hand.md", "Copied By Hand", "It arrived with cp.")
    assert titles(client.get("/?q=copied").get_data(as_text=True)) == ["Copied By Hand"]
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/add").get_data(as_text=True)).group(1)
    assert client.post("/articles/by-hand/delete", data={"csrf_token": token}).status_code == 303
    assert "0 articles found" in client.get("/?q=copied").get_data(as_text=True)


def test_the_book_form_finds_articles_by_search_and_keeps_the_chosen(client, archive):
    page = client.get("/books/new").get_data(as_text=True)
    assert page.count('name="article"') == 50 and "The first 50 of 122 articles" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    found = client.post("/books/", data={"csrf_token": token, "title": "Tides", "article": ["note-007"],
                                         "position-note-007": "2", "find-q": "\"number 9.\"", "find": "1"})
    text = found.get_data(as_text=True)
    assert found.status_code == 200 and 'value="note-007" checked' in text and 'value="note-009"' in text
    made = client.post("/books/", data={"csrf_token": token, "title": "Tides", "article": ["note-007", "note-009"],
                                        "position-note-007": "2", "position-note-009": "1"})
    assert made.status_code == 303
    assert (archive / "tides.yaml").read_text(encoding="utf-8").endswith("- note-009.md\n- note-007.md\n")
    assert "2 articles" in client.get("/books/?q=tid").get_data(as_text=True)
    assert SAMPLE.stem not in client.get("/books/?q=nothing-like-it").get_data(as_text=True).split("Make a book")[0]
