"""Edition options chosen in a preview stay chosen for the browser's session (the URL still wins when it
names them); the options' tooltips hold no command-line help."""

from __future__ import annotations

import html
import re

from pressroom.web.remembered_options import SESSION_KEY

FIRST, SECOND = "28-banned-photos-smuggled-out-of-north-korea", "field-notes"


def selected(page: str, name: str) -> str:
    select = re.search(rf'<select id="option-{name}" name="{name}"[^>]*>(.*?)</select>', page, re.DOTALL).group(1)
    return re.search(r'<option value="([^"]+)" selected', select).group(1)


def ticked(page: str, name: str) -> bool:
    return re.search(rf'<input type="checkbox" name="{name}" value="on"( checked)?>', page).group(1) is not None


def test_options_chosen_for_one_article_are_those_of_the_next_preview(client):
    chosen = client.get(f"/articles/{FIRST}/?page_size=letter&cover=off")
    assert selected(chosen.get_data(as_text=True), "page_size") == "letter"
    page = client.get(f"/articles/{SECOND}/").get_data(as_text=True)
    assert selected(page, "page_size") == "letter" and not ticked(page, "cover")
    downloads = re.findall(r'href="([^"]*/download/pdf[^"]*)"', page)
    assert downloads and all("page_size=letter" in html.unescape(link) and "cover=off" in html.unescape(link)
                             for link in downloads)


def test_the_url_wins_and_is_remembered_in_its_turn(client):
    client.get(f"/articles/{FIRST}/?page_size=letter&cover=off")
    page = client.get(f"/articles/{SECOND}/?page_size=a5").get_data(as_text=True)
    assert selected(page, "page_size") == "a5" and not ticked(page, "cover")
    page = client.get(f"/articles/{FIRST}/").get_data(as_text=True)
    assert selected(page, "page_size") == "a5" and not ticked(page, "cover")


def test_another_browser_starts_from_the_defaults(app, client):
    client.get(f"/articles/{FIRST}/?page_size=letter&cover=off")
    page = app.test_client().get(f"/articles/{SECOND}/").get_data(as_text=True)
    assert selected(page, "page_size") == "a4" and ticked(page, "cover")


def test_a_bad_option_in_the_url_is_a_400_and_is_not_remembered(client):
    assert client.get(f"/articles/{FIRST}/?page_size=b9").status_code == 400
    page = client.get(f"/articles/{FIRST}/").get_data(as_text=True)
    assert selected(page, "page_size") == "a4"


def test_a_remembered_option_no_longer_offered_falls_back_to_its_default(client):
    with client.session_transaction() as session:
        session[SESSION_KEY] = {"page_size": "b9", "cover": "off", "printer": ["kdp"]}
    page = client.get(f"/articles/{FIRST}/")
    assert page.status_code == 200
    assert selected(page.get_data(as_text=True), "page_size") == "a4" and not ticked(page.get_data(as_text=True), "cover")


def test_the_options_tooltips_hold_no_command_line_help(client):
    page = client.get(f"/articles/{FIRST}/").get_data(as_text=True)
    form = re.search(r'<form class="edition-options".*?</form>', page, re.DOTALL).group(0)
    tooltips = [html.unescape(title) for title in re.findall(r'title="([^"]*)"', form)]
    assert len(tooltips) >= 3
    for tooltip in tooltips:
        assert "[default" not in tooltip and not re.search(r"(^|\s)--\w", tooltip) and "[env" not in tooltip, tooltip


def test_a_download_follows_its_url_alone(client):
    client.get(f"/articles/{FIRST}/?page_size=letter&cover=off")
    disposition = client.get(f"/articles/{FIRST}/download/html").headers["Content-Disposition"]
    assert "no cover" not in disposition and "Letter" not in disposition
    named = client.get(f"/articles/{FIRST}/download/epub").headers["Content-Disposition"]
    assert "no-cover" not in named


def test_a_signed_in_accounts_options_follow_it_to_another_browser(app):
    from account_clients import make_accounts, signed_in

    make_accounts(app)
    first_browser = signed_in(app, "reader")
    first_browser.get(f"/articles/{FIRST}/?page_size=a5&cover=off")
    other_browser = signed_in(app, "reader")
    page = other_browser.get(f"/articles/{SECOND}/").get_data(as_text=True)
    assert selected(page, "page_size") == "a5" and not ticked(page, "cover")
    editor = signed_in(app, "editor")  # another account keeps its own
    assert selected(editor.get(f"/articles/{SECOND}/").get_data(as_text=True), "page_size") == "a4"
