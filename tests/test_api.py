"""The JSON API through Flask's test client: tokens, roles, problems, CSRF, books, and the OpenAPI
document made from the routes' own declarations."""

from __future__ import annotations

import io

import pytest
from openapi_spec_validator import validate

from account_clients import make_accounts, signed_in
from conftest import SAMPLE
from pressroom.exporters import declared_options
from pressroom.web import api
from pressroom.web.auth import store


@pytest.fixture
def tokens(app):
    """A Bearer header for a token of each role."""
    make_accounts(app)
    with app.app_context():
        return {role: {"Authorization": f"Bearer {store().create_token(role, label=f'{role} script')[1]}"}
                for role in ("reader", "editor", "admin")}


def test_the_openapi_document_is_valid_and_holds_every_api_route_and_the_exporters_options(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    routes = {(rule.rule.replace("<", "{").replace(">", "}"), method.lower())
              for rule in client.application.url_map.iter_rules() if rule.rule.startswith("/api/v1")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, operations in document["paths"].items() for method in operations}
    assert routes == documented and len(routes) == len(api.OPERATIONS)
    edition = document["paths"]["/api/v1/articles/{slug}/editions/{format_name}"]["get"]
    assert set(declared_options()) <= {parameter["name"] for parameter in edition["parameters"]}


def test_without_a_token_the_api_answers_401_with_a_problem_and_www_authenticate(app, tokens):
    client = app.test_client()
    missing = client.get("/api/v1/articles")
    assert missing.status_code == 401 and missing.mimetype == "application/problem+json"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert missing.get_json()["status"] == 401 and "Bearer" in missing.get_json()["detail"]
    wrong = client.get("/api/v1/articles", headers={"Authorization": "Bearer pressroom_not-a-token"})
    assert wrong.status_code == 401 and "invalid_token" in wrong.headers["WWW-Authenticate"]


def test_a_reader_token_reads_but_may_not_change(app, tokens):
    client = app.test_client()
    assert client.get("/api/v1/articles", headers=tokens["reader"]).status_code == 200
    refused = client.post("/api/v1/articles", json={"text": "# Tide\n\nIn."}, headers=tokens["reader"])
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert "editor" in refused.get_json()["detail"]


def test_an_editor_token_adds_reads_replaces_searches_and_deletes_and_the_audit_log_names_the_token(app, tokens):
    client = app.test_client()
    added = client.post("/api/v1/articles", json={"text": "# Harbour lights\n\nThe quayside came in."},
                        headers=tokens["editor"])
    assert added.status_code == 201 and added.headers["Location"] == "/api/v1/articles/harbour-lights"
    assert client.get("/api/v1/articles/harbour-lights", headers=tokens["editor"]).get_json()["words"] == 4
    replaced = client.put("/api/v1/articles/harbour-lights", json={"text": "# Harbour lights\n\nThe quayside went out again."},
                          headers=tokens["editor"])
    assert replaced.status_code == 200 and replaced.get_json()["words"] == 5
    found = client.get("/api/v1/articles?q=quayside&per_page=10", headers=tokens["reader"]).get_json()
    assert [article["slug"] for article in found["articles"]] == ["harbour-lights"] and found["total"] == 1
    assert client.delete("/api/v1/articles/harbour-lights", headers=tokens["editor"]).status_code == 204
    gone = client.get("/api/v1/articles/harbour-lights", headers=tokens["editor"])
    assert gone.status_code == 404 and "harbour-lights" in gone.get_json()["detail"]
    with app.app_context():
        log = [(entry.account, entry.token, entry.action) for entry in store().audit()]
    assert [action for _, _, action in log[:3]] == ["deleted", "replaced", "added"]
    assert all(account == "editor" and token.startswith("editor script (#") for account, token, _ in log[:3])


def test_an_upload_by_token_is_not_asked_for_csrf_but_a_browser_session_is(app, tokens):
    files = {"files": (io.BytesIO(b"Tide tables\n\nHigh water at noon."), "tide-tables.txt")}
    assert app.test_client().post("/api/v1/articles", data=files, headers=tokens["editor"]).status_code == 201
    browser = signed_in(app, "editor")
    files = {"files": (io.BytesIO(b"Low water\n\nAt dusk."), "low-water.txt")}
    refused = browser.post("/api/v1/articles", data=files)
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.get_json()["detail"]
    assert browser.get("/api/v1/articles/tide-tables").status_code == 200


def test_malformed_or_oversized_json_is_a_400_problem(app, tokens, monkeypatch):
    client = app.test_client()
    malformed = client.post("/api/v1/articles", data="{not json", content_type="application/json",
                            headers=tokens["editor"])
    assert malformed.status_code == 400 and malformed.mimetype == "application/problem+json"
    listed = client.post("/api/v1/articles", json=["text"], headers=tokens["editor"])
    assert listed.status_code == 400 and "object" in listed.get_json()["detail"]
    monkeypatch.setattr(api, "MAX_JSON_BYTES", 100)
    oversized = client.post("/api/v1/articles", json={"text": "word " * 100}, headers=tokens["editor"])
    assert oversized.status_code == 400 and "larger than" in oversized.get_json()["detail"]


def test_an_edition_takes_the_exporters_options_and_a_wrong_one_is_the_uis_message(app, tokens):
    client = app.test_client()
    made = client.get(f"/api/v1/articles/{SAMPLE.stem}/editions/epub?cover=off", headers=tokens["reader"])
    assert made.status_code == 200 and made.mimetype == "application/epub+zip" and made.data[:2] == b"PK"
    wrong = client.get(f"/api/v1/articles/{SAMPLE.stem}/editions/epub?cover=maybe", headers=tokens["reader"])
    assert wrong.status_code == 400 and wrong.get_json()["detail"] == "Cover is on or off, not 'maybe'"


def test_books_are_made_read_listed_and_deleted(app, tokens):
    client = app.test_client()
    made = client.post("/api/v1/books", json={"title": "Night and sea",
                                              "articles": [SAMPLE.stem, "field-notes"]}, headers=tokens["editor"])
    assert made.status_code == 201, made.get_json()
    book = client.get(made.headers["Location"], headers=tokens["reader"]).get_json()
    assert book["title"] == "Night and sea" and book["articles"] == [SAMPLE.stem, "field-notes"]
    assert [found["slug"] for found in client.get("/api/v1/books", headers=tokens["reader"]).get_json()["books"]] \
        == [book["slug"]]
    missing = client.post("/api/v1/books", json={"title": "Gone", "articles": ["nothing", "here"]},
                          headers=tokens["editor"])
    assert missing.status_code == 422 and "nothing" in missing.get_json()["detail"]
    assert client.delete(made.headers["Location"], headers=tokens["editor"]).status_code == 204


def test_a_revoked_or_expired_token_is_refused_and_a_token_is_at_most_its_accounts_role(app, tokens):
    from sqlalchemy import update

    from pressroom.accounts.schema import api_tokens
    from pressroom.accounts.store import AccountError, now

    client = app.test_client()
    with app.app_context():
        token, secret = store().create_token("reader", days=1)
        assert client.get("/api/v1/books", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
        with store().engine.begin() as connection:
            connection.execute(update(api_tokens).where(api_tokens.c.id == token.id).values(expires=now()))
        assert client.get("/api/v1/books", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
        store().revoke(store().tokens("editor")[0].id)
        with pytest.raises(AccountError, match="at most reader"):
            store().create_token("reader", role="editor")
    assert client.get("/api/v1/books", headers=tokens["editor"]).status_code == 401
