"""`pressroom send --queue`: the edition made and sent by a worker (redis-server and `pressroom worker` on
loopback, aiosmtpd as the worker's mail server); a refusal comes back in the server's words."""

from __future__ import annotations

import os
import re
import subprocess
import time

from conftest import PRESSROOM, SAMPLE
from pressroom.app import create_app
from mail_services import REFUSAL, REFUSED, running_mail_server
from queue_services import running_redis, running_workers
from validators import epubcheck_messages

SENDER = "press@example.org"
READER = "reader@example.org"


def send_on_queue(url: str, address: str) -> subprocess.CompletedProcess:
    # The sending side has no mail settings: the worker's are the ones used.
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PRESSROOM_SMTP", "PRESSROOM_MAIL"))}
    return subprocess.run([PRESSROOM, "send", str(SAMPLE), "--to", address, "--queue", url], capture_output=True,
                          text=True, env=env, timeout=300)


def test_a_worker_makes_and_sends_the_edition_and_a_refusal_comes_back_in_words(tmp_path):
    with running_mail_server(tmp_path) as mail, running_redis(tmp_path) as redis_server, \
            running_workers(redis_server.url, 1, tmp_path, PRESSROOM_SMTP_URL=mail.url, PRESSROOM_MAIL_FROM=SENDER):
        sent = send_on_queue(redis_server.url, READER)
        refused = send_on_queue(redis_server.url, REFUSED)
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout == f"sent the epub edition of {SAMPLE} to {READER}\n"
    [(sender, recipients, message)] = mail.messages
    assert (sender, recipients) == (SENDER, [READER])
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/epub+zip"
    epub = tmp_path / "sent.epub"
    epub.write_bytes(attachment.get_content())
    assert epubcheck_messages(epub) == []
    assert refused.returncode == 1
    assert refused.stderr == f"error: the mail server refused {REFUSED}: {REFUSAL}\n"
    log = (tmp_path / "worker-0.log").read_text()
    assert f"{SAMPLE.name} (epub): done" in log and "the mail server refused" in log


def test_the_web_ui_hands_a_send_to_the_queue_and_follows_it(content_dir, tmp_path, monkeypatch):
    monkeypatch.delenv("PRESSROOM_SMTP_URL", raising=False)  # the server has none; its workers do
    with running_mail_server(tmp_path) as mail, running_redis(tmp_path) as redis_server, \
            running_workers(redis_server.url, 1, tmp_path, PRESSROOM_SMTP_URL=mail.url, PRESSROOM_MAIL_FROM=SENDER):
        app = create_app({"CONTENT_DIR": str(content_dir), "TESTING": True, "SECRET_KEY": "test-secret",
                          "QUEUE_URL": redis_server.url})
        client = app.test_client()

        def sent_to(address: str):
            page = client.get(f"/articles/{SAMPLE.stem}/").get_data(as_text=True)
            token = re.search(r'<form class="send".*?name="csrf_token" value="([^"]+)"', page, re.S).group(1)
            response = client.post(f"/articles/{SAMPLE.stem}/send", data={"csrf_token": token, "to": address})
            assert response.status_code == 303 and response.headers["Location"].startswith("/sent/")
            status = response.headers["Location"]
            deadline = time.monotonic() + 120
            while (response := client.get(status)).status_code == 202 and time.monotonic() < deadline:
                time.sleep(0.2)
            return status, response

        _, done = sent_to(READER)
        status, refused = sent_to(REFUSED)
        elsewhere = app.test_client().get(status)
    assert done.status_code == 303 and done.headers["Location"] == f"/articles/{SAMPLE.stem}/"
    [(_, recipients, message)] = mail.messages
    assert recipients == [READER] and len(list(message.iter_attachments())) == 1
    assert refused.status_code == 422, refused.get_data(as_text=True)
    assert f"The mail server refused {REFUSED}: {REFUSAL}" in refused.get_data(as_text=True)
    assert elsewhere.status_code == 404  # another browser's send is not shown
