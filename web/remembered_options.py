"""The edition options a reader chose in a preview, remembered for the next one: with the account that
is signed in (the accounts' store, which `web/auth.py` hands the app), else in the browser's session."""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app, g, session

SESSION_KEY = "edition_options"
# Where the app keeps the accounts' store of options, when it has accounts (set by web/auth.py).
ACCOUNT_OPTIONS = "pressroom.account_options"
# A value longer than this is no option's (they are names, numbers and on/off); a session cookie holds 4 KB.
MAX_VALUE_CHARS = 100


def remembered_options() -> dict[str, str]:
    """The options (as query values) this account, or this browser, chose before, by name; unchecked,
    as a query's are."""
    account, store = _account_and_store()
    if account is not None:
        return store().edition_options(account)
    saved = session.get(SESSION_KEY)
    if not isinstance(saved, dict):
        return {}
    return {name: value for name, value in saved.items() if isinstance(name, str) and isinstance(value, str)}


def remember_options(values: Mapping[str, str]) -> None:
    """Keep the options `values` (checked already, as query values) over those remembered before."""
    kept = {name: value for name, value in values.items() if len(value) <= MAX_VALUE_CHARS}
    before = remembered_options()
    if not kept or all(before.get(name) == value for name, value in kept.items()):
        return
    account, store = _account_and_store()
    if account is not None:
        store().set_edition_options(account, before | kept)
    else:
        session[SESSION_KEY] = before | kept


def _account_and_store():
    """The signed-in account's name and the store of its options, or (None, None)."""
    actor = g.get("actor")
    store = current_app.extensions.get(ACCOUNT_OPTIONS)
    if store is None or actor is None or not actor.name or not actor.by_session or store().named(actor.name) is None:
        return None, None  # nobody signed in, or this computer with no account at all
    return actor.name, store
