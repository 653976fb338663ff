"""Imported metadata is right: bylines without their dates, credits gone with their images, the
standfirst printed once, table captions kept, protocol-relative images taken for web addresses."""

from __future__ import annotations

from conftest import FIXTURES
from lxml import html as lxml_html

from pressroom.articles import read_article
from pressroom.articles.markdown_writer import markdown_files
from pressroom.cli import main
from test_fetch_guard import Site, site
from web_pages import png

PAGES = FIXTURES / "web_pages"


def body_text(article) -> str:
    return " ".join(" ".join(lxml_html.fragment_fromstring(section.html or "<p></p>", create_parent="div")
                             .text_content().split()) for section in article.sections)


def test_a_date_glued_to_a_byline_is_left_out_of_the_authors_name():
    for name in ("byline_with_its_date_glued_on", "byline_by_name_comma_date",
                 "author_meta_ending_in_the_month_of_the_page"):
        article = read_article(PAGES / f"{name}.html")
        assert [author.name for author in article.metadata.authors] == ["Jane Doe"], name


def test_a_name_that_is_a_month_stays_whole_when_it_is_not_the_pages_month():
    article = read_article(PAGES / "author_named_for_a_month_that_is_not_the_pages.html")
    assert [author.name for author in article.metadata.authors] == ["Theresa May"]


def test_photo_credits_go_with_the_images_that_were_dropped():
    article = read_article(PAGES / "photo_credits_left_after_their_images.html")
    text = body_text(article)
    assert "Getty" not in text and "Reuters" not in text and "Harbour Office" not in text
    assert "<p></p>" not in "".join(section.html for section in article.sections)
    assert text.startswith("The lamps along the east quay") and text.endswith("to the end of the breakwater.")
    assert len(article.warnings) == 1 and "3 images" in article.warnings[0]


def test_a_standfirst_repeating_the_description_is_printed_once_as_the_subtitle():
    article = read_article(PAGES / "standfirst_repeating_the_description.html")
    assert article.metadata.subtitle == "The quay’s lamps are back after a dark winter, and the fishermen are glad."
    assert "glad" not in body_text(article)
    assert body_text(article).startswith("The lamps along the east quay")


def test_a_tables_caption_stays_its_caption_through_the_markdown_export(tmp_path):
    article = read_article(PAGES / "table_with_a_caption.html")
    table = lxml_html.fragment_fromstring(article.sections[0].html, create_parent="div").find(".//table")
    assert table.find("caption").text == "Nights without light, by month"
    assert [[cell.text for cell in row] for row in table.iter("tr")] == [
        ["Month", "Nights"], ["January", "31"], ["February", "20"]]
    markdown = tmp_path / "table.md"
    markdown.write_bytes(markdown_files(article)[0][1])
    again = lxml_html.fragment_fromstring(read_article(markdown).sections[0].html, create_parent="div").find(".//table")
    assert again.find("caption").text == "Nights without light, by month"
    assert [[cell.text for cell in row] for row in again.iter("tr")][0] == ["Month", "Nights"]


def test_a_protocol_relative_image_on_a_saved_page_is_dropped_as_a_web_image():
    article = read_article(PAGES / "protocol_relative_image.html")
    assert len(article.warnings) == 1
    assert "'//cdn.example/quay.svg' dropped: it is on the web" in article.warnings[0]
    assert "outside the page's folder" not in article.warnings[0]


def test_a_protocol_relative_image_on_a_fetched_page_is_fetched_through_the_guard(runner, tmp_path):
    with site({}) as base:
        host = base.removeprefix("http:")
        page = (PAGES / "protocol_relative_image.html").read_text(encoding="utf-8")
        Site.routes.update({"/a.html": (200, {"Content-Type": "text/html"},
                                        page.replace("//cdn.example/quay.svg", f"{host}/quay.png").encode()),
                            "/quay.png": (200, {"Content-Type": "image/png"}, png())})
        result = runner.invoke(main, ["export", f"{base}/a.html", "--allow-host", "127.0.0.1", "-f", "md",
                                      "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert [path for path, _, _ in Site.seen] == ["/a.html", "/quay.png"]
    assert (tmp_path / "a-images" / "01-quay.png").read_bytes() == png()
