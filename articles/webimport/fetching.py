"""The one way Pressroom fetches what a user names: http(s) to public addresses, every hop checked, bounded."""

from __future__ import annotations

import http.client
import io
import ipaddress
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ... import settings
from ...errors import PressroomError

USER_AGENT = "Pressroom/0.1 (article importer; fetches only pages a user names)"
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 10.0
# A whole fetch (every hop, every byte) must finish within this, however slowly a server trickles.
TOTAL_TIMEOUT = 30.0
TOTAL_TIMEOUT_VARIABLE = "PRESSROOM_FETCH_SECONDS"
# An import (a page and all its images) gets this many times a fetch's limit, all its fetches together.
FETCHES_PER_IMPORT = 3
ALLOWED_HOSTS_VARIABLE = "PRESSROOM_FETCH_ALLOWED_HOSTS"
MAX_PAGE_BYTES = 16 * 1024 * 1024
MAX_IMAGE_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
# Ranges a name may resolve to only when the user allows the host, by what they are (IANA registries).
_NOT_PUBLIC = tuple((ipaddress.ip_network(network), kind) for network, kind in (
    ("0.0.0.0/8", "“this network”"), ("10.0.0.0/8", "private"), ("100.64.0.0/10", "shared (carrier NAT)"),
    ("127.0.0.0/8", "loopback"), ("169.254.0.0/16", "link-local"), ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "reserved"), ("192.0.2.0/24", "documentation"), ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "benchmarking"), ("198.51.100.0/24", "documentation"), ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"), ("240.0.0.0/4", "reserved"),
    ("::/128", "unspecified"), ("::1/128", "loopback"), ("100::/64", "discard"),
    ("2001:db8::/32", "documentation"), ("fc00::/7", "private (unique local)"), ("fe80::/10", "link-local"),
    ("ff00::/8", "multicast"),
))


# IPv6 ranges whose addresses carry an IPv4 address, and where it lies (byte offsets into the 16):
# IPv4-compatible ::a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d, NAT64's well-known 64:ff9b::/96, and
# NAT64's local-use 64:ff9b:1::/48, whose translator may put it at any place RFC 6052 allows.
_CARRYING_IPV4 = tuple((ipaddress.ip_network(network), places) for network, places in (
    ("::/96", ((12, 16),)), ("::ffff:0:0:0/96", ((12, 16),)), ("64:ff9b::/96", ((12, 16),)),
    ("64:ff9b:1::/48", ((12, 16), (9, 13), (7, 8, 9, 12), (6, 8, 9, 11))),
))


class FetchError(PressroomError):
    """A page or image that could not be fetched, or that Pressroom refused to fetch."""


class FetchTooLarge(FetchError):
    """A page or image larger than the bytes it was allowed; `bytes_read` before that was known."""

    def __init__(self, message: str, bytes_read: int) -> None:
        super().__init__(message)
        self.bytes_read = bytes_read


class FetchDeadlinePassed(FetchError):
    """A fetch (or the import it belongs to) that did not finish within its time limit."""


class AddressRefused(FetchError):
    """A host whose address is not public, and not allowed; the message names the address (for the
    command line, where the user runs the lookup anyway) unless it is said to a web user."""

    def __init__(self, url: str, host: str, address: str, kind: str, on_server: bool) -> None:
        if on_server:
            message = (f"{url}: refused: {host} is not a public address, and this server fetches only from public "
                       f"addresses unless its operator allows the host (`pressroom serve --allow-host {host}`, or "
                       f"{ALLOWED_HOSTS_VARIABLE}={host}; not the trusted Host names)")
        else:
            carried = _judged(ipaddress.ip_address(address))[1]
            inside = f" (carrying the IPv4 address {carried})" if carried else ""
            message = (f"{url}: refused: {host} is at {address}{inside}, in the {kind} range, not a public address, "
                       f"which Pressroom does not fetch from unless told to (--allow-host {host})")
        super().__init__(message)


@dataclass(frozen=True)
class Fetched:
    """What a fetch brought back: the address it came from in the end, its bytes and media type."""

    url: str
    data: bytes
    media_type: str


def address_kind(address: str) -> str | None:
    """What kind of non-public range `address` lies in ("loopback 127.0.0.0/8"), or None if public; an
    IPv6 address that carries an IPv4 address is judged by the IPv4 address (each place it may be)."""
    judged = _judged(ipaddress.ip_address(address))
    return None if judged is None else judged[0]


def _judged(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address | None] | None:
    """The kind of non-public range `ip` lies in, with the IPv4 address it carries that lies there, or None."""
    kind = _listed_kind(ip)
    if kind is not None:
        return kind, None
    carried = carried_ipv4(ip)
    for inside in carried:
        kind = _listed_kind(inside) or (None if inside.is_global else "non-public")
        if kind is not None:
            return kind, inside
    if carried or ip.is_global:
        return None
    return "non-public", None


def carried_ipv4(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address may carry (mapped, compatible, translated, NAT64), or ()."""
    if isinstance(ip, ipaddress.IPv4Address):
        return ()
    if ip.ipv4_mapped is not None:
        return (ip.ipv4_mapped,)
    packed = ip.packed
    for network, places in _CARRYING_IPV4:
        if ip in network:
            return tuple(dict.fromkeys(
                ipaddress.IPv4Address(b"".join(packed[start:end] for start, end in zip(place[::2], place[1::2])))
                for place in places))
    return ()


def _listed_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    for network, kind in _NOT_PUBLIC:
        if ip.version == network.version and ip in network:
            return f"{kind} {network}"
    return None


def allowed_hosts_from_environment() -> tuple[str, ...]:
    """The hosts PRESSROOM_FETCH_ALLOWED_HOSTS (names separated by commas) lets a server fetch from."""
    return settings.names(ALLOWED_HOSTS_VARIABLE)


def fetch_seconds() -> float:
    """A fetch's time limit: PRESSROOM_FETCH_SECONDS, else TOTAL_TIMEOUT."""
    return settings.number(TOTAL_TIMEOUT_VARIABLE, TOTAL_TIMEOUT, maximum=24 * 3600)


class Fetcher:
    """Fetches http(s) URLs; a host whose address is not public only when named in `allowed_hosts`.

    The address checked is the address connected to (no second lookup a DNS server could answer
    differently); the Host header and TLS server name are the URL's host. One Fetcher serves one
    import: each fetch ends within `total_timeout` seconds (PRESSROOM_FETCH_SECONDS, else 30), all of
    them within FETCHES_PER_IMPORT times that from the first, however slowly a server sends. A
    refusal `on_server` says how the server's operator allows a host, not where a name points.
    """

    def __init__(self, allowed_hosts: tuple[str, ...] | list[str] = (), timeout: float = CONNECT_TIMEOUT,
                 total_timeout: float | None = None, on_server: bool = False) -> None:
        self.allowed_hosts = frozenset(host.strip().lower().strip("[]") for host in allowed_hosts if host.strip())
        self.timeout = timeout
        self.total_timeout = fetch_seconds() if total_timeout is None else total_timeout
        self.on_server = on_server
        self._import_deadline: float | None = None

    def fetch(self, url: str, max_bytes: int = MAX_PAGE_BYTES, accept: str = "*/*") -> Fetched:
        """The body of `url` after at most MAX_REDIRECTS redirects, each checked like the first."""
        now = time.monotonic()
        if self._import_deadline is None:
            self._import_deadline = now + self.total_timeout * FETCHES_PER_IMPORT
        deadline = _Deadline(now + self.total_timeout, f"the server took more than {self.total_timeout:g} s "
                             f"to send it, the limit of one fetch ({TOTAL_TIMEOUT_VARIABLE})")
        if self._import_deadline < deadline.at:
            deadline = _Deadline(self._import_deadline, f"the import took more than "
                                 f"{self.total_timeout * FETCHES_PER_IMPORT:g} s, the limit of a page and its "
                                 f"images together ({FETCHES_PER_IMPORT} × {TOTAL_TIMEOUT_VARIABLE})")
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            status, location, media_type, data = self._request(current, max_bytes, accept, deadline)
            if status in _REDIRECTS and location:
                current = urljoin(current, location)
                continue
            if status != 200:
                raise FetchError(f"{current}: the server answered {status} instead of the page")
            return Fetched(current, data, media_type)
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects; Pressroom stops there")

    def _request(self, url: str, max_bytes: int, accept: str, deadline: _Deadline):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"{url[:200]}: Pressroom fetches only http and https addresses")
        host = (parts.hostname or "").lower()
        if not host:
            raise FetchError(f"{url[:200]}: the address names no host")
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise FetchError(f"{url[:200]}: the port is not a number from 1 to 65535") from None
        address = self._checked_address(url, host, port)
        connection = (_PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection)(
            host, port, address, self.timeout, deadline)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        response = None
        try:
            connection.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": accept,
                                                       "Accept-Encoding": "identity"})
            response = connection.getresponse()
            if response.status in _REDIRECTS:
                return response.status, response.getheader("Location"), "", b""
            data = b""
            if response.status == 200:
                declared = response.getheader("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise self._too_large(url, max_bytes, 0)
                chunks, size = [], 0
                while chunk := response.read1(_CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise self._too_large(url, max_bytes, size)
                    chunks.append(chunk)
                data = b"".join(chunks)
            media_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
            return response.status, None, media_type, data
        except _DeadlineReached:
            raise FetchDeadlinePassed(f"{url}: {deadline.reason}") from None
        except (TimeoutError, socket.timeout):
            raise FetchError(f"{url}: the server did not answer in time") from None
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(f"{url}: could not fetch it ({error})") from None
        finally:
            if response is not None:
                response.close()
            connection.close()

    def _checked_address(self, url: str, host: str, port: int) -> str:
        """The address to connect to: the first the name resolves to, every answer checked."""
        try:
            answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise FetchError(f"{url[:200]}: the host {host!r} cannot be found ({error})") from None
        addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
        if host not in self.allowed_hosts:
            for address in addresses:
                kind = address_kind(address)
                if kind is not None:
                    raise AddressRefused(url[:200], host, address, kind, self.on_server)
        return addresses[0]

    def _too_large(self, url: str, max_bytes: int, bytes_read: int) -> FetchTooLarge:
        size = f"{max_bytes // (1024 * 1024)} MiB" if max_bytes >= 1024 * 1024 else f"{max_bytes // 1024} KiB"
        return FetchTooLarge(f"{url}: larger than {size}; Pressroom stops there", bytes_read)


class RecordedFetcher:
    """Answers fetches from bytes fetched before (a queued job's), by address, and never from the
    network: an address not recorded is a FetchError, as one that could not be fetched."""

    def __init__(self, recorded: Mapping[str, bytes]) -> None:
        self.recorded = recorded

    def fetch(self, url: str, max_bytes: int = MAX_PAGE_BYTES, accept: str = "*/*") -> Fetched:
        """What was fetched from `url`, within `max_bytes`."""
        data = self.recorded.get(url)
        if data is None:
            raise FetchError(f"{url[:200]}: not fetched where the page was read, so not fetched here")
        if len(data) > max_bytes:
            raise FetchTooLarge(f"{url[:200]}: larger than {max_bytes} bytes; Pressroom stops there", len(data))
        return Fetched(url, data, "")


class _DeadlineReached(TimeoutError):
    """The deadline of a fetch passed while it waited to connect, send or receive."""


@dataclass(frozen=True)
class _Deadline:
    """When a fetch must be done by (time.monotonic()), and the reason given when it is not."""

    at: float
    reason: str

    def timeout(self, step: float) -> float:
        """How long the next wait may last: `step`, or the time left if that is less."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise _DeadlineReached()
        return min(step, left)


class _DeadlineSocket:
    """A connected socket each of whose waits (send, receive, a TLS handshake's) lasts at most the
    time left before the deadline: http.client reads a status line, headers and chunk sizes a
    receive at a time, so a server sending a byte at a time cannot stretch a fetch past it. Like a
    socket's, it stays open while a response reads from it, though the connection has let it go."""

    def __init__(self, sock: socket.socket, step: float, deadline: _Deadline) -> None:
        self.sock, self.step, self.deadline = sock, step, deadline
        self.readers = 0
        self.released = False

    def wait(self) -> None:
        """Set the socket's timeout for its next operation."""
        self.sock.settimeout(self.deadline.timeout(self.step))

    def sendall(self, data) -> None:
        self.wait()
        _within(self.deadline, self.sock.sendall, data)

    def makefile(self, mode: str):
        if mode != "rb":
            raise ValueError(f"a fetch reads its answer as bytes, not {mode!r}")
        self.readers += 1
        return io.BufferedReader(_DeadlineReader(self))

    def close(self) -> None:
        self.released = True
        if self.readers == 0:
            self.sock.close()

    def reader_closed(self) -> None:
        self.readers -= 1
        if self.released and self.readers == 0:
            self.sock.close()


class _DeadlineReader(io.RawIOBase):
    """The receiving side of a _DeadlineSocket, as http.client reads it."""

    def __init__(self, connection: _DeadlineSocket) -> None:
        self.connection = connection

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.connection.wait()
        return _within(self.connection.deadline, self.connection.sock.recv_into, buffer)

    def close(self) -> None:
        if not self.closed:
            self.connection.reader_closed()
        super().close()


def _within(deadline: _Deadline, operation, *arguments, **keywords):
    """`operation(...)`; a timeout that came when the deadline did is the deadline's."""
    try:
        return operation(*arguments, **keywords)
    except (TimeoutError, socket.timeout):
        if time.monotonic() >= deadline.at:
            raise _DeadlineReached() from None
        raise


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address already checked, whatever the host name now resolves to."""

    def __init__(self, host: str, port: int, address: str, step: float, deadline: _Deadline) -> None:
        super().__init__(host, port, timeout=step)
        self.address, self.deadline = address, deadline

    def connect(self) -> None:
        sock = _within(self.deadline, socket.create_connection, (self.address, self.port),
                       self.deadline.timeout(self.timeout))
        self.sock = _DeadlineSocket(sock, self.timeout, self.deadline)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to an address already checked; the certificate is checked for the host."""

    def __init__(self, host: str, port: int, address: str, step: float, deadline: _Deadline) -> None:
        super().__init__(host, port, timeout=step, context=ssl.create_default_context())
        self.address, self.deadline = address, deadline

    def connect(self) -> None:
        sock = _within(self.deadline, socket.create_connection, (self.address, self.port),
                       self.deadline.timeout(self.timeout))
        try:
            # The handshake is one wait, however many receives it takes (the ssl module keeps its deadline).
            sock.settimeout(self.deadline.timeout(self.timeout))
            secure = _within(self.deadline, self._context.wrap_socket, sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
        self.sock = _DeadlineSocket(secure, self.timeout, self.deadline)
