"""The language chosen on the upload and paste forms: written into the stored file's front matter as
`lang:`, over what the file declared; "detect" keeps the file's own (else the one its text is in)."""

from __future__ import annotations

import re

from conftest import FIXTURES
from pressroom.articles import read_article
from pressroom.articles.readers.front_matter import split_front_matter
from test_web_add import paste, upload
from web_pages import article_body, page

RUSSIAN = FIXTURES / "article_in_russian_with_several_authors.md"
GERMAN = FIXTURES / "plain_text_in_german.txt"


def front_matter_lines(path) -> list[str]:
    front, _, _ = split_front_matter(path, path.read_text(encoding="utf-8"))
    return front.split("\n")


def test_both_forms_offer_every_language_with_a_table_and_detect_by_default(client):
    form = client.get("/add").get_data(as_text=True)
    for select in ("upload-lang", "paste-lang"):
        options = re.search(rf'<select id="{select}" name="lang">(.*?)</select>', form, re.DOTALL).group(1)
        values = re.findall(r'<option value="([^"]+)"', options)
        assert values[0] == "detect" and re.search(r'value="detect" selected', options)
        assert {"de", "fr", "en", "ja", "ar"} <= set(values)
        assert "German (Deutsch)" in options and "French (français)" in options


def test_an_uploads_own_lang_is_kept_when_the_form_says_detect(client, content_dir):
    response = upload(client, [("nights.md", RUSSIAN.read_bytes())], lang="detect")
    assert response.status_code == 303
    assert (content_dir / "nights" / "nights.md").read_bytes() == RUSSIAN.read_bytes()


def test_a_language_chosen_for_an_upload_replaces_the_one_it_declared(client, content_dir):
    response = upload(client, [("nights.md", RUSSIAN.read_bytes())], lang="uk")
    assert response.status_code == 303
    stored = content_dir / "nights" / "nights.md"
    lines = front_matter_lines(stored)
    assert lines[0] == "lang: uk" and "lang: ru" not in lines and lines[1] == "title: Белые ночи"
    assert read_article(stored).metadata.language == "uk"
    assert read_article(stored).metadata.title == "Белые ночи"


def test_a_language_chosen_for_a_plain_text_upload_goes_into_its_front_matter(client, content_dir):
    response = upload(client, [("leuchtturm.txt", GERMAN.read_bytes())], lang="nl")
    assert response.status_code == 303
    stored = content_dir / "leuchtturm" / "leuchtturm.txt"
    assert front_matter_lines(stored) == ["lang: nl"]
    article = read_article(stored)
    assert article.metadata.language == "nl" and article.metadata.title == "Der alte Leuchtturm am Ende der Insel"


def test_a_language_chosen_for_a_paste_is_stored_and_detection_used_otherwise(client, content_dir):
    text = GERMAN.read_text(encoding="utf-8")
    assert paste(client, text, name="chosen", kind="txt", lang="da").status_code == 303
    assert paste(client, text, name="detected", kind="txt").status_code == 303
    assert read_article(content_dir / "chosen" / "chosen.txt").metadata.language == "da"
    assert (content_dir / "detected" / "detected.txt").read_text(encoding="utf-8") == text
    assert read_article(content_dir / "detected" / "detected.txt").metadata.language == "de"


def test_a_language_chosen_for_a_saved_page_is_the_stored_articles(client, content_dir):
    response = upload(client, [("harbour.html", page(article_body()).encode())], lang="fr")
    assert response.status_code == 303
    assert "lang: fr" in front_matter_lines(content_dir / "harbour" / "harbour.md")


def test_a_language_not_on_the_list_is_refused_and_nothing_is_stored(client, content_dir):
    before = sorted(path.name for path in content_dir.iterdir())
    response = paste(client, GERMAN.read_text(encoding="utf-8"), lang="xx-evil")
    assert response.status_code == 400 and "language from the list" in response.get_data(as_text=True)
    assert sorted(path.name for path in content_dir.iterdir()) == before
