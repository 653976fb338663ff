"""Adding an uploaded article to a library, without the web UI: unpacking, placing, moving in."""

from __future__ import annotations

import io
import zipfile

import pytest

from pressroom.articles import ContentError, Library, UploadedFile
from pressroom.articles.uploads import add_upload, safe_upload_name
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
