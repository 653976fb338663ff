"""The YAML loader: every key with its file line, and every failure a content error naming the line."""

from __future__ import annotations

import re
import shutil

import pytest

from pressroom.articles import ContentError, Library, read_article_bytes
from pressroom.articles.readers import yaml_loader
from pressroom.articles.readers.yaml_loader import MAX_QUOTED_CHARS, YamlLoader
from pressroom.cli import main
from conftest import FIXTURES

CONTROL_CHARACTER_FIXTURES = [
    ("front_matter_with_a_delete_character.md", "U+007F"),
    ("front_matter_with_a_next_line_character.md", "U+0085"),
    ("front_matter_with_a_c1_control_character.md", "U+0090"),
]


def load(text: str, first_line: int = 1):
    return YamlLoader("book.yaml", subject="manifest", first_line=first_line).load_mapping(text)


@pytest.mark.parametrize(("fixture", "character"), CONTROL_CHARACTER_FIXTURES)
def test_export_of_front_matter_with_a_control_character_names_the_file_and_line(runner, tmp_path, fixture,
                                                                               character):
    source = FIXTURES / fixture
    result = runner.invoke(main, ["export", str(source), "-f", "md", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (f"warning: {source}, line 3: 1 control character (such as {character}) removed: no edition can hold "
            "them") in result.output.splitlines()
    assert chr(int(character[2:], 16)) not in next(tmp_path.glob("*.md")).read_text(encoding="utf-8")


@pytest.mark.parametrize(("fixture", "character"), CONTROL_CHARACTER_FIXTURES)
def test_library_lists_front_matter_with_a_control_character_with_its_warning(tmp_path, fixture, character):
    shutil.copy(FIXTURES / fixture, tmp_path / fixture)
    [entry] = Library(tmp_path).entries()
    assert entry.article is not None
    assert [warning for warning in entry.article.warnings if f"line 3: 1 control character (such as {character})"
            in warning]


@pytest.mark.parametrize("character", ["\x7f", "\x80", "\x85", "\x90", "\x9f"])
def test_every_control_character_is_removed_with_a_warning_naming_its_line(tmp_path, character):
    article = read_article_bytes(tmp_path / "x.md", f"---\ntitle: a\ndate: 2024-01-01\nsubtitle: b{character}c\n---\nx"
                                 .encode())
    assert article.metadata.subtitle == "bc"
    assert [warning for warning in article.warnings if f"line 4: 1 control character (such as U+{ord(character):04X})"
            in warning]


@pytest.mark.parametrize("character", ["\u2028", "\u2029"])
def test_a_line_break_only_yaml_sees_is_refused_on_its_line(tmp_path, character):
    with pytest.raises(ContentError, match=rf"line 4: the front matter holds the character U\+{ord(character):04X}"):
        read_article_bytes(tmp_path / "x.md", f"---\ntitle: a\ndate: 2024-01-01\nsubtitle: b{character}c\n---\nx"
                           .encode())


def test_a_character_yaml_refuses_itself_is_reported_on_its_line():
    with pytest.raises(ContentError, match=r"^book\.yaml, line 2: the manifest holds the character U\+D800"):
        load("title: a\nsubtitle: b\ud800")


def test_each_value_comes_with_the_file_line_of_its_key():
    values = load("title: Notes\n\nauthors:\n  - Ada\n  - Grace\ndate: 2024-03-01\n", first_line=2)
    assert {key: line for key, (_, line) in values.items()} == {"title": 2, "authors": 4, "date": 7}
    assert values["authors"].value == ["Ada", "Grace"]


def test_an_empty_text_is_an_empty_mapping():
    assert load("") == {}


@pytest.mark.parametrize(("text", "line", "message"), [
    ("- a\n- b\n", 1, "the manifest is not a list of 'key: value' lines"),
    ("title: a\ndate: 2024-02-30\n", 2, "'date' has an impossible value"),
    ("title: a\nsubtitle: \"never closed\n\nx\n", 2, "invalid YAML manifest: while scanning a quoted scalar"),
    ("title: a\ncover: !!python/object/apply:os.system [x]\n", 2, "could not determine a constructor"),
    ("title: &a [*a]\n", 1, "the manifest uses the YAML anchor '&a'; Pressroom does not expand anchors"),
    ("title: " + "[" * 5000 + "\n", 1, "invalid YAML manifest"),
])
def test_every_failure_is_a_content_error_with_a_line(text, line, message):
    with pytest.raises(ContentError, match=re.escape(message)) as caught:
        load(text)
    assert caught.value.line == line


def test_messages_never_quote_a_long_raw_value_whole():
    tag = "x" * 500
    with pytest.raises(ContentError) as caught:
        load(f"cover: !{tag} a\n")
    assert tag not in str(caught.value) and "…" in str(caught.value)
    assert max(len(part) for part in re.findall(r"x+", str(caught.value))) < MAX_QUOTED_CHARS


def test_a_long_wrong_date_is_quoted_short(tmp_path):
    with pytest.raises(ContentError, match=r"'date' is '9{77}…', which is not a calendar date"):
        read_article_bytes(tmp_path / "x.md", b"---\ntitle: a\ndate: '" + b"9" * 500 + b"'\n---\nx")


LIBYAML_CASES = [
    "title: Notes\n\nauthors:\n  - Ada\n  - name: Grace Hopper\n    file_as: Hopper, Grace\ndate: 2024-03-01\n",
    "title: \"Quoted: with a colon\"\nsubtitle: 'single ''quoted'''\nsubjects: [a, b, \"c, d\"]\nseries_position: 2\n",
    "title: >\n  folded\n  text\ndescription: |\n  kept\n  lines\nlang: fr-CA\nrights: ~\ncover: \"\"\n",
    "title: \"caf\\u00e9 \\x41 \\t tab\"\nsubtitle: caf\u00e9 \u65e5\u672c \U0001f600\n# a comment\nlang: ja\n",
    "title: 1984\ndate: 2024-02-30\n",
    "title: a\nsubtitle: \"never closed\n\nx\n",
    "title: a\n  indented: wrongly\n",
    "title: a\ntitle: twice\n",
    "title: \"\\ud800\"\n",
    "title: &a [*a]\n",
    "- a\n- b\n",
    "\ttitle: a tab\n",
    "title: a\ncover: !!python/object/apply:os.system [x]\n",
]


@pytest.mark.parametrize("text", LIBYAML_CASES)
def test_libyaml_reads_as_pyyaml_s_own_parser_does(monkeypatch, text):
    def outcome():
        try:
            return load(text)
        except ContentError as error:
            return str(error)

    assert yaml_loader._NoAliasLoader is not yaml_loader._PurePythonLoader  # libyaml, as the lock installs it
    with_libyaml = outcome()
    monkeypatch.setattr(yaml_loader, "_NoAliasLoader", yaml_loader._PurePythonLoader)
    assert outcome() == with_libyaml


NESTED_LISTS = [f"title: a\nsubjects: {'[' * depth}{']' * depth}\n" for depth in (25, 300, 350, 400, 450, 600)]


@pytest.mark.parametrize("text", LIBYAML_CASES + NESTED_LISTS)
def test_a_text_libyaml_composes_reads_as_one_composed_here(monkeypatch, text):
    """Without "&" or "*", libyaml composes the nodes itself; what is read, or said, is the same
    (values kept as written too), however deeply the text nests."""
    def outcome():
        try:
            return YamlLoader("book.yaml", subject="manifest", as_written=("title", "subtitle", "subjects", "rights",
                                                                           "cover")).load_mapping(text)
        except ContentError as error:
            return str(error)

    composed_by_libyaml = outcome()
    monkeypatch.setattr(yaml_loader, "_LibyamlComposer", None)
    assert outcome() == composed_by_libyaml
