"""Accounts for tests: made in an app's catalogue, and test clients signed in as them through the form."""

from __future__ import annotations

import re

from pressroom.web.auth import store

PASSWORDS = {"reader": "reader-password", "editor": "editor-password", "admin": "admin-password"}


def make_accounts(app) -> None:
    """An account of each role, named after it, with the password PASSWORDS gives."""
    with app.app_context():
        for role, password in PASSWORDS.items():
            store().add(role, role, password)


def form_token(client, path: str = "/sign-in") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def signed_in(app, role: str, password: str | None = None):
    """A test client of `app` signed in as the account `role`."""
    client = app.test_client()
    response = client.post("/sign-in", data={"csrf_token": form_token(client), "name": role,
                                             "password": password or PASSWORDS[role]})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client
