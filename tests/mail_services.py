"""A real SMTP server (aiosmtpd) on a free loopback port, started by the tests that send mail: it keeps
every message it takes, every byte a client sent it in clear, and every AUTH it was offered."""

from __future__ import annotations

import ssl
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult

from server import free_port

REFUSED = "refused@example.org"
REFUSAL = "550 5.1.1 This mailbox takes no mail"
USER = "pressroom"


@dataclass
class MailServer:
    """What a running test server saw: its URL (credentials included when it has them), the messages it
    took (envelope sender, recipients, parsed message), the bytes clients sent before any TLS, and the
    AUTH attempts (user, password)."""

    url: str
    messages: list = field(default_factory=list)
    clear_bytes: bytearray = field(default_factory=bytearray)
    logins: list = field(default_factory=list)
    certificate: Path | None = None


class _Handler:
    def __init__(self, mail: MailServer) -> None:
        self.mail = mail

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address == REFUSED:
            return REFUSAL
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.mail.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                                   message_from_bytes(envelope.original_content, policy=policy.default)))
        return "250 Message accepted"


class _RecordingSMTP(SMTP):
    """aiosmtpd's server, keeping what arrives on the connection in clear: before STARTTLS (after it, this
    method is given what TLS decrypted); nothing with implicit TLS."""

    recorded: bytearray

    def data_received(self, data: bytes) -> None:
        if self._tls_protocol is None and self.transport.get_extra_info("sslcontext") is None:
            self.recorded.extend(data)
        super().data_received(data)


class _Controller(Controller):
    def __init__(self, mail: MailServer, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mail = mail

    def factory(self):
        server = _RecordingSMTP(self.handler, **self.SMTP_kwargs)
        server.recorded = self.mail.clear_bytes
        return server


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made by openssl."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


@contextmanager
def running_mail_server(folder: Path, password: str | None = None, starttls: bool = False,
                        implicit_tls: bool = False, refusal: str | None = None):
    """Yield a MailServer for an aiosmtpd server on 127.0.0.1: a relay without AUTH by default; with
    `password`, AUTH for USER (offered over plain text too, as a stripped offer would look); STARTTLS
    with `starttls`, TLS from the first byte with `implicit_tls` (a self-signed certificate, given as
    `certificate` for SSL_CERT_FILE). A failed AUTH answers `refusal` when given."""
    port = free_port()
    scheme = "smtps" if implicit_tls else "smtp"
    mail = MailServer(f"{scheme}://{USER}:{password}@127.0.0.1:{port}" if password else f"{scheme}://127.0.0.1:{port}")
    context = None
    if starttls or implicit_tls:
        mail.certificate, key = certificate(folder)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(mail.certificate, key)

    def authenticate(server, session, envelope, mechanism, auth_data):
        login, sent = auth_data.login.decode(), auth_data.password.decode()
        mail.logins.append((login, sent))
        if login == USER and sent == password:
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False, message=refusal)

    options = {}
    if password:
        options.update(authenticator=authenticate, auth_require_tls=False)
    if starttls:
        options.update(tls_context=context, require_starttls=True)
    controller = _Controller(mail, _Handler(mail), hostname="127.0.0.1", port=port,
                             ssl_context=context if implicit_tls else None, **options)
    controller.start()
    mail.clear_bytes.clear()  # the controller's own check that the server answers
    try:
        yield mail
    finally:
        controller.stop()
