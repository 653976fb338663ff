"""The notices of adding an article: a saved page's lost images say how a browser can send its folder
(a .zip), and a name already taken says which name the article was stored under."""

from __future__ import annotations

import html
import re

from test_web_add import paste, upload
from web_pages import article_body, figure, page


def notices(client, location: str) -> list[str]:
    preview = client.get(location).get_data(as_text=True)
    block = re.search(r'<div class="warnings" role="status">(.*?)</div>', preview, re.DOTALL)
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", block.group(1))] if block else []


def test_a_page_uploaded_without_its_folder_is_told_to_upload_a_zip_of_both(client):
    response = upload(client, [("harbour.html", page(article_body(figure("harbour_files/lamp.png"))).encode())])
    assert response.status_code == 303
    (notice,) = notices(client, response.headers["Location"])
    assert "harbour_files/lamp.png' dropped" in notice
    assert "zip the page and its folder together and upload the .zip" in notice


def test_a_paste_whose_name_is_taken_says_the_name_it_was_stored_under(client):
    first = paste(client, "Twice\n\nFirst.\n", kind="txt", lang="en")
    assert notices(client, first.headers["Location"]) == []
    second = paste(client, "Twice\n\nSecond.\n", kind="txt", lang="en")
    assert second.headers["Location"] == "/articles/twice-2/"
    (notice,) = notices(client, second.headers["Location"])
    assert "“twice” is already in the library" in notice and "stored under another name: “twice-2”" in notice
    assert notices(client, second.headers["Location"]) == []  # said once


def test_an_upload_whose_name_is_taken_says_the_name_it_was_stored_under(client):
    said = []
    for _ in range(3):
        response = upload(client, [("Notes.txt", b"Notes\n\nOf the harbour.\n")], lang="en")
        said.append(notices(client, response.headers["Location"]))
    assert response.headers["Location"] == "/articles/notes-3/"
    assert said[0] == [] and "stored under another name: “notes-2”" in said[1][0]
    assert said[2] == ["an article named “notes” is already in the library, so this one was stored under another "
                       "name: “notes-3” (to replace the other, add it again with “replace”)"]


def test_a_page_whose_name_is_taken_says_so_beside_what_its_import_dropped(client):
    saved = page(article_body(figure("harbour_files/lamp.png"))).encode()
    notices(client, upload(client, [("harbour.html", saved)]).headers["Location"])
    response = upload(client, [("harbour.html", saved)])
    assert response.headers["Location"] == "/articles/harbour-2/"
    said = notices(client, response.headers["Location"])
    assert len(said) == 2 and any("stored under another name: “harbour-2”" in notice for notice in said)


def test_a_replaced_article_says_nothing_of_names(client):
    notices(client, paste(client, "Twice\n\nFirst.\n", kind="txt", lang="en").headers["Location"])
    response = paste(client, "Twice\n\nSecond.\n", kind="txt", lang="en", replace="on")
    assert response.headers["Location"] == "/articles/twice/" and notices(client, "/articles/twice/") == []
