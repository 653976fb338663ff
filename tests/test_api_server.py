"""The API and sign-in against a real `pressroom serve` on loopback, with `requests`: a token imports a
page by address, exports its EPUB, finds it and deletes it; wrong passwords meet the limit."""

from __future__ import annotations

import re
import subprocess
import time

import requests

from conftest import PRESSROOM
from server import running_server
from test_fetch_guard import html_page, site
from validators import epubcheck_messages


def command(*arguments: str, stdin: str = "") -> str:
    done = subprocess.run([PRESSROOM, *arguments], input=stdin, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_token_imports_a_page_exports_its_epub_finds_it_and_deletes_it(content_dir, tmp_path):
    command("users", "add", "ada", "--role", "editor", "--content", str(content_dir), stdin="ada-password\n")
    secret = command("tokens", "create", "ada", "--label", "cms", "--content", str(content_dir)).strip()
    bearer = {"Authorization": f"Bearer {secret}"}
    with site({"/news/lights.html": html_page()}) as page, \
            running_server(content_dir, ("--allow-host", "127.0.0.1")) as base:
        assert requests.get(f"{base}/api/v1/articles", timeout=30).status_code == 401
        added = requests.post(f"{base}/api/v1/articles", json={"url": f"{page}/news/lights.html"}, headers=bearer,
                              timeout=60)
        assert added.status_code == 201, added.text
        slug = added.json()["slug"]
        edition = requests.get(f"{base}/api/v1/articles/{slug}/editions/epub", headers=bearer, timeout=120)
        assert edition.status_code == 200 and edition.headers["Content-Type"] == "application/epub+zip"
        epub = tmp_path / f"{slug}.epub"
        epub.write_bytes(edition.content)
        assert epubcheck_messages(epub) == []
        words = added.json()["title"].split()[0]
        found = requests.get(f"{base}/api/v1/articles", params={"q": words}, headers=bearer, timeout=30).json()
        assert slug in [article["slug"] for article in found["articles"]]
        assert requests.delete(f"{base}/api/v1/articles/{slug}", timeout=30).status_code == 401
        assert requests.delete(f"{base}/api/v1/articles/{slug}", headers=bearer, timeout=30).status_code == 204
        assert requests.get(f"{base}/api/v1/articles/{slug}", headers=bearer, timeout=30).status_code == 404
    log = command("audit", "--content", str(content_dir))
    assert re.search(rf"ada with cms \(#1\)\tdeleted\t{slug}", log) and f"added\t{slug}" in log
    assert secret not in log


def test_twenty_wrong_passwords_meet_429_and_the_right_one_works_after_the_window(content_dir):
    command("users", "add", "ada", "--role", "reader", "--content", str(content_dir), stdin="ada-password\n")
    with running_server(content_dir, PRESSROOM_SIGN_IN_ATTEMPTS="3", PRESSROOM_SIGN_IN_WINDOW_SECONDS="5",
                        PRESSROOM_SIGN_IN_DELAY_SECONDS="0") as base:
        browser = requests.Session()
        token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get(f"{base}/sign-in", timeout=30).text)[1]

        def sign_in(password: str) -> requests.Response:
            return browser.post(f"{base}/sign-in", data={"csrf_token": token, "name": "ada", "password": password},
                                allow_redirects=False, timeout=30)

        answers = [sign_in("wrong-password") for _ in range(20)]
        refused = [answer for answer in answers if answer.status_code == 429]
        assert [answer.status_code for answer in answers if answer.status_code != 429] == [403] * (20 - len(refused))
        assert len(refused) >= 15 and all(int(answer.headers["Retry-After"]) >= 1 for answer in refused)
        assert sign_in("ada-password").status_code == 429
        time.sleep(int(refused[-1].headers["Retry-After"]))  # the window (five seconds) ends
        assert sign_in("ada-password").status_code == 303
        assert browser.get(f"{base}/", timeout=30).status_code == 200
