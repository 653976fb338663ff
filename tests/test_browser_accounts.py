"""Accounts in a real browser: an editor signs in, adds an article and signs out; a reader meets 403 at
the add form; an admin adds and removes an account. axe-core on each page."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import Page, expect

from conftest import SAMPLE
from server import running_server
from test_api_server import command
from test_browser import browser, check_page, page  # noqa: F401  (fixtures)

PASSWORDS = {"reader": "reader-password", "editor": "editor-password", "admin": "admin-password"}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    content = tmp_path_factory.mktemp("accounts") / "content"
    content.mkdir()
    shutil.copy(SAMPLE, content / SAMPLE.name)
    for role, password in PASSWORDS.items():
        command("users", "add", role, "--role", role, "--content", str(content), stdin=password + "\n")
    with running_server(content) as url:
        yield url


def sign_in(page: Page, base_url: str, role: str) -> None:
    page.goto(base_url + "/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Name").fill(role)
    page.get_by_label("Password").fill(PASSWORDS[role])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Library")).to_be_visible()


def test_an_editor_signs_in_adds_an_article_and_signs_out(page, base_url):
    page.goto(base_url + "/sign-in")
    check_page(page, "sign-in")
    sign_in(page, base_url, "editor")
    page.get_by_role("link", name="Add an article").click()
    page.get_by_role("textbox", name="Text", exact=True).fill("# Harbour lights\n\nThe lamps were lit at dusk along the quay.")
    page.get_by_role("button", name="Add the article").click()
    expect(page.get_by_role("heading", name="Harbour lights")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(base_url + "/add")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_reader_meets_403_at_the_add_form(page, base_url):
    sign_in(page, base_url, "reader")
    expect(page.get_by_role("link", name="Add an article")).to_have_count(0)
    response = page.goto(base_url + "/add")
    assert response.status == 403
    check_page(page, "add-as-reader")


def test_an_admin_adds_and_removes_an_account(page, base_url):
    sign_in(page, base_url, "admin")
    page.get_by_role("link", name="Accounts").click()
    check_page(page, "accounts")
    page.get_by_label("Name").fill("grace")
    page.get_by_label("Role").select_option("editor")
    page.get_by_label("Password (at least 8 characters)").fill("grace-password")
    page.get_by_label("Password again").fill("grace-password")
    page.get_by_role("button", name="Add the account").click()
    expect(page.get_by_role("cell", name="grace", exact=True)).to_be_visible()
    page.get_by_role("button", name="Remove grace").click()
    expect(page.get_by_role("status")).to_contain_text("grace was removed")
    expect(page.get_by_role("cell", name="grace", exact=True)).to_have_count(0)
