"""The mail server and sender address sending uses, read from the settings: PRESSROOM_SMTP_URL (whose
password is never shown), PRESSROOM_MAIL_FROM and PRESSROOM_MAIL_MAX_MB."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from .. import settings
from ..errors import PressroomError
from ..settings import SettingError
from .addresses import AddressRefused, checked_address

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
DEFAULT_MAX_MB = 50


class MailNotConfigured(PressroomError):
    """Sending was asked for where no mail server or sender address is set."""


@dataclass(frozen=True)
class MailServer:
    """An SMTP server: `smtps` for implicit TLS, else plain SMTP that must offer STARTTLS when there are
    credentials. The password is in no repr and no message."""

    scheme: str
    host: str
    port: int
    user: str = ""
    password: str = field(default="", repr=False)

    @property
    def shown(self) -> str:
        """The server as messages name it: its scheme, user, host and port, never its password."""
        user = f"{self.user}@" if self.user else ""
        return f"{self.scheme}://{user}{self.host}:{self.port}"

    @property
    def has_credentials(self) -> bool:
        return bool(self.user or self.password)


def mail_server() -> MailServer:
    """The server PRESSROOM_SMTP_URL names; MailNotConfigured when it is unset, SettingError (naming the
    variable, never the password) when it is not an smtp:// or smtps:// address."""
    url = settings.text("PRESSROOM_SMTP_URL")
    if not url:
        raise MailNotConfigured("sending needs a mail server: set PRESSROOM_SMTP_URL to "
                                "smtp://user:password@host:587 (or smtps://...:465, or smtp://host:25 for a "
                                "local relay) and PRESSROOM_MAIL_FROM to the sender address")
    problem = "is not smtp://user:password@host:port, smtps://user:password@host:port or smtp://host:port"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise SettingError(f"PRESSROOM_SMTP_URL {problem} (its port is not a number from 0 to 65535)") from None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/") or parts.query:
        raise SettingError(f"PRESSROOM_SMTP_URL {problem}")
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    if password and not user:
        raise SettingError("PRESSROOM_SMTP_URL has a password without a user name: smtp://user:password@host:port")
    return MailServer(parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme], user, password)


def sender_address() -> str:
    """PRESSROOM_MAIL_FROM, checked; MailNotConfigured when it is unset, SettingError when it is not an address."""
    sender = settings.text("PRESSROOM_MAIL_FROM")
    if not sender:
        raise MailNotConfigured("sending needs a sender address: set PRESSROOM_MAIL_FROM to an address the "
                                "e-reader service accepts mail from (Amazon's list of approved senders)")
    try:
        return checked_address(sender)
    except AddressRefused as error:
        raise SettingError(f"PRESSROOM_MAIL_FROM: {error}") from None


def max_edition_bytes() -> int:
    """The largest edition sent, in bytes: PRESSROOM_MAIL_MAX_MB (decimal megabytes, as mail services count)."""
    return int(settings.number("PRESSROOM_MAIL_MAX_MB", DEFAULT_MAX_MB) * 1_000_000)
