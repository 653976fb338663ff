"""Accounts in the web UI: every route declares its role and is checked under every role; sign-in,
its limits and its one message; HTTP Basic on downloads; nothing secret kept in clear."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import MetaData, select

from account_clients import PASSWORDS, form_token, make_accounts, signed_in
from conftest import SAMPLE
from pressroom.accounts import passwords
from pressroom.accounts.roles import allows
from pressroom.app import create_app
from pressroom.web import auth, limits
from pressroom.web.auth import declared_role, store, undeclared

ROLES = (None, "reader", "editor", "admin")
# The policy, written out: the role each endpoint should need (a new endpoint fails until it is here).
POLICY = {
    "public": ("auth.sign_in", "auth.sign_in_form", "auth.sign_out", "pages.favicon", "pages.static_file"),
    "reader": ("accounts.account_page", "accounts.change_password", "accounts.create_token",
               "accounts.revoke_own_token", "api.article", "api.article_edition", "api.book", "api.job",
               "api.list_articles", "api.list_books", "api.openapi_document", "book_editions.check",
               "book_editions.download", "book_editions.preview", "book_editions.publication_file",
               "book_editions.view_file", "books.index", "delivery.send", "delivery.sent", "editions.check",
               "editions.download", "editions.preview", "editions.publication_file", "editions.view_file",
               "library.index", "opds.article_cover", "opds.article_download", "opds.articles", "opds.authors",
               "opds.book_download", "opds.books", "opds.languages", "opds.opensearch", "opds.root",
               "periodicals.index"),
    "editor": ("api.add_article", "api.delete_article", "api.delete_book", "api.make_book", "api.replace_article",
               "books.delete_book", "books.delete_form", "books.edit_book", "books.edit_form", "books.make_book",
               "books.new_form", "library.add_article", "library.add_form", "library.delete_article",
               "library.delete_form", "periodicals.make_now"),
    "admin": ("accounts.accounts_page", "accounts.add_account", "accounts.audit_page", "accounts.remove_account",
              "accounts.revoke_token", "accounts.tokens_page"),
}
EXPECTED = {endpoint: role for role, endpoints in POLICY.items() for endpoint in endpoints}
# A value for each kind of URL argument: names nothing the library holds, so no view does real work.
ARGUMENTS = {"filename": "web/app.css", "token_id": 999, "format_name": "epub"}


@pytest.fixture
def accounts_app(app):
    make_accounts(app)
    return app


def every_request(app):
    """Each rule of the URL map with each of its methods, as (endpoint, method, path)."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        values = {name: ARGUMENTS.get(name, "nothing-here") for name in rule.arguments if name not in rule.defaults or {}}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, adapter.build(rule.endpoint, values, method=method)


def test_every_route_declares_a_role_and_it_is_the_policys(app):
    assert undeclared(app) == []
    assert {endpoint: declared_role(app, endpoint) for endpoint in app.view_functions} == EXPECTED
    assert {declared_role(app, "auth.sign_in_form"), declared_role(app, "pages.static_file")} == {"public"}
    assert declared_role(app, "library.add_article") == "editor"
    assert declared_role(app, "accounts.accounts_page") == "admin"


def test_an_undeclared_route_stops_the_app_from_starting(content_dir):
    bare = Flask(__name__)
    bare.config.update(CONTENT_DIR=str(content_dir), SECRET_KEY="x")
    bare.add_url_rule("/open", "open", lambda: "everyone")
    with pytest.raises(RuntimeError, match="routes without a role: open"):
        auth.init_app(bare)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_under_every_role(accounts_app, role):
    client = signed_in(accounts_app, role) if role else accounts_app.test_client()
    checked = 0
    for endpoint, method, path in every_request(accounts_app):
        needed = EXPECTED[endpoint]
        # The API's changes carry JSON, which a browser's session may send without a CSRF header.
        body = {} if path.startswith("/api/") and method in ("POST", "PUT") else None
        response = client.open(path, method=method, json=body)
        response.close()
        refused = response.status_code in (401, 403) or "/sign-in?" in (response.location or "")
        if needed == "public" or (role and allows(role, needed)):
            assert not refused, (role, method, path, response.status_code)
        else:
            assert refused, (role, method, path, response.status_code)
            if role is None and response.status_code == 401:
                assert response.headers["WWW-Authenticate"].split()[0] in ("Basic", "Bearer"), path
        checked += 1
    assert checked == sum(len(rule.methods - {"HEAD", "OPTIONS"}) for rule in accounts_app.url_map.iter_rules())


def test_with_no_account_this_computer_may_do_everything_and_others_nothing(client):
    assert client.get("/add").status_code == 200
    assert client.get("/admin/audit").status_code == 200
    assert client.get("/add", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 303


def test_once_an_account_exists_every_page_needs_sign_in(accounts_app):
    response = accounts_app.test_client().get("/?q=harbour")
    assert response.status_code == 303 and response.location == "/sign-in?next=/?q%3Dharbour"


def test_a_wrong_name_and_a_wrong_password_get_one_message_and_the_same_work(accounts_app, monkeypatch):
    verified = []
    real = passwords.hasher

    class CountingHasher:
        hash = real.hash

        def verify(self, stored, password):
            verified.append(stored)
            return real.verify(stored, password)

    monkeypatch.setattr(passwords, "hasher", CountingHasher())
    client = accounts_app.test_client()
    token = form_token(client)
    pages = [client.post("/sign-in", data={"csrf_token": token, "name": name, "password": "not-the-password"})
             for name in ("editor", "nobody")]
    assert [page.status_code for page in pages] == [403, 403]
    assert all(auth.WRONG in page.get_data(as_text=True) for page in pages)
    assert pages[0].get_data(as_text=True).replace("editor", "nobody") == pages[1].get_data(as_text=True)
    assert len(verified) == 2 and all(stored.startswith("$argon2id$") for stored in verified)


def test_an_address_giving_wrong_passwords_gets_429_with_retry_after_and_the_right_one_still_counts(content_dir):
    app = create_app({"CONTENT_DIR": str(content_dir), "TESTING": True, "SECRET_KEY": "k", "SIGN_IN_ATTEMPTS": 3,
                      "SIGN_IN_DELAY_SECONDS": 0})
    make_accounts(app)
    client = app.test_client()
    token = form_token(client)
    codes = [client.post("/sign-in", data={"csrf_token": token, "name": "reader", "password": "wrong-password"})
             .status_code for _ in range(5)]
    assert codes == [403, 403, 403, 429, 429]
    refused = client.post("/sign-in", data={"csrf_token": token, "name": "reader", "password": PASSWORDS["reader"]})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    # Another address is not held back by this one's guesses.
    other = client.post("/sign-in", data={"csrf_token": token, "name": "reader", "password": PASSWORDS["reader"]},
                        environ_base={"REMOTE_ADDR": "127.0.0.9"})
    assert other.status_code == 303


def test_an_account_given_wrong_passwords_waits_longer_each_time_but_never_forever(accounts_app, monkeypatch):
    waits = []
    monkeypatch.setattr(limits, "sleep", waits.append)
    accounts_app.extensions[limits.EXTENSION].attempts = 100
    accounts_app.extensions[limits.EXTENSION].limit = limits.RateLimitItemPerSecond(100, 300)
    client = accounts_app.test_client()
    token = form_token(client)
    for _ in range(10):
        client.post("/sign-in", data={"csrf_token": token, "name": "editor", "password": "wrong-password"})
    assert waits == [0.25, 0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    right = client.post("/sign-in", data={"csrf_token": token, "name": "editor", "password": PASSWORDS["editor"]})
    assert right.status_code == 303 and waits[-1] == 4.0
    with accounts_app.app_context():
        assert store().failures("editor") == 0


def test_a_new_password_ends_the_accounts_other_sessions(accounts_app):
    other = signed_in(accounts_app, "reader")
    client = signed_in(accounts_app, "reader")
    response = client.post("/account/password", data={"csrf_token": form_token(client, "/account"),
                                                      "current": PASSWORDS["reader"], "new": "a-new-password",
                                                      "repeat": "a-new-password"})
    assert response.status_code == 303
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 303


def test_an_e_reader_downloads_an_epub_with_http_basic(accounts_app):
    slug = SAMPLE.stem
    client = accounts_app.test_client()
    missing = client.get(f"/articles/{slug}/download/epub")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Basic")
    wrong = client.get(f"/articles/{slug}/download/epub", auth=("reader", "wrong-password"))
    assert wrong.status_code == 401
    right = client.get(f"/articles/{slug}/download/epub", auth=("reader", PASSWORDS["reader"]))
    assert right.status_code == 200 and right.mimetype == "application/epub+zip"
    with accounts_app.app_context():
        _, secret = store().create_token("reader", label="e-reader")
    assert client.get(f"/articles/{slug}/download/epub", auth=("reader", secret)).status_code == 200
    assert client.get(f"/articles/{slug}/download/epub", auth=("editor", secret)).status_code == 401
    assert client.get(f"/articles/{slug}/", auth=("reader", PASSWORDS["reader"])).status_code == 303


def test_an_admin_adds_and_removes_an_account_and_the_audit_log_says_so(accounts_app):
    client = signed_in(accounts_app, "admin")
    token = form_token(client, "/admin/accounts")
    added = client.post("/admin/accounts", data={"csrf_token": token, "name": "grace", "role": "editor",
                                                 "password": "grace-password", "repeat": "grace-password"})
    assert added.status_code == 303
    signed_in(accounts_app, "grace", "grace-password")
    assert client.post("/admin/accounts/grace/remove", data={"csrf_token": token}).status_code == 303
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "added the account" in log and "removed the account" in log and "grace" in log


def test_an_editors_changes_are_in_the_audit_log(accounts_app):
    client = signed_in(accounts_app, "editor")
    token = form_token(client, "/add")
    client.post("/add", data={"csrf_token": token, "source": "paste", "kind": "md", "name": "",
                              "text": "# Harbour notes\n\nThe tide came in."})
    client.post("/articles/harbour-notes/delete", data={"csrf_token": token})
    with accounts_app.app_context():
        entries = [(entry.account, entry.action, entry.target) for entry in store().audit()]
    assert entries == [("editor", "deleted", "harbour-notes"), ("editor", "added", "harbour-notes")]


def test_the_database_holds_no_password_or_token_in_clear(accounts_app):
    with accounts_app.app_context():
        _, secret = store().create_token("editor")
        engine = store().engine
    tables = MetaData()
    tables.reflect(engine)
    with engine.connect() as connection:
        everything = " ".join(str(value) for table in tables.sorted_tables
                              for row in connection.execute(select(table)) for value in row)
    assert "$argon2id$" in everything
    for clear in (*PASSWORDS.values(), secret, secret.removeprefix("pressroom_")):
        assert clear not in everything


def test_the_command_line_reads_passwords_from_stdin_and_shows_a_token_once(runner, content_dir):
    from pressroom.cli import main

    where = ["--content", str(content_dir)]
    added = runner.invoke(main, ["users", "add", "ada", "--role", "editor", *where], input="ada-password\n")
    assert added.exit_code == 0 and "ada-password" not in added.output
    short = runner.invoke(main, ["users", "add", "bob", "--role", "reader", *where], input="short\n")
    assert short.exit_code == 1 and "shorter than 8 characters" in short.output
    made = runner.invoke(main, ["tokens", "create", "ada", "--expires", "30", "--label", "cms", *where])
    secret = made.stdout.strip()
    assert made.exit_code == 0 and secret.startswith("pressroom_")
    listed = runner.invoke(main, ["tokens", "list", *where]).output
    assert "ada\teditor\tcms" in listed and secret not in listed
    too_much = runner.invoke(main, ["tokens", "create", "ada", "--role", "admin", *where])
    assert too_much.exit_code == 1 and "at most editor" in too_much.output
    assert "ada\teditor" in runner.invoke(main, ["users", "list", *where]).output
    log = runner.invoke(main, ["audit", *where]).output
    assert "added the account\tada" in log and "made a token\tada cms (#1)" in log and secret not in log


def test_serving_other_computers_with_no_account_is_refused_saying_how_to_make_one(runner, content_dir, monkeypatch):
    from pressroom.cli import main

    monkeypatch.setenv("PRESSROOM_TRUSTED_HOSTS", "press.example.org")
    refused = runner.invoke(main, ["serve", "--host", "192.0.2.10", "--content", str(content_dir)])
    assert refused.exit_code == 1 and "pressroom users add NAME --role admin" in refused.output


def test_an_e_reader_browses_opds_with_http_basic_and_a_token_and_guessing_is_limited(content_dir):
    app = create_app({"CONTENT_DIR": str(content_dir), "TESTING": True, "SECRET_KEY": "k", "SIGN_IN_ATTEMPTS": 3,
                      "SIGN_IN_DELAY_SECONDS": 0, "WALK_SECONDS": 0})
    make_accounts(app)
    client = app.test_client()
    missing = client.get("/opds/")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Basic")
    assert missing.mimetype == "text/plain"  # never an HTML page an e-reader would keep
    codes = [client.get("/opds/articles", auth=("reader", "wrong-password")).status_code for _ in range(5)]
    assert codes[:3] == [401, 401, 401] and codes[3:] == [429, 429]
    other = {"REMOTE_ADDR": "127.0.0.9"}
    assert client.get("/opds/", auth=("reader", PASSWORDS["reader"]), environ_base=other).status_code == 200
    with app.app_context():
        _, secret = store().create_token("reader", label="e-reader")
    feed = client.get("/opds/articles", auth=("reader", secret), environ_base=other)
    assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
