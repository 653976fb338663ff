"""The edition options a reader chose in a preview, remembered for the next one: kept in the browser's
session for now; accounts will keep them with each account behind the same two functions."""

from __future__ import annotations

from collections.abc import Mapping

from flask import session

SESSION_KEY = "edition_options"
# A value longer than this is no option's (they are names, numbers and on/off); a session cookie holds 4 KB.
MAX_VALUE_CHARS = 100


def remembered_options() -> dict[str, str]:
    """The options (as query values) this browser chose before, by name; unchecked, as a query's are."""
    saved = session.get(SESSION_KEY)
    if not isinstance(saved, dict):
        return {}
    return {name: value for name, value in saved.items() if isinstance(name, str) and isinstance(value, str)}


def remember_options(values: Mapping[str, str]) -> None:
    """Keep the options `values` (checked already, as query values) over those remembered before."""
    kept = {name: value for name, value in values.items() if len(value) <= MAX_VALUE_CHARS}
    if kept and any(remembered_options().get(name) != value for name, value in kept.items()):
        session[SESSION_KEY] = remembered_options() | kept
