"""`pressroom send` to a real SMTP server (aiosmtpd on loopback): one message with one attachment whose
EPUB passes EPUBCheck; bad addresses and refusals in one line; STARTTLS required before a password,
which appears in no output and never reaches a server that does not offer STARTTLS."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess

import pytest

from conftest import PRESSROOM, SAMPLE
from mail_services import REFUSAL, REFUSED, USER, running_mail_server
from pressroom.articles import read_article
from pressroom.delivery import AddressRefused, checked_address
from pressroom.exporters.filenames import edition_filename
from pressroom.jobs.payload import PayloadRefused, job_payload, read_send_job, send_payload
from validators import epubcheck_messages

SENDER = "press@example.org"
READER = "reader@example.org"
PASSWORD = "s3cret-Mail/pass word"  # quoted in the URL: "/" and " " are not allowed in it as they are
QUOTED = "s3cret-Mail%2Fpass%20word"


def send(*arguments: str, url: str | None, **environment: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PRESSROOM_SMTP", "PRESSROOM_MAIL"))}
    env.update({"PRESSROOM_MAIL_FROM": SENDER, **environment})
    if url:
        env["PRESSROOM_SMTP_URL"] = url
    return subprocess.run([PRESSROOM, "send", *arguments], capture_output=True, text=True, env=env, timeout=300)


def secret_forms(password: str) -> list[bytes]:
    """The password as a client could send it: plain, quoted, and as AUTH PLAIN and AUTH LOGIN encode it."""
    plain = password.encode()
    return [plain, QUOTED.encode(), base64.b64encode(plain), base64.b64encode(b"\0" + USER.encode() + b"\0" + plain)]


@pytest.mark.validators  # slow: kept out of --quick
def test_send_delivers_one_message_with_one_epub_attachment_that_passes_epubcheck(tmp_path):
    with running_mail_server(tmp_path) as mail:
        result = send(str(SAMPLE), "--to", READER, url=mail.url)
    assert result.returncode == 0, result.stderr
    title = read_article(SAMPLE).title
    _, name = edition_filename(title, "epub")
    assert result.stdout == f"sent {name} to {READER}\n"
    [(sender, recipients, message)] = mail.messages
    assert (sender, recipients) == (SENDER, [READER])
    assert message["To"] == READER and message["From"] == SENDER and message["Subject"] == title
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/epub+zip"
    assert attachment.get_filename() == name
    epub = tmp_path / "sent.epub"
    epub.write_bytes(attachment.get_content())
    assert epubcheck_messages(epub) == []


@pytest.mark.render  # slow: kept out of --quick
def test_a_library_slug_with_options_sends_that_format_named_with_them(tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    shutil.copy(SAMPLE, library)
    with running_mail_server(tmp_path) as mail:
        result = send(SAMPLE.stem, "--content", str(library), "-f", "pdf", "--page-size", "a5", "--to", READER,
                      url=mail.url)
    assert result.returncode == 0, result.stderr
    [(_, _, message)] = mail.messages
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == edition_filename(read_article(SAMPLE).title, "pdf", ["A5"])[1]
    assert attachment.get_content().startswith(b"%PDF-")


def test_an_unknown_slug_exits_1_in_one_line(tmp_path):
    with running_mail_server(tmp_path) as mail:
        result = send("no-such-article", "--content", str(tmp_path), "--to", READER, url=mail.url)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "no-such-article: there is no such file" in result.stderr
    assert mail.messages == [] and not mail.clear_bytes


@pytest.mark.parametrize("address", ["reader", "reader@localhost", "two words@example.org",
                                     "reader@example.org, other@example.org", "<reader@example.org>",
                                     "reader@example.org\r\nBcc: other@example.org"])
def test_a_malformed_address_exits_1_in_one_line_before_anything_is_made(address, tmp_path):
    with running_mail_server(tmp_path) as mail:
        result = send(str(SAMPLE), "--to", address, url=mail.url)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "is not an e-mail address" in result.stderr, result.stderr
    assert result.stdout == "" and mail.messages == [] and not mail.clear_bytes


def test_a_refused_recipient_exits_1_with_the_servers_words(tmp_path):
    with running_mail_server(tmp_path) as mail:
        result = send(str(SAMPLE), "--to", REFUSED, url=mail.url)
    assert result.returncode == 1
    assert result.stderr == f"error: the mail server refused {REFUSED}: {REFUSAL}\n"
    assert mail.messages == []


def test_a_missing_to_is_a_usage_error(tmp_path):
    result = send(str(SAMPLE), url=None)
    assert result.returncode == 2 and "--to" in result.stderr


def test_sending_without_a_mail_server_says_which_settings_to_set():
    result = send(str(SAMPLE), "--to", READER, url=None)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "PRESSROOM_SMTP_URL" in result.stderr and "PRESSROOM_MAIL_FROM" in result.stderr


def test_a_server_that_does_not_offer_starttls_never_gets_the_password(tmp_path):
    """The server offers AUTH in clear text, as one whose STARTTLS offer was stripped on the way looks."""
    with running_mail_server(tmp_path, password=PASSWORD) as mail:
        url = mail.url.replace(PASSWORD, QUOTED)
        result = send(str(SAMPLE), "--to", READER, url=url)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "does not offer STARTTLS, so its password is not sent" in result.stderr
    assert mail.logins == [] and mail.messages == []
    assert b"ehlo" in mail.clear_bytes.lower() and b"auth" not in mail.clear_bytes.lower()
    for secret in secret_forms(PASSWORD):
        assert secret not in mail.clear_bytes
        assert secret.decode() not in result.stderr + result.stdout


def test_starttls_with_credentials_sends_after_tls(tmp_path):
    with running_mail_server(tmp_path, password=PASSWORD, starttls=True) as mail:
        result = send(str(SAMPLE), "--to", READER, url=mail.url.replace(PASSWORD, QUOTED),
                      SSL_CERT_FILE=str(mail.certificate))
    assert result.returncode == 0, result.stderr
    assert mail.logins == [(USER, PASSWORD)] and len(mail.messages) == 1
    assert b"starttls" in mail.clear_bytes.lower() and b"auth" not in mail.clear_bytes.lower()
    assert all(secret not in mail.clear_bytes for secret in secret_forms(PASSWORD))


def test_implicit_tls_with_smtps(tmp_path):
    with running_mail_server(tmp_path, password=PASSWORD, implicit_tls=True) as mail:
        result = send(str(SAMPLE), "--to", READER, url=mail.url.replace(PASSWORD, QUOTED),
                      SSL_CERT_FILE=str(mail.certificate))
    assert result.returncode == 0, result.stderr
    assert mail.logins == [(USER, PASSWORD)] and len(mail.messages) == 1 and not mail.clear_bytes


def test_a_certificate_the_client_does_not_trust_is_refused_before_the_password(tmp_path):
    with running_mail_server(tmp_path, password=PASSWORD, starttls=True) as mail:
        result = send(str(SAMPLE), "--to", READER, url=mail.url.replace(PASSWORD, QUOTED))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "the TLS connection to the mail server" in result.stderr and "CERTIFICATE_VERIFY_FAILED" in result.stderr
    assert mail.logins == [] and mail.messages == []


def test_a_refused_password_is_said_in_words_without_the_password(tmp_path):
    """This server's refusal repeats what it was sent; the message shows neither form of the password."""
    wrong = "wrong-Password-42"
    encoded = base64.b64encode(f"\0{USER}\0{wrong}".encode()).decode()
    with running_mail_server(tmp_path, password=PASSWORD, starttls=True,
                             refusal=f"535 5.7.8 Refused {wrong} {encoded}") as mail:
        result = send(str(SAMPLE), "--to", READER, url=mail.url.replace(PASSWORD, wrong),
                      SSL_CERT_FILE=str(mail.certificate))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "refused the user name and password: 535 5.7.8 Refused *** ***" in result.stderr
    assert wrong not in result.stderr and encoded not in result.stderr and mail.messages == []


def test_a_mail_server_that_cannot_be_reached_is_named_without_its_password(tmp_path):
    from server import free_port

    url = f"smtp://{USER}:{QUOTED}@127.0.0.1:{free_port()}"
    result = send(str(SAMPLE), "--to", READER, url=url)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert f"the mail server smtp://{USER}@127.0.0.1:" in result.stderr and "cannot be reached" in result.stderr
    assert all(secret.decode() not in result.stderr for secret in secret_forms(PASSWORD))


@pytest.mark.parametrize("url", [f"ftp://{USER}:{QUOTED}@127.0.0.1:25", f"smtp://{USER}:{QUOTED}@127.0.0.1:port",
                                 f"smtp://:{QUOTED}@127.0.0.1:25", f"smtp://{USER}:{QUOTED}@127.0.0.1:25/path"])
def test_a_malformed_smtp_url_names_the_setting_but_not_the_password(url):
    result = send(str(SAMPLE), "--to", READER, url=url)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "PRESSROOM_SMTP_URL" in result.stderr
    assert all(secret.decode() not in result.stderr for secret in secret_forms(PASSWORD))


def test_an_edition_over_the_limit_is_refused_before_sending(tmp_path):
    with running_mail_server(tmp_path) as mail:
        result = send(str(SAMPLE), "--to", READER, url=mail.url, PRESSROOM_MAIL_MAX_MB="0.01")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "more than a message may carry (0.01 MB, PRESSROOM_MAIL_MAX_MB)" in result.stderr
    assert mail.messages == [] and not mail.clear_bytes


def test_addresses_are_kept_plain_and_international_domains_in_ascii():
    assert checked_address("  Reader.Name+kindle@example.org ") == "Reader.Name+kindle@example.org"
    assert checked_address("leser@bücher.example") == "leser@xn--bcher-kva.example"
    with pytest.raises(AddressRefused, match="“a@b” is not an e-mail address"):
        checked_address("a@b")


def test_a_send_payload_is_checked_like_an_export_job_with_its_address():
    article = read_article(SAMPLE)
    payload = send_payload(article, "epub", {}, READER)
    job, recipient = read_send_job(payload)
    assert recipient == READER and job.formats == ("epub",) and job.name == SAMPLE.name
    with pytest.raises(PayloadRefused, match="not sent: .*is not an e-mail address"):
        read_send_job({**payload, "to": "reader@example.org\nBcc: x@example.org"})
    with pytest.raises(PayloadRefused, match="not sent: .*is not an e-mail address"):
        read_send_job({**payload, "to": ["reader@example.org"]})
    with pytest.raises(PayloadRefused, match="names 2 formats, not one"):
        read_send_job({**payload, "formats": ["epub", "pdf"]})
    with pytest.raises(PayloadRefused, match="with an address"):
        read_send_job(job_payload(article, ["epub"], {}))
    with pytest.raises(PayloadRefused, match="fields it should not have"):
        read_send_job({**payload, "smtp": "smtp://elsewhere.example"})
