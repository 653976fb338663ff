"""The Markdown reader: front matter, sections, footnotes, images, and its errors."""

from __future__ import annotations

import datetime

import pytest

from pressroom.articles import Author, ContentError, read_article
from conftest import FIXTURES


def test_front_matter_fills_the_metadata(rich):
    meta = rich.metadata
    assert meta.title == "Field Notes from the Harbour"
    assert meta.subtitle == "A week among the fishing boats"
    assert meta.authors == (Author("Ada Lovelace", "Lovelace, Ada"), Author("Grace Hopper"))
    assert meta.language == "en-GB"
    assert meta.date == datetime.date(2024, 3, 1)
    assert meta.subjects == ("harbours", "fishing")
    assert (meta.series, meta.series_position) == ("Coastal Notes", 2)
    assert meta.identifier == "urn:isbn:9780000000002"


def test_second_level_headings_open_sections(rich):
    assert [(s.id, s.title) for s in rich.sections] == [
        ("opening", ""), ("the-boats", "The boats"), ("the-tides", "The tides")]


def test_footnotes_belong_to_the_section_that_cites_them(rich):
    intro, boats, tides = rich.sections
    assert [note.id for note in intro.footnotes] == ["fn-1"]
    assert boats.footnotes == ()
    assert [note.number for note in tides.footnotes] == [2]
    assert "<em>most</em> days" in tides.footnotes[0].html
    assert [(citation.note.id, citation.first) for citation in tides.citations] == [("fn-2", True)]
    before, _ = tides.passages()[0]
    assert before.endswith("printed in the harbour office.") and "pressroom-citation" not in tides.html


def test_a_lone_image_becomes_a_figure_with_its_asset(rich):
    boats = rich.sections[1]
    assert '<figure><img src="images/boat.png" alt="A blue fishing boat moored at a stone quay"/>' in boats.html
    assert [(image.href, image.alt) for image in boats.images] == [
        ("images/boat.png", "A blue fishing boat moored at a stone quay")]
    assert "<figcaption>The Mary Ellen at the east quay</figcaption>" in boats.html
    assert [(a.href, a.media_type) for a in rich.assets] == [("images/boat.png", "image/png")]


def test_tables_and_code_survive_sanitising(rich):
    tides = rich.sections[2]
    assert "<table>" in tides.html and 'style="text-align:right"' in tides.html
    assert "<pre><code>tide = high if moon else low" in tides.html


def test_title_from_the_first_heading_without_front_matter():
    article = read_article(FIXTURES / "article_without_front_matter.md")
    assert article.title == "A Plain Markdown Article"
    assert [s.title for s in article.sections] == ["", "First part", "Second part"]
    assert article.metadata.language == "en"


def test_raw_html_is_sanitised(tmp_path):
    source = tmp_path / "x.md"
    source.write_text('# T\n\n<script>alert(1)</script><p onclick="x()">hi <a href="javascript:x">l</a></p>\n',
                      encoding="utf-8")
    html = read_article(source).sections[0].html
    assert "script" not in html and "onclick" not in html and "javascript" not in html
    assert "hi" in html


def test_remote_images_are_dropped_with_a_warning(tmp_path):
    source = tmp_path / "x.md"
    source.write_text("---\nlang: en\n---\n# T\n\nText ![remote](https://example.org/a.png) and ![up](../secret.png)\n", encoding="utf-8")
    article = read_article(source)
    assert "<img" not in article.sections[0].html
    assert len(article.warnings) == 2
    assert article.warnings[0].startswith(f"{source}, line 6: image 'https://example.org/a.png' dropped")


@pytest.mark.parametrize(("fixture", "line", "message"), [
    ("front_matter_with_wrong_type.md", 6, "an entry of 'authors' has no 'name'"),
    ("front_matter_with_invalid_yaml.md", 3, "invalid YAML front matter: while scanning a quoted scalar"),
    ("front_matter_with_impossible_date.md", 3, "'date' has an impossible value"),
    ("markdown_without_title.md", 1, "the article has no title"),
])
def test_bad_markdown_names_file_line_and_problem(fixture, line, message):
    path = FIXTURES / fixture
    with pytest.raises(ContentError) as error:
        read_article(path)
    assert error.value.line == line
    assert str(error.value).startswith(f"{path}, line {line}: {message}")
    assert error.value.fix


def test_wrong_language_type_is_reported(tmp_path):
    source = tmp_path / "x.md"
    source.write_text("---\ntitle: T\nlang: [en]\n---\nBody\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"line 3: 'lang' must be text, not a list"):
        read_article(source)


def test_yaml_python_tags_are_refused(tmp_path):
    source = tmp_path / "x.md"
    source.write_text("---\ntitle: !!python/object/apply:os.system ['true']\n---\nBody\n", encoding="utf-8")
    with pytest.raises(ContentError, match="invalid YAML front matter"):
        read_article(source)


def test_a_missing_image_is_a_content_error(tmp_path):
    source = tmp_path / "x.md"
    source.write_text("# T\n\n![gone](gone.png)\n", encoding="utf-8")
    with pytest.raises(ContentError, match="the image 'gone.png' does not exist"):
        read_article(source)


def test_an_image_is_typed_by_its_bytes_not_its_name(tmp_path):
    (tmp_path / "fake.png").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    source = tmp_path / "x.md"
    source.write_text("# T\n\n![fake](fake.png)\n", encoding="utf-8")
    with pytest.raises(ContentError, match="is not a PNG, JPEG, GIF or WebP file"):
        read_article(source)


def test_raw_html_images_outside_the_folder_are_dropped(tmp_path):
    source = tmp_path / "x.md"
    source.write_text('# T\n\n<p><img src="/etc/hostname" alt="a"> <img src="file:///etc/passwd"> ok</p>\n',
                      encoding="utf-8")
    article = read_article(source)
    assert "<img" not in article.sections[0].html and "ok" in article.sections[0].html
    assert article.assets == ()
    assert any("'/etc/hostname' dropped" in warning for warning in article.warnings)


def test_sections_whose_names_collide_get_unique_safe_ids():
    article = read_article(FIXTURES / "sections_whose_names_collide.md")
    ids = [section.id for section in article.sections]
    assert ids == ["opening", "notes", "notes-2", "notes-3", "section", "section-2", "section-3", "section-4",
                   "section-5", "s-2020", "s-2020-2", "s-cover", "s-nav", "s-titlepage", "s-opening", "s-page-2",
                   "s-fn-1", "boats-title-2", "boats"]
    heading_ids = {f"{section_id}-title" for section_id in ids}
    assert not heading_ids & set(ids)


def test_control_characters_spelled_as_yaml_escapes_leave_the_metadata_with_a_warning():
    article = read_article(FIXTURES / "titles_with_control_characters.md")
    assert article.title == "A title with a bell , an escape and a form feed"  # a title's spaces folded too
    assert article.metadata.subtitle == "A subtitle with a backspace"
    assert article.metadata.authors[0].name == "An author with a start-of-heading"
    for field, line in (("title", 2), ("subtitle", 3), ("authors", 4)):
        assert any(f"line {line}:" in warning and f"removed from '{field}'" in warning for warning in article.warnings)


def test_paragraphs_before_the_first_heading_are_an_untitled_opening(rich):
    opening = rich.sections[0]
    assert (opening.id, opening.title, opening.titled) == ("opening", "", False)
    assert opening.html.startswith("<p>The harbour wakes")
    assert [section.id for section in rich.contents] == ["the-boats", "the-tides"]
