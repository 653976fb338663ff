"""Fetching a page a user names: from a local test server only when allowed, every redirect checked, bounded."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pressroom.settings import SettingError

from pressroom.articles.webimport.fetching import FETCHES_PER_IMPORT, USER_AGENT, Fetcher, FetchDeadlinePassed, FetchError, \
    address_kind, carried_ipv4
from pressroom.cli import main
from server import free_port
from web_pages import article_body, figure, page, png


class Site(BaseHTTPRequestHandler):
    """A small site on 127.0.0.1: the page, its image, redirects, a slow and a large answer."""

    routes: dict = {}
    seen: list = []

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        self.seen.append((self.path, self.headers.get("User-Agent"), self.headers.get("Host")))
        status, headers, body = self.routes.get(self.path, (404, {}, b"not here"))
        if callable(body):
            body = body()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def site(routes: dict):
    Site.routes, Site.seen = routes, []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def silent_listener(host: str):
    """A socket listening on `host` that records whether anything ever connected to it."""
    listener = socket.socket()
    listener.bind((host, 0))
    listener.listen(5)
    listener.setblocking(False)
    try:
        yield listener
    finally:
        listener.close()


def connections(listener) -> int:
    count = 0
    while True:
        try:
            connection, _ = listener.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def html_page() -> tuple:
    return 200, {"Content-Type": "text/html; charset=utf-8"}, page(article_body(figure("images/lamp.png"))).encode()


def test_export_of_an_address_fetches_the_page_and_its_images_from_an_allowed_host(runner, tmp_path):
    routes = {"/news/a.html": html_page(), "/news/images/lamp.png": (200, {"Content-Type": "image/png"}, png())}
    with site(routes) as base:
        result = runner.invoke(main, ["export", f"{base}/news/a.html", "--allow-host", "127.0.0.1", "-f", "md",
                                      "-f", "epub", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert f"source_url: {base}/news/a.html\n" in markdown
    assert '![A lamp on the quay](a-images/01-lamp.png "The first lamp, relit.")' in markdown
    assert (tmp_path / "a-images" / "01-lamp.png").read_bytes() == png()
    assert [path for path, _, _ in Site.seen] == ["/news/a.html", "/news/images/lamp.png"]
    assert all(agent == USER_AGENT and host == base.removeprefix("http://") for _, agent, host in Site.seen)


def test_without_allow_host_a_loopback_address_is_refused_naming_its_range(runner, tmp_path):
    with site({"/a.html": html_page()}) as base:
        result = runner.invoke(main, ["export", f"{base}/a.html", "-f", "md", "-o", str(tmp_path)])
        assert Site.seen == []
    assert result.exit_code == 1
    assert "refused: 127.0.0.1 is at 127.0.0.1, in the loopback 127.0.0.0/8 range" in result.output
    assert "--allow-host 127.0.0.1" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_redirect_to_an_address_not_allowed_is_refused_before_any_request_reaches_it(runner, tmp_path):
    with silent_listener("127.0.0.2") as listener:
        target = f"http://127.0.0.2:{listener.getsockname()[1]}/stolen.html"
        with site({"/a.html": (302, {"Location": target}, b"")}) as base:
            result = runner.invoke(main, ["export", f"{base}/a.html", "--allow-host", "127.0.0.1", "-f", "md",
                                          "-o", str(tmp_path)])
        assert connections(listener) == 0
    assert result.exit_code == 1
    assert "refused: 127.0.0.2 is at 127.0.0.2, in the loopback 127.0.0.0/8 range" in result.output


def test_an_image_on_an_address_not_allowed_is_dropped_with_a_warning_and_never_requested(runner, tmp_path):
    with silent_listener("127.0.0.2") as listener:
        image = f"http://127.0.0.2:{listener.getsockname()[1]}/lamp.png"
        body = page(article_body(figure(image))).encode()
        with site({"/a.html": (200, {"Content-Type": "text/html"}, body)}) as base:
            result = runner.invoke(main, ["export", f"{base}/a.html", "--allow-host", "127.0.0.1", "-f", "md",
                                          "-o", str(tmp_path)])
        assert connections(listener) == 0
    assert result.exit_code == 0, result.output
    assert f"image {image!r} dropped: {image}: refused: 127.0.0.2" in result.output


def test_redirects_are_followed_up_to_five_times(tmp_path):
    routes = {f"/hop{n}": (301, {"Location": f"/hop{n + 1}"}, b"") for n in range(7)}
    routes["/hop5"] = html_page()
    with site(routes) as base:
        assert Fetcher(["127.0.0.1"]).fetch(f"{base}/hop0").url == f"{base}/hop5"
        routes["/hop5"] = (301, {"Location": "/hop6"}, b"")
        with pytest.raises(FetchError, match="more than 5 redirects"):
            Fetcher(["127.0.0.1"]).fetch(f"{base}/hop0")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/a.html", "gopher://127.0.0.1/"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchError, match="fetches only http and https"):
        Fetcher(["127.0.0.1"]).fetch(url)


def test_a_page_larger_than_the_cap_is_refused(tmp_path):
    with site({"/big.html": (200, {"Content-Type": "text/html"}, b"x" * 300_000)}) as base:
        with pytest.raises(FetchError, match="larger than"):
            Fetcher(["127.0.0.1"]).fetch(f"{base}/big.html", max_bytes=200_000)


def test_a_server_that_does_not_answer_in_time_is_given_up_on():
    def slow():
        time.sleep(3)
        return b"late"

    with site({"/slow.html": (200, {"Content-Type": "text/html"}, slow)}) as base:
        started = time.monotonic()
        with pytest.raises(FetchError, match="did not answer in time"):
            Fetcher(["127.0.0.1"], timeout=0.5, total_timeout=1).fetch(f"{base}/slow.html")
        assert time.monotonic() - started < 2.5


def test_an_error_status_is_a_clear_error():
    with site({}) as base:
        with pytest.raises(FetchError, match="the server answered 404"):
            Fetcher(["127.0.0.1"]).fetch(f"{base}/missing.html")


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.2", "loopback 127.0.0.0/8"), ("10.1.2.3", "private 10.0.0.0/8"), ("192.168.1.1", "private 192.168.0.0/16"),
    ("172.20.0.1", "private 172.16.0.0/12"), ("169.254.169.254", "link-local 169.254.0.0/16"),
    ("224.0.0.1", "multicast 224.0.0.0/4"), ("240.0.0.1", "reserved 240.0.0.0/4"), ("0.0.0.0", "“this network” 0.0.0.0/8"),
    ("::1", "loopback ::1/128"), ("fe80::1", "link-local fe80::/10"), ("fd00::1", "private (unique local) fc00::/7"),
    ("::ffff:127.0.0.1", "loopback 127.0.0.0/8"), ("93.184.215.14", None), ("2606:4700::1111", None),
    ("::127.0.0.2", "loopback 127.0.0.0/8"), ("::ffff:0:7f00:2", "loopback 127.0.0.0/8"),
    ("64:ff9b::7f00:2", "loopback 127.0.0.0/8"), ("64:ff9b::10.1.2.3", "private 10.0.0.0/8"),
    ("64:ff9b:1::7f00:2", "loopback 127.0.0.0/8"), ("::ffff:0:169.254.169.254", "link-local 169.254.0.0/16"),
    ("::93.184.215.14", None), ("64:ff9b::93.184.215.14", None), ("::1", "loopback ::1/128"), ("::", "unspecified ::/128"),
])
def test_address_ranges_are_named(address, kind):
    assert address_kind(address) == kind


def test_a_local_use_nat64_address_is_refused_if_any_place_rfc_6052_allows_carries_a_non_public_address():
    # 127.0.0.2 where a /48 translator puts it (bytes 6, 7, 9, 10), 93.184.215.14 where a /96 one does.
    assert address_kind("64:ff9b:1:7f00:0:200:5db8:d70e") is not None
    assert carried_ipv4(ipaddress.ip_address("64:ff9b:1:7f00:0:200:5db8:d70e"))[-1] == ipaddress.ip_address("127.0.0.2")


@pytest.mark.parametrize("host", ["::127.0.0.2", "::ffff:0:7f00:2", "64:ff9b::7f00:2", "64:ff9b:1::7f00:2"])
def test_an_ipv6_address_carrying_a_loopback_ipv4_address_is_refused_before_any_connection(host, runner, tmp_path):
    with silent_listener("127.0.0.2") as listener:
        url = f"http://[{host}]:{listener.getsockname()[1]}/a.html"
        result = runner.invoke(main, ["export", url, "-f", "md", "-o", str(tmp_path)])
        assert connections(listener) == 0
    assert result.exit_code == 1
    assert "(carrying the IPv4 address 127.0.0.2), in the loopback 127.0.0.0/8 range, not a public address" \
        in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_address_checked_is_the_address_connected_to(monkeypatch):
    lookups = []
    real_getaddrinfo = socket.getaddrinfo

    def one_answer_then_another(host, port, *args, **kwargs):
        if host != "news.test":
            return real_getaddrinfo(host, port, *args, **kwargs)
        lookups.append(host)
        answer = "127.0.0.1" if len(lookups) == 1 else "127.0.0.2"  # a rebinding DNS server's second answer
        return real_getaddrinfo(answer, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", one_answer_then_another)
    with site({"/a.html": html_page()}) as base:
        port = base.rpartition(":")[2]
        fetched = Fetcher(["news.test"]).fetch(f"http://news.test:{port}/a.html")
    assert fetched.data == html_page()[2] and lookups == ["news.test"]
    assert Site.seen[0][2] == f"news.test:{port}"


class DripServer:
    """A server on 127.0.0.3 that sends its answer one byte every `interval` seconds: the status line
    and headers (`part="headers"`), chunk-size lines (`"chunks"`) or a body (`"body"`); it counts the
    connections it holds open at any moment, and every one it was sent."""

    ANSWERS = {
        "headers": (b"", b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"p" * 200 + b"\r\n\r\n"),
        "chunks": (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n",
                   b"".join(b"1;" + b"x" * 20 + b"\r\nx\r\n" for _ in range(20))),
        "body": (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 200\r\n\r\n", b"<p>" * 60),
    }

    def __init__(self, part: str, interval: float = 0.3) -> None:
        self.at_once, self.trickled = self.ANSWERS[part]
        self.interval = interval
        self.open = self.received = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.3", 0))
        self.port = self._listener.getsockname()[1]
        self._stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(connection,), daemon=True).start()

    def _drip(self, connection) -> None:
        with self._lock:
            self.open += 1
            self.received += 1
        try:
            connection.recv(65536)
            connection.sendall(self.at_once)
            for byte in self.trickled:
                if self._stopped.wait(self.interval):
                    break
                connection.sendall(bytes([byte]))
        except OSError:
            pass  # the client gave up: what the tests want
        finally:
            connection.close()
            with self._lock:
                self.open -= 1

    def close(self) -> None:
        self._stopped.set()
        self._listener.close()


@contextmanager
def drip_server(part: str):
    server = DripServer(part)
    try:
        yield server
    finally:
        server.close()


@pytest.mark.parametrize("part", ["headers", "chunks", "body"])
def test_a_server_trickling_a_byte_at_a_time_meets_the_deadline_of_the_whole_fetch(part, monkeypatch):
    monkeypatch.setenv("PRESSROOM_FETCH_SECONDS", "1.5")
    with drip_server(part) as server:
        started = time.monotonic()
        with pytest.raises(FetchDeadlinePassed, match=r"took more than 1\.5 s to send it, the limit of one fetch"):
            Fetcher(["127.0.0.3"]).fetch(f"http://127.0.0.3:{server.port}/a.html")
        assert time.monotonic() - started < 1.5 + 3
        assert server.received == 1


def test_redirects_count_against_the_same_deadline(monkeypatch):
    monkeypatch.setenv("PRESSROOM_FETCH_SECONDS", "1.5")
    with drip_server("body") as server:
        target = f"http://127.0.0.3:{server.port}/slow.html"
        with site({"/a.html": (302, {"Location": target}, b"")}) as base:
            fetcher = Fetcher(["127.0.0.1", "127.0.0.3"])
            started = time.monotonic()
            with pytest.raises(FetchDeadlinePassed):
                fetcher.fetch(f"{base}/a.html")
            assert time.monotonic() - started < 1.5 + 3


def test_every_fetch_of_an_import_ends_within_its_one_deadline(monkeypatch):
    monkeypatch.setenv("PRESSROOM_FETCH_SECONDS", "1")
    with drip_server("body") as server:
        fetcher = Fetcher(["127.0.0.3"])
        url = f"http://127.0.0.3:{server.port}/a.html"
        started = time.monotonic()
        for _ in range(FETCHES_PER_IMPORT - 1):
            with pytest.raises(FetchDeadlinePassed, match="the limit of one fetch"):
                fetcher.fetch(url)
        time.sleep(0.5)
        with pytest.raises(FetchDeadlinePassed, match=r"the import took more than 3 s"):
            fetcher.fetch(url)
        assert time.monotonic() - started < FETCHES_PER_IMPORT + 3


@pytest.mark.parametrize("value", ["soon", "0", "-4"])
def test_a_fetch_limit_that_is_not_a_number_of_seconds_is_an_error_naming_the_variable(value, monkeypatch):
    monkeypatch.setenv("PRESSROOM_FETCH_SECONDS", value)
    with pytest.raises(SettingError, match=f"PRESSROOM_FETCH_SECONDS={value} is not a number above 0"):
        Fetcher()
