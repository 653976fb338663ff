"""The one way Pressroom fetches what a user names: http(s) to public addresses, every hop checked, bounded."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .errors import PressroomError

USER_AGENT = "Pressroom/0.1 (article importer; fetches only pages a user names)"
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 10.0
# A whole fetch (every hop, every byte) must finish within this, however slowly a server trickles.
TOTAL_TIMEOUT = 30.0
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
    ("::/128", "unspecified"), ("::1/128", "loopback"), ("64:ff9b:1::/48", "private"), ("100::/64", "discard"),
    ("2001:db8::/32", "documentation"), ("fc00::/7", "private (unique local)"), ("fe80::/10", "link-local"),
    ("ff00::/8", "multicast"),
))


class FetchError(PressroomError):
    """A page or image that could not be fetched, or that Pressroom refused to fetch."""


@dataclass(frozen=True)
class Fetched:
    """What a fetch brought back: the address it came from in the end, its bytes and media type."""

    url: str
    data: bytes
    media_type: str


def address_kind(address: str) -> str | None:
    """What kind of non-public range `address` lies in ("loopback 127.0.0.0/8"), or None if public."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for network, kind in _NOT_PUBLIC:
        if ip.version == network.version and ip in network:
            return f"{kind} {network}"
    return None if ip.is_global else "non-public"


class Fetcher:
    """Fetches http(s) URLs; a host whose address is not public only when named in `allowed_hosts`.

    The address checked is the address connected to (no second lookup a DNS server could answer
    differently); the Host header and TLS server name are the URL's host.
    """

    def __init__(self, allowed_hosts: tuple[str, ...] | list[str] = (), timeout: float = CONNECT_TIMEOUT,
                 total_timeout: float = TOTAL_TIMEOUT) -> None:
        self.allowed_hosts = frozenset(host.strip().lower().strip("[]") for host in allowed_hosts if host.strip())
        self.timeout = timeout
        self.total_timeout = total_timeout

    def fetch(self, url: str, max_bytes: int = MAX_PAGE_BYTES, accept: str = "*/*") -> Fetched:
        """The body of `url` after at most MAX_REDIRECTS redirects, each checked like the first."""
        deadline = time.monotonic() + self.total_timeout
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

    def _request(self, url: str, max_bytes: int, accept: str, deadline: float):
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
        connection = _PinnedHTTPSConnection(host, port, address, self._remaining(deadline)) if scheme == "https" \
            else _PinnedHTTPConnection(host, port, address, self._remaining(deadline))
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
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
                    raise self._too_large(url, max_bytes)
                chunks, size = [], 0
                # read1: what one receive brings, so that a server trickling bytes meets the deadline.
                while chunk := response.read1(_CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise self._too_large(url, max_bytes)
                    if time.monotonic() > deadline:
                        raise FetchError(f"{url}: the server took more than {self.total_timeout:.0f} s to send it")
                    chunks.append(chunk)
                data = b"".join(chunks)
            media_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
            return response.status, None, media_type, data
        except (TimeoutError, socket.timeout):
            raise FetchError(f"{url}: the server did not answer in time") from None
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(f"{url}: could not fetch it ({error})") from None
        finally:
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
                    raise FetchError(f"{url[:200]}: refused: {host} is at {address}, in the {kind} range, which "
                                     f"Pressroom does not fetch from unless told to (--allow-host {host})")
        return addresses[0]

    def _remaining(self, deadline: float) -> float:
        return max(0.1, min(self.timeout, deadline - time.monotonic()))

    def _too_large(self, url: str, max_bytes: int) -> FetchError:
        return FetchError(f"{url}: larger than {max_bytes // (1024 * 1024)} MiB; Pressroom stops there")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address already checked, whatever the host name now resolves to."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to an address already checked; the certificate is checked for the host."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
