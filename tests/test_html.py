"""The HTML edition: one self-contained file."""

from __future__ import annotations

from lxml import html as lxml_html

from pressroom.execution import export
from pressroom.exporters.xhtml import ARTICLE_ID_PREFIX


def test_the_html_edition_is_self_contained(rich):
    document = lxml_html.fromstring(export(rich, "html"))
    assert document.get("lang") == "en-GB"
    assert document.findtext(".//title") == "Field Notes from the Harbour"
    assert [img.get("src")[:22] for img in document.iter("img")] == ["data:image/png;base64,"]
    assert not document.xpath("//link[@rel='stylesheet'] | //script")
    assert ".section-title" in document.findtext(".//style")


def test_the_html_edition_uses_the_shared_body(sample):
    document = lxml_html.fromstring(export(sample, "html"))
    sections = document.xpath("//section[contains(@class, 'section')]")
    assert [s.get("id") for s in sections] == [f"{ARTICLE_ID_PREFIX}{s.id}" for s in sample.sections]
    assert [a.get("href") for a in document.xpath("//nav[@class='article-toc']//a")] == [
        f"#{ARTICLE_ID_PREFIX}{s.id}" for s in sample.contents]
