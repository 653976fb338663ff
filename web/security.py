"""The web UI's secrets and trust: its session key, the CSRF tokens of its forms, the Host names it answers to."""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
from pathlib import Path

from .. import settings

SECRET_KEY_FILE = "secret_key"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def secret_key(instance_path: str) -> str:
    """PRESSROOM_SECRET_KEY, else a key generated on first run and kept (0600) in the instance folder."""
    from_environment = settings.text("PRESSROOM_SECRET_KEY")
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


def trusted_hosts_from_environment() -> list[str] | None:
    """PRESSROOM_TRUSTED_HOSTS (names separated by commas) for a deployment, else None (any Host)."""
    return list(settings.names("PRESSROOM_TRUSTED_HOSTS")) or None


def trusted_hosts(serve_host: str) -> list[str] | None:
    """The Host names `pressroom serve --host serve_host` answers to: PRESSROOM_TRUSTED_HOSTS when set,
    else the host itself, and the loopback names for a loopback server; None for every interface
    (0.0.0.0, ::), whose names only the deployment knows."""
    configured = trusted_hosts_from_environment()
    if configured is not None:
        return configured
    if serve_host in ("0.0.0.0", "::", ""):
        return None
    host = serve_host.strip("[]")
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    names = [f"[{host}]" if ":" in host else host]
    return names + [name for name in LOOPBACK_NAMES if name not in names] if loopback else names
