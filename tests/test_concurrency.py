"""Many parallel downloads against `pressroom serve`, a pathological article among them: no wrong
or partial response, and the app answers throughout."""

from __future__ import annotations

import http.cookiejar
import re
import shutil
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import SAMPLE
from server import running_server

SLUG = "28-banned-photos-smuggled-out-of-north-korea"
REQUESTS = 120
ADDITIONS = 16


@pytest.fixture
def content_with_a_pathological_article(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    paragraph = "A sentence that goes on and on, to make a very long book indeed. " * 40
    (folder / "endless.txt").write_text("An endless article\n\n" + "\n\n".join(
        f"{n}. Item {n}. {paragraph}" for n in range(1, 600)) + "\n", encoding="utf-8")
    return folder


def fetch(url: str) -> tuple[int, bytes, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - started


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def add_by_paste(base: str, number: int) -> tuple[int, str, float]:
    """Add article `number` through the forms, as a browser would (session cookie, CSRF token)."""
    started = time.monotonic()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect)
    with opener.open(base + "/add", timeout=60) as response:
        token = re.search(r'name="csrf_token" value="([^"]+)"', response.read().decode()).group(1)
    text = f"Parallel note {number}\n\nWritten by client {number}.\n"
    if number % 2:  # half paste the text, half upload it as a file (multipart), as the two forms do
        boundary = f"pressroom-{number}"
        body = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                       for name, value in (("csrf_token", token), ("source", "upload")))
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="note {number}.txt"\r\n'
                 f"Content-Type: text/plain\r\n\r\n{text}\r\n--{boundary}--\r\n")
        request = urllib.request.Request(base + "/add", data=body.encode(),
                                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    else:
        form = {"csrf_token": token, "source": "paste", "kind": "txt", "text": text}
        request = urllib.request.Request(base + "/add", data=urllib.parse.urlencode(form).encode())
    try:
        opener.open(request, timeout=60)
        return 200, "", time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), time.monotonic() - started


@pytest.mark.render  # slow: kept out of --quick
def test_parallel_downloads_are_right_and_the_app_keeps_answering(content_with_a_pathological_article):
    with running_server(content_with_a_pathological_article, PRESSROOM_EXPORT_SECONDS="4") as base:
        downloads = [f"{base}/articles/{SLUG}/download/{name}?page_size={size}"
                     for name in ("pdf", "epub", "html") for size in ("a4", "a5")]
        expected = {url: fetch(url)[1] for url in downloads}
        pages = [f"{base}/", f"{base}/articles/{SLUG}/"]
        slow = [f"{base}/articles/endless/download/pdf", f"{base}/articles/endless/download/pdf?page_size=a5"]
        urls = slow + [(downloads + pages)[i % (len(downloads) + len(pages))] for i in range(REQUESTS)]
        with ThreadPoolExecutor(max_workers=12) as pool:
            pastes = [pool.submit(add_by_paste, base, number) for number in range(ADDITIONS)]
            results = list(pool.map(fetch, urls))
            added = [future.result() for future in pastes]
        locations = [location for _, location, _ in added]
        assert [status for status, _, _ in added] == [303] * ADDITIONS
        assert len(set(locations)) == ADDITIONS
        for location in locations:
            page = fetch(base + location)[1].decode()
            number = re.search(r"Parallel note (\d+)", page).group(1)
            assert f"Written by client {number}." in page and page.count("Written by client") == 1

    slow_results, results = results[:2], results[2:]
    for status, body, _ in slow_results:
        assert status == 422
        assert b"this article cannot be exported as PDF: it took longer than 4 seconds" in body
    wrong = [url for url, (status, body, _) in zip(urls[2:], results, strict=True)
             if status != 200 or (url in expected and body != expected[url])]
    assert wrong == []
    latencies = sorted(elapsed for _, _, elapsed in results)
    p95 = latencies[int(len(latencies) * 0.95)]
    print(f"\n{len(results)} downloads and {ADDITIONS} added articles (pasted and uploaded) in parallel, 0 wrong; download latency "
          f"median {statistics.median(latencies):.3f} s, p95 {p95:.3f} s, max {latencies[-1]:.3f} s; "
          f"the 2 pathological exports stopped with 422")
