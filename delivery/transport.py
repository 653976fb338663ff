"""A message handed to an SMTP server: implicit TLS (smtps) or STARTTLS, which is required before any
password is sent (a server, or someone between, that does not offer it gets no password), and the
server's refusal in words, with the password in no message."""

from __future__ import annotations

import base64
import re
import smtplib
import ssl
from email.message import EmailMessage

from ..errors import PressroomError
from .server import MailServer

TIMEOUT_SECONDS = 60
MAX_REPLY_CHARS = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


class DeliveryFailed(PressroomError):
    """The message could not be handed to the mail server: it cannot be reached, or TLS failed."""


class DeliveryRefused(PressroomError):
    """The mail server refused the message, the recipient, the sender or the credentials, in its own words."""


def deliver(server: MailServer, message: EmailMessage, sender: str, recipient: str) -> None:
    """Hand `message` from `sender` to `recipient` to `server`; DeliveryFailed or DeliveryRefused, never
    with the password, when it is not accepted."""
    try:
        _deliver(server, message, sender, recipient)
    except smtplib.SMTPRecipientsRefused as error:
        code, reply = error.recipients.get(recipient, next(iter(error.recipients.values()), (0, b"")))
        raise DeliveryRefused(_scrubbed(f"the mail server refused {recipient}: {code} {_text(reply)}", server)) from None
    except smtplib.SMTPSenderRefused as error:
        raise DeliveryRefused(_scrubbed(f"the mail server refused the sender {sender} (PRESSROOM_MAIL_FROM): "
                                        f"{error.smtp_code} {_text(error.smtp_error)}", server)) from None
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryRefused(_scrubbed(f"the mail server {server.shown} refused the user name and password: "
                                        f"{error.smtp_code} {_text(error.smtp_error)} (check PRESSROOM_SMTP_URL)",
                                        server)) from None
    except smtplib.SMTPResponseException as error:
        raise DeliveryRefused(_scrubbed(f"the mail server {server.shown} refused to take the message: {error.smtp_code} "
                                        f"{_text(error.smtp_error)}", server)) from None
    except ssl.SSLError as error:
        raise DeliveryFailed(f"the TLS connection to the mail server {server.shown} failed "
                             f"({_text(error.reason or str(error))}): check that it is the server's own address "
                             "and that its certificate is valid") from None
    except (smtplib.SMTPException, OSError) as error:
        reason = _scrubbed(_text(str(error) or type(error).__name__), server)
        raise DeliveryFailed(f"the mail server {server.shown} cannot be reached ({reason}): check "
                             "PRESSROOM_SMTP_URL and that the server is running") from None


def _deliver(server: MailServer, message: EmailMessage, sender: str, recipient: str) -> None:
    context = ssl.create_default_context()
    if server.scheme == "smtps":
        connection = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_SECONDS, context=context)
    else:
        connection = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
    with connection:
        connection.ehlo()
        if server.has_credentials:
            if server.scheme == "smtp":
                if not connection.has_extn("starttls"):
                    raise DeliveryFailed(f"the mail server {server.shown} does not offer STARTTLS, so its password is "
                                         "not sent: use a server that offers it, or smtps:// for implicit TLS (if "
                                         "it does offer it, someone between here and there removed the offer)")
                connection.starttls(context=context)
                connection.ehlo()
            if not connection.has_extn("auth"):
                raise DeliveryFailed(f"the mail server {server.shown} does not take a user name and password (it "
                                     "offers no AUTH): leave them out of PRESSROOM_SMTP_URL")
            connection.login(server.user, server.password)
        connection.send_message(message, sender, [recipient])


def _text(reply: bytes | str) -> str:
    """A server's reply as one line of printable text, within a length."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    text = _CONTROL.sub(" ", text).strip()
    return text if len(text) <= MAX_REPLY_CHARS else text[:MAX_REPLY_CHARS - 1] + "…"


def _scrubbed(text: str, server: MailServer) -> str:
    """`text` without the password, plain or as AUTH PLAIN and AUTH LOGIN send it: a server's reply may
    repeat what it was sent."""
    if not server.password:
        return text
    secrets = {server.password, _base64(server.password), _base64(f"\0{server.user}\0{server.password}")}
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def _base64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")
