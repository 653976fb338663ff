"""“Send to my e-reader” in the web UI, to a real SMTP server (aiosmtpd on loopback): the form on the
previews of articles and books, the address kept for the next time, refusals in words on 4xx pages."""

from __future__ import annotations

import re

import pytest

from conftest import SAMPLE
from mail_services import REFUSAL, REFUSED, USER, running_mail_server
from pressroom.articles import read_article
from pressroom.exporters.filenames import edition_filename

SENDER = "press@example.org"
READER = "reader@example.org"
PASSWORD = "web-mail-secret"


@pytest.fixture
def mail(tmp_path, monkeypatch):
    with running_mail_server(tmp_path) as server:
        monkeypatch.setenv("PRESSROOM_SMTP_URL", server.url)
        monkeypatch.setenv("PRESSROOM_MAIL_FROM", SENDER)
        yield server


def form_of(page: str) -> str:
    found = re.search(r'<form class="send".*?</form>', page, re.S)
    assert found, "the preview has no send form"
    return found.group(0)


def send(client, path: str, address: str, format_name: str = "epub", query: str = ""):
    form = form_of(client.get(path + query).get_data(as_text=True))
    action = re.search(r'action="([^"]+)"', form).group(1).replace("&amp;", "&")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    return client.post(action, data={"csrf_token": token, "to": address, "format": format_name})


def test_without_a_mail_server_the_preview_offers_no_sending(client, monkeypatch):
    monkeypatch.delenv("PRESSROOM_SMTP_URL", raising=False)
    assert 'class="send"' not in client.get(f"/articles/{SAMPLE.stem}/").get_data(as_text=True)


def test_an_article_is_sent_and_its_address_kept_for_the_next_time(client, mail, tmp_path):
    response = send(client, f"/articles/{SAMPLE.stem}/", READER)
    assert response.status_code == 303 and response.headers["Location"] == f"/articles/{SAMPLE.stem}/"
    [(sender, recipients, message)] = mail.messages
    assert (sender, recipients) == (SENDER, [READER])
    [attachment] = list(message.iter_attachments())
    _, name = edition_filename(read_article(SAMPLE).title, "epub")
    assert attachment.get_content_type() == "application/epub+zip" and attachment.get_filename() == name
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Sent {name} to {READER}." in page
    form = form_of(page)
    assert f'value="{READER}"' in form and f'<option value="{READER}">' in form


def test_the_chosen_format_and_options_name_the_attachment(client, mail):
    response = send(client, f"/articles/{SAMPLE.stem}/", READER, "pdf", "?page_size=a5")
    assert response.status_code == 303 and "page_size=a5" in response.headers["Location"]
    [(_, _, message)] = mail.messages
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == edition_filename(read_article(SAMPLE).title, "pdf", ["A5"])[1]


def test_a_book_is_sent_from_its_preview(client, mail, content_dir):
    (content_dir / "coastal-reader.yaml").write_text(f"title: Coastal Reader\narticles:\n- field-notes.md\n"
                                                     f"- {SAMPLE.name}\n", encoding="utf-8")
    response = send(client, "/books/coastal-reader/", READER)
    assert response.status_code == 303 and response.headers["Location"] == "/books/coastal-reader/"
    [(_, _, message)] = mail.messages
    assert [part.get_filename() for part in message.iter_attachments()] == ["Coastal Reader.epub"]


def test_a_form_without_its_token_sends_nothing(client, mail):
    response = client.post(f"/articles/{SAMPLE.stem}/send", data={"to": READER})
    assert response.status_code == 400 and "The form has expired" in response.get_data(as_text=True)
    assert mail.messages == [] and not mail.clear_bytes


@pytest.mark.parametrize("address, status, words", [
    ("not an address", 422, "“not an address” is not an e-mail address"),
    (REFUSED, 422, f"The mail server refused {REFUSED}: {REFUSAL}"),
])
def test_a_bad_or_refused_address_is_said_in_words_on_a_4xx_page(client, mail, address, status, words):
    response = send(client, f"/articles/{SAMPLE.stem}/", address)
    page = response.get_data(as_text=True)
    assert response.status_code == status and "This edition cannot be sent" in page and words in page
    assert mail.messages == []


def test_an_edition_over_the_limit_is_refused_before_sending(client, mail, monkeypatch):
    monkeypatch.setenv("PRESSROOM_MAIL_MAX_MB", "0.01")
    response = send(client, f"/articles/{SAMPLE.stem}/", READER)
    assert response.status_code == 422 and "more than a message may carry" in response.get_data(as_text=True)
    assert mail.messages == [] and not mail.clear_bytes


def test_a_mail_server_without_starttls_is_a_503_that_keeps_the_password(client, tmp_path, monkeypatch):
    with running_mail_server(tmp_path, password=PASSWORD) as server:
        monkeypatch.setenv("PRESSROOM_SMTP_URL", server.url)
        monkeypatch.setenv("PRESSROOM_MAIL_FROM", SENDER)
        response = send(client, f"/articles/{SAMPLE.stem}/", READER)
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "does not offer STARTTLS, so its password is not sent" in page
    assert PASSWORD not in page and f"smtp://{USER}@127.0.0.1:" in page
    assert server.logins == [] and PASSWORD.encode() not in server.clear_bytes
