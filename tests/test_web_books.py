"""Books in the web UI: made from library articles, saved as manifests, previewed, downloaded."""

from __future__ import annotations

import re
from urllib.parse import unquote

from conftest import SAMPLE


def token(client) -> str:
    page = client.get("/books/").get_data(as_text=True)
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
    assert "Coastal Reader" in listing and "3 chapters" in listing


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
    assert "coastal-reader.yaml, line 4: there is no article at &#39;lighthouse.md&#39;" in page
    assert "there is no article at" in client.get("/books/").get_data(as_text=True)


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
