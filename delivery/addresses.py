"""An e-mail address a user typed, checked before anything is made or sent: one plain `name@domain`."""

from __future__ import annotations

import re

from ..errors import PressroomError

MAX_ADDRESS_CHARS = 254  # RFC 5321's limit on a path, less its angle brackets
# The local part as mail servers take it unquoted (RFC 5322's dot-atom): no spaces, quotes or brackets.
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


class AddressRefused(PressroomError):
    """Text that is not one e-mail address: the message shows it and the form it should take."""


def checked_address(text: str) -> str:
    """`text` as one e-mail address `name@domain`, its domain dotted names (an international one in its
    IDNA form, which every mail server takes); else AddressRefused."""
    address = text.strip()
    local, at, domain = address.rpartition("@")
    ascii_domain = _ascii_domain(domain)
    if at and ascii_domain and _LOCAL_PART.fullmatch(local) and len(local) <= 64 \
            and len(local) + 1 + len(ascii_domain) <= MAX_ADDRESS_CHARS:
        return f"{local}@{ascii_domain}"
    shown = re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", address)[:80]
    raise AddressRefused(f"“{shown}” is not an e-mail address: give one address such as name@kindle.com")


def _ascii_domain(domain: str) -> str | None:
    """The domain in ASCII if it is two or more dotted names, else None."""
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = ascii_domain.split(".")
    return ascii_domain if len(labels) >= 2 and all(_LABEL.fullmatch(label) for label in labels) else None
