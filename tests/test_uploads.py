"""Adding an uploaded article to a library, without the web UI: unpacking, placing, moving in."""

from __future__ import annotations

import io
import zipfile

import pytest

from pressroom.articles import ContentError, Library, UploadedFile
from pressroom.articles.library.uploads import add_upload, safe_upload_name
from conftest import RICH

BOAT = (RICH.parent / "images" / "boat.png").read_bytes()


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_of_a_folder_is_stored_without_its_top_folder(tmp_path):
    upload = zipped({"harbour/notes.md": RICH.read_bytes(), "harbour/images/boat.png": BOAT})
    article = add_upload(Library(tmp_path), [UploadedFile("harbour.zip", upload)])
    assert article.slug == "notes"
    assert sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*") if path.is_file()) == [
        "notes/images/boat.png", "notes/notes.md"]


def test_a_zip_made_by_macos_is_stored_without_its_resource_forks(tmp_path):
    upload = zipped({"harbour/notes.md": RICH.read_bytes(), "harbour/images/boat.png": BOAT,
                     "__MACOSX/harbour/._notes.md": b"\0\5\26\7", "__MACOSX/harbour/images/._boat.png": b"\0"})
    add_upload(Library(tmp_path), [UploadedFile("harbour.zip", upload)])
    assert sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*") if path.is_file()) == [
        "notes/images/boat.png", "notes/notes.md"]


def test_a_bare_image_name_is_placed_where_the_article_uses_it(tmp_path):
    Library(tmp_path).add([UploadedFile("notes.md", RICH.read_bytes()), UploadedFile("boat.png", BOAT)])
    assert (tmp_path / "notes" / "images" / "boat.png").read_bytes() == BOAT


def test_a_taken_slug_gets_a_number_unless_replace_is_asked(tmp_path):
    library = Library(tmp_path)
    for replace, slug in ((False, "t"), (False, "t-2"), (True, "t")):
        assert library.add([UploadedFile("t.md", b"# T\n")], replace=replace).slug == slug
    assert library.slugs() == {"t", "t-2"}


def test_a_zip_entry_climbing_out_of_the_folder_is_refused_and_nothing_stored(tmp_path):
    upload = zipped({"notes.md": b"# T\n", "../../escape.txt": b"x"})
    with pytest.raises(ContentError, match="this file name is not allowed in an upload"):
        add_upload(Library(tmp_path / "content"), [UploadedFile("evil.zip", upload)])
    assert not (tmp_path / "escape.txt").exists() and Library(tmp_path / "content").paths() == []


@pytest.mark.parametrize("name", ["/etc/passwd", "../x.md", "a/../../x.md", ".hidden.md", "a\x01b.md", ""])
def test_unsafe_upload_names_are_refused(name):
    with pytest.raises(ContentError, match="this file name is not allowed"):
        safe_upload_name(name)


def test_upload_names_become_plain_relative_paths():
    assert safe_upload_name("images\\boat.png") == "images/boat.png"
    assert safe_upload_name("./images//boat.png") == "images/boat.png"


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"})


@pytest.mark.parametrize(("files", "said"), [
    ([("notes.docx", DOCX)], "notes.docx: this is a Word document (.docx), not an article Pressroom can read "
                             "(in Word, choose File › Save As › Plain Text (.txt)"),
    ([("notes.md", DOCX)], "notes.md: this is a Word document (.docx)"),
    ([("notes.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)], "notes.doc: this is a Word document (.doc)"),
    ([("notes.odt", ODT)], "notes.odt: this is an OpenDocument file (.odt)"),
    ([("notes.txt", b"%PDF-1.7\n...")], "notes.txt: this is a PDF, not an article"),
    ([("boat.png", BOAT)], "boat.png: this is an image, not an article Pressroom can read (upload it together with "
                           "the article (.md or .txt) that shows it)"),
    ([("boat.png", BOAT), ("photo.jpg", b"\xff\xd8\xff\xe0")], "the upload holds only images (boat.png, photo.jpg)"),
    ([("empty.md", b"")], "empty.md: the file is empty (choose the file that holds the article's text"),
    ([("blank.txt", b" \n\n ")], "blank.txt: the file is empty"),
])
def test_an_upload_that_is_not_an_article_says_what_it_is_and_what_to_do(tmp_path, files, said):
    with pytest.raises(ContentError) as refused:
        add_upload(Library(tmp_path), [UploadedFile(name, data) for name, data in files])
    assert str(refused.value).startswith(said) or said in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_an_article_with_its_image_is_not_taken_for_an_image(tmp_path):
    article = add_upload(Library(tmp_path), [UploadedFile("post.md", b"# Post\n\n![boat](images/boat.png)\n"),
                                             UploadedFile("boat.png", BOAT)])
    assert article.assets[0].href == "images/boat.png"


def test_delete_removes_an_article_folder_or_file_and_leaves_nothing_behind(tmp_path):
    library = Library(tmp_path)
    add_upload(library, [UploadedFile("post.md", b"# Post\n\n![boat](images/boat.png)\n"), UploadedFile("boat.png", BOAT)])
    (tmp_path / "loose.txt").write_text("Loose\n\nText.\n", encoding="utf-8")
    library.delete("post")
    library.delete("loose")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ContentError, match="there is no such article"):
        library.delete("post")


def test_library_entries_tell_duplicates_apart_by_file_name_and_date_added(tmp_path):
    library = Library(tmp_path)
    for _ in range(2):
        add_upload(library, [UploadedFile("twice.txt", b"Twice\n\nSame words.\n")])
    first, second = library.entries()
    assert (first.name, second.name) == ("twice/twice.txt", "twice-2/twice-2.txt")
    assert first.article.title == second.article.title and first.added <= second.added
