"""Adding articles through the web UI, the editions' previews and checks, and the app's own safety."""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile

import pytest

from pressroom.app import create_app
from conftest import RICH, SAMPLE

BOAT = (RICH.parent / "images" / "boat.png").read_bytes()


def token(client) -> str:
    page = client.get("/add").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def upload(client, files, **fields):
    data = {"csrf_token": token(client), "source": "upload", **fields,
            "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/add", data=data, content_type="multipart/form-data")


def paste(client, text, **fields):
    return client.post("/add", data={"csrf_token": token(client), "source": "paste", "text": text, **fields})


def test_upload_of_an_article_with_its_image(client, content_dir):
    response = upload(client, [("Harbour Notes.md", RICH.read_bytes()), ("images/boat.png", BOAT)])
    assert response.status_code == 303 and response.headers["Location"] == "/articles/harbour-notes/"
    assert (content_dir / "harbour-notes" / "harbour-notes.md").read_bytes() == RICH.read_bytes()
    page = client.get("/articles/harbour-notes/").get_data(as_text=True)
    assert "Field Notes from the Harbour" in page and "/articles/harbour-notes/files/images/boat.png" in page


def test_upload_of_a_zip(client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("harbour/notes.md", RICH.read_bytes())
        archive.writestr("harbour/images/boat.png", BOAT)
    response = upload(client, [("harbour.zip", buffer.getvalue())])
    assert response.status_code == 303 and response.headers["Location"] == "/articles/notes/"
    with client.get("/articles/notes/files/images/boat.png") as image:
        assert image.status_code == 200


def test_a_hostile_zip_is_refused(client, content_dir):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.md", "# T\n")
        archive.writestr("../../escape.txt", "x")
    response = upload(client, [("evil.zip", buffer.getvalue())])
    assert response.status_code == 422
    assert "this file name is not allowed in an upload" in response.get_data(as_text=True)
    assert not (content_dir.parent / "escape.txt").exists()


def test_paste_of_plain_text(client):
    response = paste(client, "A Pasted Piece\n\nIts only paragraph.\n", kind="txt")
    assert response.status_code == 303 and response.headers["Location"] == "/articles/a-pasted-piece/"
    assert "Its only paragraph." in client.get("/articles/a-pasted-piece/").get_data(as_text=True)


def test_a_broken_paste_shows_file_line_and_fix_and_keeps_the_text(client, content_dir):
    text = "---\ntitle: Broken\ndate: 2024-02-30\n---\n\nEvery word the user typed.\n"
    before = sorted(content_dir.iterdir())
    response = paste(client, text, kind="md", name="broken piece")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "broken piece.md, line 3: &#39;date&#39; has an impossible value" in page
    assert "Every word the user typed." in page and 'value="broken piece"' in page
    assert sorted(content_dir.iterdir()) == before


def test_the_same_name_gets_a_new_slug_unless_replace_is_asked(client, content_dir):
    first = paste(client, "Twice\n\nFirst.\n", kind="txt")
    second = paste(client, "Twice\n\nSecond.\n", kind="txt")
    assert first.headers["Location"] == "/articles/twice/" and second.headers["Location"] == "/articles/twice-2/"
    third = paste(client, "Twice\n\nThird.\n", kind="txt", replace="on")
    assert third.headers["Location"] == "/articles/twice/"
    assert "Third." in client.get("/articles/twice/").get_data(as_text=True)
    assert "Second." in client.get("/articles/twice-2/").get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_rejected(client, content_dir):
    before = sorted(content_dir.iterdir())
    response = client.post("/add", data={"source": "paste", "text": "T\n\nx\n", "kind": "txt"})
    assert response.status_code == 400 and "The form has expired" in response.get_data(as_text=True)
    response = client.post("/add", data={"source": "paste", "text": "T\n\nx\n", "csrf_token": "forged"})
    assert response.status_code == 400
    assert sorted(content_dir.iterdir()) == before


def test_an_upload_over_the_limit_is_a_clear_413(content_dir):
    app = create_app({"CONTENT_DIR": str(content_dir), "MAX_CONTENT_LENGTH": 1024, "SECRET_KEY": "k"})
    client = app.test_client()
    response = upload(client, [("big.txt", b"T\n\n" + b"x" * 4096)])
    assert response.status_code == 413
    assert "The upload is larger than" in response.get_data(as_text=True)


def test_the_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    from pressroom.web.security import secret_key

    monkeypatch.delenv("PRESSROOM_SECRET_KEY", raising=False)
    key = secret_key(str(tmp_path / "instance"))
    assert key == secret_key(str(tmp_path / "instance")) and len(key) == 64
    assert stat.S_IMODE(os.stat(tmp_path / "instance" / "secret_key").st_mode) == 0o600
    monkeypatch.setenv("PRESSROOM_SECRET_KEY", "from-the-environment")
    assert secret_key(str(tmp_path / "instance")) == "from-the-environment"


@pytest.mark.parametrize("view", ["reading", "pdf", "epub"])
def test_each_preview_view(client, view):
    response = client.get(f"/articles/field-notes/?view={view}&page_size=a5")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'aria-current="page"' in page
    if view == "pdf":
        images = re.findall(r'<img src="(/articles/field-notes/view/pdf/\d+[^"]*)"', page)
        assert len(images) >= 4  # cover, text, colophon: a short piece is not padded
        png = client.get(images[0].replace("&amp;", "&"))
        assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    if view == "epub":
        frames = re.findall(r'<iframe class="document" src="([^"]+)" title="EPUB: ([^"]+)"', page)
        assert [title for _, title in frames][:3] == ["Cover", "Field Notes from the Harbour", "Contents"]
        chapter = client.get(frames[3][0].replace("&amp;", "&"))
        assert chapter.mimetype == "application/xhtml+xml" and b"The harbour wakes" in chapter.data
        assert "sandbox" in chapter.headers["Content-Security-Policy"]


def test_an_unknown_view_or_ebook_file_is_404(client):
    assert client.get("/articles/field-notes/?view=nope").status_code == 404
    assert client.get("/articles/field-notes/view/epub/../../etc/passwd").status_code == 404
    assert client.get("/articles/field-notes/view/epub/content.opf").status_code == 404
    assert client.get("/articles/field-notes/view/pdf/999").status_code == 404
    assert client.get("/articles/field-notes/view/html/1").status_code == 404


@pytest.mark.validators  # slow: kept out of --quick
def test_the_checks_report_in_plain_words(client):
    pdf = client.get("/articles/field-notes/check/pdf").get_data(as_text=True)
    assert "Tagged for screen readers." in pdf and "fonts are embedded and subset" in pdf
    epub = client.get("/articles/field-notes/check/epub").get_data(as_text=True)
    assert "EPUBCheck found no errors and no warnings." in epub
    assert client.get("/articles/field-notes/check/html").status_code == 404


def test_repeated_downloads_come_from_the_cache(client, monkeypatch):
    from pressroom.web import state

    first = client.get("/articles/field-notes/download/epub")
    monkeypatch.setattr(state, "export_set", lambda *args, **kwargs: pytest.fail("exported again"))
    second = client.get("/articles/field-notes/download/epub")
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]


def test_titles_are_escaped_in_every_page(client):
    response = paste(client, "<script>alert(1)</script> & <b>bold</b>\n\nText.\n", kind="txt", name="escaped")
    assert response.status_code == 303
    for url in ("/", "/articles/escaped/"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in page


def test_the_sample_pasted_with_the_forms_defaults_makes_the_sample(client, content_dir, sample):
    response = paste(client, SAMPLE.read_text(encoding="utf-8"), kind="detect")
    slug = "28-banned-photos-that-were-secretly-smuggled-out-of-north-korea"
    assert response.status_code == 303 and response.headers["Location"] == f"/articles/{slug}/"
    stored = content_dir / slug / f"{slug}.txt"
    assert stored.read_bytes() == SAMPLE.read_bytes()
    page = client.get(f"/articles/{slug}/").get_data(as_text=True)
    assert sample.title in page and page.count('<span class="item-number">') == 4


def test_pasted_front_matter_names_the_article_after_its_title(client):
    response = paste(client, "---\ntitle: Notes on pasting\n---\n\nSome *notes*.\n")
    assert response.headers["Location"] == "/articles/notes-on-pasting/"


def test_the_add_page_detects_the_kind_unless_told(client):
    page = client.get("/add").get_data(as_text=True)
    assert re.search(r'<input type="radio" name="kind" value="detect" checked>', page)


def test_an_upload_of_a_word_document_says_so_on_the_add_page(client, content_dir):
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    response = upload(client, [("Notes.docx", docx.getvalue())])
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'role="alert"' in page
    assert "Notes.docx: this is a Word document (.docx), not an article Pressroom can read" in page


def test_delete_asks_first_then_removes_the_article(client, content_dir):
    confirm = client.get("/articles/field-notes/delete").get_data(as_text=True)
    assert "Delete “Field Notes from the Harbour”?" in confirm and "field-notes.md" in confirm
    assert client.post("/articles/field-notes/delete", data={"csrf_token": "forged"}).status_code == 400
    assert (content_dir / "field-notes.md").exists()
    sent = re.search(r'name="csrf_token" value="([^"]+)"', confirm).group(1)
    response = client.post("/articles/field-notes/delete", data={"csrf_token": sent})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert not (content_dir / "field-notes.md").exists() and (content_dir / "images").exists()
    assert not [path for path in content_dir.iterdir() if path.name.startswith(".")]
    library = client.get("/").get_data(as_text=True)
    assert "“Field Notes from the Harbour” was deleted (field-notes.md)." in library
    assert client.get("/articles/field-notes/delete").status_code == 404


def test_the_library_sorts_by_title_or_by_date_added(client, content_dir):
    """A file already there when the catalogue first sees it was added when it last changed; one added
    since keeps the date the catalogue saw it, even if its file changes after."""
    os.utime(content_dir / "field-notes.md", (1, 1))  # added long ago
    by_title = client.get("/?sort=title").get_data(as_text=True)
    by_date = client.get("/?sort=added").get_data(as_text=True)
    assert by_title.index("28 Banned Photos") < by_title.index("Field Notes")
    assert by_date.index("28 Banned Photos") < by_date.index("Field Notes")
    paste(client, "Aardvarks\n\nFirst.\n")
    os.utime(content_dir / "aardvarks" / "aardvarks.txt", (2, 2))
    by_title = client.get("/?sort=title").get_data(as_text=True)
    by_date = client.get("/?sort=added").get_data(as_text=True)
    assert by_title.index("28 Banned Photos") < by_title.index("Aardvarks") < by_title.index("Field Notes")
    assert by_date.index("Aardvarks") < by_date.index("28 Banned Photos") < by_date.index("Field Notes")
    assert 'aria-current="page">Date added</a>' in by_date
    assert client.get("/?sort=size").status_code == 404


def test_duplicates_in_the_library_show_their_file_and_when_they_were_added(client):
    paste(client, "Twice\n\nSame.\n")
    paste(client, "Twice\n\nSame.\n")
    page = client.get("/").get_data(as_text=True)
    assert "twice/twice.txt" in page and "twice-2/twice-2.txt" in page
    assert len(re.findall(r"Added <time datetime=\"[^\"]+\">", page)) == 4
