"""Books in the web UI: made from library articles, saved as manifests, previewed, downloaded."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import SAMPLE


def token(client) -> str:
    page = client.get("/books/new").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def make_book(client, title: str, positions: dict[str, str]):
    data = {"csrf_token": token(client), "title": title, "article": list(positions)}
    data.update({f"position-{slug}": place for slug, place in positions.items()})
    return client.post("/books/", data=data)


def third_article(content_dir) -> str:
    (content_dir / "lighthouse.md").write_text("---\ntitle: The Lighthouse\nauthors: [Mary Keeper]\n---\n\n"
                                               "The lamp was lit at dusk.\n", encoding="utf-8")
    return "lighthouse"


def test_a_book_of_three_library_articles_is_saved_as_a_manifest_in_their_order(client, content_dir):
    lighthouse = third_article(content_dir)
    response = make_book(client, "Coastal Reader", {"field-notes": "2", SAMPLE.stem: "3", lighthouse: "1"})
    assert response.status_code == 303 and response.headers["Location"] == "/books/coastal-reader/"
    assert (content_dir / "coastal-reader.yaml").read_text(encoding="utf-8") == (
        f"title: Coastal Reader\narticles:\n- lighthouse.md\n- field-notes.md\n- {SAMPLE.name}\n")
    listing = client.get("/books/").get_data(as_text=True)
    assert "Coastal Reader" in listing and "3 articles" in listing


def test_the_book_previews_in_every_view_and_downloads_each_edition(client, content_dir):
    make_book(client, "Coastal Reader", {"field-notes": "1", third_article(content_dir): "2"})
    reading = client.get("/books/coastal-reader/").get_data(as_text=True)
    assert reading.index("The Lighthouse") > reading.index("Field Notes from the Harbour")
    assert "By Ada Lovelace and Grace Hopper" in reading and "By Mary Keeper" in reading
    assert 'src="/books/coastal-reader/files/c1/images/boat.png"' in reading
    with client.get("/books/coastal-reader/files/c1/images/boat.png") as image:
        assert image.status_code == 200 and image.mimetype == "image/png"
    pages = client.get("/books/coastal-reader/?view=pdf").get_data(as_text=True)
    assert "/books/coastal-reader/view/pdf/1" in pages
    assert client.get("/books/coastal-reader/view/pdf/1").mimetype == "image/png"
    chapters = client.get("/books/coastal-reader/?view=epub").get_data(as_text=True)
    assert "/books/coastal-reader/view/epub/text/chapter-2.xhtml" in chapters
    pdf = client.get("/books/coastal-reader/download/pdf")
    epub = client.get("/books/coastal-reader/download/epub")
    assert pdf.data.startswith(b"%PDF-") and epub.data.startswith(b"PK")
    assert "Coastal%20Reader.pdf" in pdf.headers["Content-Disposition"]


def test_a_book_and_an_article_may_share_a_name(client, content_dir):
    (content_dir / "field-notes.yaml").write_text(f"title: Notes\narticles: [field-notes.md, {SAMPLE.name}]\n",
                                                  encoding="utf-8")
    assert "Notes" in client.get("/books/field-notes/").get_data(as_text=True)
    assert "Field Notes from the Harbour" in client.get("/articles/field-notes/").get_data(as_text=True)


def test_a_book_whose_article_was_deleted_says_which_is_missing(client, content_dir):
    make_book(client, "Coastal Reader", {"field-notes": "1", third_article(content_dir): "2"})
    (content_dir / "lighthouse.md").unlink()
    response = client.get("/books/coastal-reader/")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "“lighthouse” is no longer in the library" in page and "Edit the book" in page
    assert str(content_dir) not in page
    listing = client.get("/books/").get_data(as_text=True)
    assert "“lighthouse” is no longer in the library" in listing and str(content_dir) not in listing


def test_a_book_needs_a_title_two_articles_and_a_free_name(client, content_dir):
    assert make_book(client, "", {"field-notes": "1", SAMPLE.stem: "2"}).status_code == 422
    assert "at least two articles" in make_book(client, "One", {"field-notes": "1"}).get_data(as_text=True)
    assert make_book(client, "Twice", {"field-notes": "1", SAMPLE.stem: "2"}).status_code == 303
    again = make_book(client, "Twice", {"field-notes": "1", SAMPLE.stem: "2"})
    assert again.status_code == 422 and "already a book called" in again.get_data(as_text=True)


def test_a_manifest_naming_a_file_outside_the_content_folder_is_not_served(client, content_dir, tmp_path):
    (tmp_path / "secret.txt").write_text("Secret\n\nDo not show.\n", encoding="utf-8")
    (content_dir / "leak.yaml").write_text("title: Leak\narticles: [field-notes.md, ../secret.txt]\n", encoding="utf-8")
    response = client.get("/books/leak/")
    assert response.status_code == 422 and "outside the content folder" in response.get_data(as_text=True)
    assert client.get("/books/leak/download/epub").status_code == 422


def test_a_long_book_titles_download_name_is_cut_like_an_articles(client, content_dir):
    title = " ".join(["Coastal readings for the long winter evenings"] * 4)[:200]
    response = make_book(client, title, {"field-notes": "1", third_article(content_dir): "2"})
    header = client.get(response.headers["Location"] + "download/html").headers["Content-Disposition"]
    ascii_name = re.search(r'filename="([^"]+)"', header).group(1)
    full_name = unquote(header.split("filename*=UTF-8''")[1])
    assert len(full_name) <= 100 and len(ascii_name) <= 100 and full_name.endswith(".html")
    assert title.startswith(full_name.removesuffix(".html"))


@pytest.mark.parametrize("place", ["²", "9" * 5000, "-1", "1.5", "٣"])
def test_a_place_that_is_not_a_small_ascii_number_is_a_422(client, content_dir, place):
    response = make_book(client, "Odd Places", {"field-notes": place, SAMPLE.stem: "2"})
    assert response.status_code == 422 and "is a number such as 1, 2 or 3" in response.get_data(as_text=True)
    assert not (content_dir / "odd-places.yaml").exists()


def test_an_article_chosen_twice_is_bound_once(client, content_dir):
    data = {"csrf_token": token(client), "title": "Twice Over", "article": ["field-notes", SAMPLE.stem, "field-notes"],
            "position-field-notes": "1", f"position-{SAMPLE.stem}": "2"}
    assert client.post("/books/", data=data).status_code == 303
    assert (content_dir / "twice-over.yaml").read_text(encoding="utf-8") == (
        f"title: Twice Over\narticles:\n- field-notes.md\n- {SAMPLE.name}\n")
    assert client.get("/books/twice-over/").status_code == 200


def test_listing_a_hundred_books_opens_no_article(client, content_dir):
    for number in range(100):
        (content_dir / f"book-{number}.yaml").write_text(
            f"title: Book {number}\narticles: [field-notes.md, {SAMPLE.name}]\n", encoding="utf-8")
    client.get("/books/")  # the catalogue's walk (it reads what changed), then none while the test counts
    client.application.config["WALK_SECONDS"] = 3600
    with files_opened() as opened:
        listing = client.get("/books/")
    assert listing.status_code == 200 and "Book 0" in listing.get_data(as_text=True)  # 50 a page
    assert [path for path in opened if path.suffix in (".md", ".txt") and "book-" not in path.name] == []
    assert len([path for path in opened if path.suffix == ".yaml"]) == 100


def test_a_book_is_renamed_and_edited_and_deleted_in_the_ui(client, content_dir):
    make_book(client, "Coastal Reader", {"field-notes": "1", SAMPLE.stem: "2"})
    form = client.get("/books/coastal-reader/edit").get_data(as_text=True)
    assert 'value="Coastal Reader"' in form and 'name="position-field-notes"' in form
    lighthouse = third_article(content_dir)
    data = {"csrf_token": token(client), "title": "Harbour Reader", "article": [lighthouse, "field-notes"],
            f"position-{lighthouse}": "1", "position-field-notes": "2"}
    edited = client.post("/books/coastal-reader/edit", data=data)
    assert edited.status_code == 303 and edited.headers["Location"] == "/books/harbour-reader/"
    assert not (content_dir / "coastal-reader.yaml").exists()
    assert (content_dir / "harbour-reader.yaml").read_text(encoding="utf-8") == (
        "title: Harbour Reader\narticles:\n- lighthouse.md\n- field-notes.md\n")
    deleted = client.post("/books/harbour-reader/delete", data={"csrf_token": token(client)})
    assert deleted.status_code == 303 and not (content_dir / "harbour-reader.yaml").exists()
    assert (content_dir / "lighthouse.md").exists()


def test_deleting_an_article_a_book_binds_warns_first_and_names_the_book(client, content_dir):
    make_book(client, "Coastal Reader", {"field-notes": "1", SAMPLE.stem: "2"})
    page = client.get("/articles/field-notes/delete").get_data(as_text=True)
    assert "1 book binds this article" in page and "Coastal Reader" in page
    assert "book binds" not in client.get(f"/articles/{third_article(content_dir)}/delete").get_data(as_text=True)


@contextlib.contextmanager
def files_opened():
    """The files this process opens meanwhile (an audit hook, which cannot be removed, so it listens
    only while a list is given to it)."""
    opened: list[Path] = []
    _LISTENERS.append(opened)
    try:
        yield opened
    finally:
        _LISTENERS.remove(opened)


_LISTENERS: list[list[Path]] = []


def _audit(event: str, arguments: tuple) -> None:
    if event == "open" and _LISTENERS and isinstance(arguments[0], (str, bytes, os.PathLike)):
        for listener in _LISTENERS:
            listener.append(Path(os.fsdecode(arguments[0])))


sys.addaudithook(_audit)


def test_a_book_and_an_article_answer_the_same_headers_for_the_same_request(client, content_dir):
    make_book(client, "Coastal Reader", {"field-notes": "1", SAMPLE.stem: "2"})
    for kind in ("download/html", "view/epub/text/titlepage.xhtml", ""):
        article = client.get(f"/articles/field-notes/{kind}")
        book = client.get(f"/books/coastal-reader/{kind}")
        assert article.status_code == book.status_code == 200, kind
        for header in ("Content-Security-Policy", "Cache-Control", "Content-Type"):
            assert article.headers.get(header) == book.headers.get(header), (kind, header)
        assert bool(article.headers.get("ETag")) == bool(book.headers.get("ETag")), kind
        for response, path in ((article, "/articles/field-notes/"), (book, "/books/coastal-reader/")):
            if response.headers.get("ETag"):
                again = client.get(path + kind, headers={"If-None-Match": response.headers["ETag"]})
                assert again.status_code == 304, (path, kind)
