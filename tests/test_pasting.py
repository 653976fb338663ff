"""Pasted text: its kind told by its shape, its file named after its title."""

from __future__ import annotations

import pytest

from pressroom.articles.library.pasting import pasted_file, pasted_kind
from conftest import SAMPLE


@pytest.mark.parametrize(("text", "kind"), [
    ("---\ntitle: Notes\n---\n\nText.\n", "md"),
    ("# Notes\n\nText.\n", "md"),
    ("Notes\n=====\n\nText.\n", "md"),
    ("Notes\n\nSome *emphasis* here.\n", "md"),
    ("Notes\n\nSome **strong** words.\n", "md"),
    ("Notes\n\nA [link](https://example.org).\n", "md"),
    ("Notes\n\n```\ncode\n```\n", "md"),
    ("Notes\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "md"),
    ("Notes\n\n- one\n- two\n", "md"),
    ("Shopping\n\n1. eggs\n2. milk\n", "md"),
    ("Notes\n\nA first paragraph.\n\nA second, with snake_case_names and 2*3*4 sums.\n", "txt"),
    ("Ten Things\n\nAn opening.\n\n1. The first thing. More.\n\n2. The second thing.\n", "txt"),
    ("Ten Things\n\n1.\u00a0The first thing.\n\n2.\u00a0The second thing.\n", "txt"),
])
def test_the_kind_of_a_paste_is_told_by_its_shape(text, kind):
    assert pasted_kind(text) == kind


def test_the_sample_pasted_as_it_is_is_plain_text_named_after_its_title():
    pasted = pasted_file(SAMPLE.read_text(encoding="utf-8"))
    assert pasted.name == "28 Banned Photos That Were Secretly Smuggled Out Of North Korea.txt"


@pytest.mark.parametrize(("text", "name"), [
    ("---\ntitle: Notes on pasting\nauthor: Ada\n---\n\nSome *text*.\n", "Notes on pasting.md"),
    ("---\ntitle: \"Yes/No: a guide\"\ndate: 2024-02-30\n---\n\nBroken date.\n", "Yes No: a guide.md"),
    ("# A heading title\n\nText.\n", "A heading title.md"),
    ("", "pasted article.txt"),
])
def test_a_paste_is_named_after_its_title(text, name):
    assert pasted_file(text).name == name


def test_a_paste_sent_by_a_form_with_cr_lf_line_ends_is_read_as_typed():
    pasted = pasted_file("---\r\ntitle: Notes\r\n---\r\n\r\nText.\r\n")
    assert pasted.name == "Notes.md" and pasted.data == b"---\ntitle: Notes\n---\n\nText.\n"


def test_a_typed_name_and_kind_win_over_what_the_text_says():
    assert pasted_file("# Title\n\nText.\n", kind="txt", name="my/notes").name == "my notes.txt"
