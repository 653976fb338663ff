"""Front matter where text is expected: the text as written, XML-clean, titles on one line; no aliases."""

from __future__ import annotations

import re

import pytest

from pressroom.articles import ContentError, read_article_bytes
from pressroom.articles.readers.yaml_loader import MAX_ITEMS, MAX_VALUE_CHARS
from pressroom.cli import main


def read(tmp_path, front: str):
    return read_article_bytes(tmp_path / "x.md", f"---\n{front}---\nBody\n".encode())


@pytest.mark.parametrize("written", ["1984", ".inf", "2024-01-01", "yes", "0x1F", "1_000", "2024-02-30", "~x"])
def test_a_text_field_is_its_source_text_as_written(tmp_path, written):
    article = read(tmp_path, f"title: {written}\nsubtitle: {written}\nauthor: {written}\nsubjects: [{written}]\n")
    meta = article.metadata
    assert (meta.title, meta.subtitle, meta.authors[0].name, meta.subjects) == (written, written, written, (written,))


@pytest.mark.parametrize(("value", "kind"), [("[a, b]", "a list"), ("{a: b}", "a mapping"), ("\n  - a", "a list")])
def test_a_list_or_mapping_where_text_is_expected_is_an_error_with_the_line(tmp_path, value, kind):
    with pytest.raises(ContentError, match=rf"line 3: 'subtitle' must be text, not {kind}"):
        read(tmp_path, f"title: T\nsubtitle: {value}\n")


@pytest.mark.parametrize("escape", ["\\x01", "\\u0085", "\\x7f", "\\ud800", "\\uffff", "\\x9f"])
def test_control_characters_from_yaml_escapes_are_removed_with_a_warning(tmp_path, escape):
    article = read(tmp_path, f'title: T\nlang: en\nsubtitle: "a{escape}b"\n')
    assert article.metadata.subtitle == "ab"
    assert article.warnings == (f"{tmp_path / 'x.md'}, line 4: 1 control character (such as U+"
                                f"{ord(escape.encode().decode('unicode_escape', 'surrogatepass')):04X}) removed "
                                "from 'subtitle': no edition can hold them",)


def test_line_breaks_in_a_title_are_folded_to_spaces_and_a_description_keeps_them(tmp_path):
    article = read(tmp_path, 'title: "Two\\nlines\\u2028and\\tmore"\ndescription: |\n  First.\n  Second.\n')
    assert article.metadata.title == "Two lines and more"
    assert article.metadata.description == "First.\nSecond."


def test_a_title_with_a_newline_exports_as_pdf_and_epub(runner, tmp_path):
    source = tmp_path / "newline.md"
    source.write_text('---\ntitle: "A title\\non two lines"\n---\n\nBody.\n', encoding="utf-8")
    result = runner.invoke(main, ["export", str(source), "-f", "pdf", "-f", "epub", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["newline.epub", "newline.pdf"]


@pytest.mark.parametrize(("front", "line", "written"), [
    ("title: T\na: &a [x, x]\n", 3, "anchor '&a'"),
    ("a: [x]\ntitle: T\ndate: *g\n", 4, "alias '*g'"),
    ("title: T\n? *g\n: x\n", 3, "alias '*g'"),
])
def test_anchors_and_aliases_are_refused_on_their_line(tmp_path, front, line, written):
    with pytest.raises(ContentError, match=rf"line {line}: the front matter uses the YAML {re.escape(written)}"):
        read(tmp_path, front)


def test_the_alias_bomb_is_refused_without_being_built(tmp_path):
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]" for a, b in zip("abcdef", "bcdefg")]
    with pytest.raises(ContentError, match=r"line 2: .*anchor '&a'") as caught:
        read(tmp_path, "\n".join(levels) + "\ntitle: T\ndate: *g\n")
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize(("front", "line"), [
    (f"title: T\ndescription: {'x' * (MAX_VALUE_CHARS + 1)}\n", 3),
    (f"title: T\nsubjects: [{', '.join(['s'] * (MAX_ITEMS + 1))}]\n", 3),
])
def test_every_value_is_capped(tmp_path, front, line):
    with pytest.raises(ContentError, match=rf"line {line}: a value of the front matter is longer than"):
        read(tmp_path, front)


def test_an_unknown_tag_on_a_text_field_is_refused(tmp_path):
    with pytest.raises(ContentError, match=r"line 2: .*could not determine a constructor"):
        read(tmp_path, "title: !!python/name:os.system x\n")
