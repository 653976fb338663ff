"""Periodicals in the web UI: listed with their issues; "make an issue now" makes one from feeds on
loopback; a broken YAML is named with its line, an unknown periodical is a 404."""

from __future__ import annotations

import re

import pytest

from feed_site import NewsSite, news_routes, news_site
from pressroom.app import create_app


@pytest.fixture
def web(content_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSROOM_CATALOGUE_DIR", str(tmp_path / "catalogues"))
    app = create_app({"CONTENT_DIR": str(content_dir), "TESTING": True, "SECRET_KEY": "test-secret",
                      "WORK_PATIENCE_SECONDS": None, "WALK_SECONDS": 0, "ALLOWED_FETCH_HOSTS": ("127.0.0.1",)})
    return app.test_client()


def test_make_an_issue_now_lists_it_under_its_periodical(web, tmp_path):
    with news_site() as base:
        NewsSite.routes = news_routes(base, [1, 2], [11])
        (tmp_path / "periodicals").mkdir()
        (tmp_path / "periodicals" / "morning.yaml").write_text(
            f"title: The Morning Paper\nfeeds:\n  - url: {base}/rss.xml\n  - url: {base}/atom.xml\n", encoding="utf-8")
        page = web.get("/periodicals/").get_data(as_text=True)
        assert "The Morning Paper" in page and "No issue yet" in page
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        made = web.post("/periodicals/morning/issues", data={"csrf_token": token}, follow_redirects=True)
    assert made.status_code == 200
    listed = made.get_data(as_text=True)
    assert "issue 1, 3 articles" in listed and "No. 1," in listed
    assert 'href="/books/morning-issue-1/' in listed
    assert (tmp_path / "content" / "morning-issue-1.yaml").exists()


def test_a_broken_periodical_is_named_with_its_line_and_an_unknown_one_is_a_404(web, tmp_path):
    (tmp_path / "periodicals").mkdir()
    (tmp_path / "periodicals" / "broken.yaml").write_text("title: Broken\nfeeds: nothing\n", encoding="utf-8")
    page = web.get("/periodicals/").get_data(as_text=True)
    assert "broken.yaml, line 2" in page
    with web.session_transaction() as session:
        session["csrf"] = "token"
    assert web.post("/periodicals/nothing-here/issues", data={"csrf_token": "token"}).status_code == 404
    assert web.post("/periodicals/broken/issues", data={"csrf_token": "token"}).status_code == 422
    assert web.post("/periodicals/broken/issues", data={"csrf_token": "forged"}).status_code == 400
