"""The e-reader addresses a reader has sent editions to, offered again by the send form: kept in the
browser's session for now; accounts will keep them with each account behind the same two functions."""

from __future__ import annotations

from flask import session

SESSION_KEY = "send_addresses"
MAX_SAVED = 5


def saved_addresses() -> list[str]:
    """The addresses sent to from this browser, the latest first."""
    saved = session.get(SESSION_KEY)
    return [address for address in saved if isinstance(address, str)] if isinstance(saved, list) else []


def remember_address(address: str) -> None:
    """Keep `address` (checked already) first among the saved ones, at most MAX_SAVED in all."""
    session[SESSION_KEY] = [address, *(saved for saved in saved_addresses() if saved != address)][:MAX_SAVED]
