"""The resource fetcher: the article's own images and the templates, nothing else."""

from __future__ import annotations

import pytest

from pressroom.exporters.pdf import IN_MEMORY
from pressroom.exporters.pdf.fetcher import ArticleURLFetcher, RefusedResource
from pressroom.exporters.rendering import TEMPLATES_DIR


@pytest.fixture
def fetcher(rich):
    return ArticleURLFetcher({IN_MEMORY + asset.href: (asset.media_type, asset.read_bytes()) for asset in rich.assets})


def test_serves_the_articles_images_and_the_templates(rich, fetcher):
    image = rich.assets[0]
    assert fetcher.fetch(IN_MEMORY + image.href).read() == image.read_bytes()
    font = TEMPLATES_DIR / "fonts" / "CharisSIL-Regular.ttf"
    assert fetcher.fetch(font.as_uri()).read()[:4] == font.read_bytes()[:4]


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:9/",
    "https://example.org/a.png",
    "data:text/plain,hello",
    "ftp://example.org/x",
    "file://remote-host/etc/passwd",
])
def test_refuses_everything_else(fetcher, url):
    with pytest.raises(RefusedResource):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


@pytest.mark.parametrize("path", ["images/boat.png", "images/../article.md", "../article.md"])
def test_refuses_the_articles_files_by_their_paths(rich, fetcher, path):
    """Images come from memory by their names; no file beside the article is read by its path."""
    with pytest.raises(RefusedResource):
        fetcher.fetch((rich.source_path.parent / path).as_uri())
    with pytest.raises(RefusedResource):
        fetcher.fetch(IN_MEMORY + path if path != "images/boat.png" else IN_MEMORY + "images/other.png")


def test_refuses_a_symlink_out_of_the_templates(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("canary", encoding="utf-8")
    templates = tmp_path / "templates"
    (templates / "pdf").mkdir(parents=True)
    (templates / "pdf" / "print.css").write_text("p {}", encoding="utf-8")
    link = templates / "pdf" / "linked.css"
    link.symlink_to(secret)
    fetcher = ArticleURLFetcher(templates=templates)
    assert fetcher.fetch((templates / "pdf" / "print.css").as_uri()).read() == b"p {}"
    with pytest.raises(RefusedResource):
        fetcher.fetch(link.as_uri())
