"""The web UI's secrets: its session key and the CSRF tokens of its forms."""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret_key"


def secret_key(instance_path: str) -> str:
    """PRESSROOM_SECRET_KEY, else a key generated on first run and kept (0600) in the instance folder."""
    from_environment = os.environ.get("PRESSROOM_SECRET_KEY")
    if from_environment:
        return from_environment
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_KEY_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = secrets.token_hex(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as stream:
            stream.write(key)
        return key


def csrf_token(session) -> str:
    """The session's token for forms, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def csrf_valid(session, sent: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and sent and hmac.compare_digest(expected, sent))
