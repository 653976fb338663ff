"""Adding a web page in the web UI: a saved page (loose files or zipped) or an address, stored as Markdown."""

from __future__ import annotations

import io
import re
import zipfile

from pressroom.app import create_app
from test_fetch_guard import Site, html_page, site
from test_web_add import token, upload
from web_pages import article_body, figure, page, png


def test_an_uploaded_saved_page_is_stored_as_markdown_with_its_images_and_the_page_beside_it(client, content_dir):
    saved = page(article_body(figure("harbour_files/lamp.png"))).encode()
    response = upload(client, [("harbour.html", saved), ("lamp.png", png())])
    assert response.status_code == 303 and response.headers["Location"] == "/articles/harbour/"
    stored = content_dir / "harbour"
    assert (stored / "harbour.md").read_text(encoding="utf-8").startswith("---\ntitle: Harbour Lights\n")
    assert (stored / "harbour-images" / "01-lamp.png").read_bytes() == png()
    assert (stored / "original" / "harbour.html").read_bytes() == saved
    assert (stored / "original" / "harbour_files" / "lamp.png").read_bytes() == png()
    preview = client.get("/articles/harbour/").get_data(as_text=True)
    assert "Harbour Lights" in preview and "/articles/harbour/files/harbour-images/01-lamp.png" in preview
    with client.get("/articles/harbour/download/epub") as download:
        assert download.status_code == 200 and download.data.startswith(b"PK")


def test_a_zipped_saved_page_with_a_lost_image_shows_the_notice_on_its_preview(client, content_dir):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as folder:
        folder.writestr("Saved/harbour.html", page(article_body(figure("harbour_files/gone.png"))))
        folder.writestr("Saved/harbour_files/other.png", png())
    response = upload(client, [("saved.zip", archive.getvalue())])
    assert response.status_code == 303 and response.headers["Location"] == "/articles/harbour/"
    text = client.get("/articles/harbour/").get_data(as_text=True)
    assert "harbour.html: image &#39;harbour_files/gone.png&#39; dropped" in text
    assert "gone.png" not in client.get("/articles/harbour/").get_data(as_text=True)  # said once
    assert (content_dir / "harbour" / "harbour.md").exists()


def test_an_address_is_fetched_once_from_an_allowed_host_and_stored(content_dir):
    app = create_app({"CONTENT_DIR": str(content_dir), "TESTING": True, "SECRET_KEY": "test",
                      "ALLOWED_FETCH_HOSTS": ["127.0.0.1"]})
    client = app.test_client()
    routes = {"/news/lights.html": html_page(), "/news/images/lamp.png": (200, {"Content-Type": "image/png"}, png())}
    with site(routes) as base:
        response = client.post("/add", data={"csrf_token": token(client), "source": "address",
                                             "url": f"{base}/news/lights.html"})
        assert response.status_code == 303 and response.headers["Location"] == "/articles/lights/"
        assert client.get("/articles/lights/").status_code == 200
        with client.get("/articles/lights/download/pdf") as download:
            assert download.data.startswith(b"%PDF-")
        assert [path for path, _, _ in Site.seen] == ["/news/lights.html", "/news/images/lamp.png"]  # once
    markdown = (content_dir / "lights" / "lights.md").read_text(encoding="utf-8")
    assert f"source_url: {base}/news/lights.html" in markdown
    assert (content_dir / "lights" / "original" / "lights.html").read_bytes() == html_page()[2]


def test_an_address_on_a_host_not_allowed_is_refused_in_the_form_saying_how_the_operator_allows_it(client, content_dir):
    with site({"/a.html": html_page()}) as base:
        url = base.replace("127.0.0.1", "localhost") + "/a.html"
        response = client.post("/add", data={"csrf_token": token(client), "source": "address", "url": url})
        assert Site.seen == []
    assert response.status_code == 422
    error = re.search(r'id="address-error">([^<]*)<', response.get_data(as_text=True)).group(1)
    assert f"{url}: refused: localhost is not a public address" in error
    assert "`pressroom serve --allow-host localhost`" in error and "PRESSROOM_FETCH_ALLOWED_HOSTS=localhost" in error
    assert "127.0.0.1" not in error and "::1" not in error and "loopback" not in error
    assert not (content_dir / "a").exists()


def test_an_image_on_a_host_not_allowed_is_dropped_with_a_notice_that_reveals_no_address(content_dir):
    app = create_app({"CONTENT_DIR": str(content_dir), "TESTING": True, "SECRET_KEY": "test",
                      "ALLOWED_FETCH_HOSTS": ["127.0.0.1"]})
    client = app.test_client()
    with site({}) as base:
        image = base.replace("127.0.0.1", "localhost") + "/lamp.png"
        Site.routes.update({"/a.html": (200, {"Content-Type": "text/html"}, page(article_body(figure(image))).encode()),
                            "/lamp.png": (200, {"Content-Type": "image/png"}, png())})
        response = client.post("/add", data={"csrf_token": token(client), "source": "address", "url": f"{base}/a.html"})
        assert response.status_code == 303
        assert [path for path, _, _ in Site.seen] == ["/a.html"]
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    notice = re.search(r"image &#39;[^&]*lamp\.png&#39; dropped: [^<]*", preview).group(0)
    assert "localhost is not a public address" in notice and "--allow-host localhost" in notice
    assert "127.0.0.1" not in notice and "is at" not in notice and "loopback" not in notice


def test_the_hosts_of_pressroom_fetch_allowed_hosts_may_be_fetched_from(content_dir, monkeypatch):
    monkeypatch.setenv("PRESSROOM_FETCH_ALLOWED_HOSTS", " news.test , 127.0.0.1,")
    client = create_app({"CONTENT_DIR": str(content_dir), "TESTING": True, "SECRET_KEY": "test"}).test_client()
    with site({"/lights.html": html_page()}) as base:
        response = client.post("/add", data={"csrf_token": token(client), "source": "address",
                                             "url": f"{base}/lights.html"})
    assert response.status_code == 303 and (content_dir / "lights" / "lights.md").exists()
