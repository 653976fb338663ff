"""A periodical's YAML: read with its defaults; each mistake an error naming its line and the fix."""

from __future__ import annotations

import pytest

from pressroom.errors import ContentError
from pressroom.periodicals.definition import read_periodical

GOOD = "title: The Morning Paper\nfeeds:\n  - url: https://example.org/rss.xml\n    title: Example\n    items: 5\n"


def written(tmp_path, text: str):
    path = tmp_path / "morning.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_periodical_is_read_with_its_defaults(tmp_path):
    periodical = read_periodical(written(tmp_path, GOOD))
    assert (periodical.slug, periodical.title, periodical.formats, periodical.schedule, periodical.keep) == (
        "morning", "The Morning Paper", ("epub",), "0 6 * * *", 7)
    (feed,) = periodical.feeds
    assert (feed.url, feed.title, feed.items, feed.content, feed.line) == ("https://example.org/rss.xml", "Example", 5,
                                                                           "page", 3)


@pytest.mark.parametrize(("text", "line", "words"), [
    (GOOD + "colour: blue\n", 6, "no key 'colour'"),
    (GOOD + "schedule: every morning\n", 6, "not a cron line"),
    (GOOD + "formats: [parchment]\n", 6, "parchment"),
    (GOOD + "keep: 0\n", 6, "'keep'"),
    (GOOD + "send: [not-an-address]\n", 6, "not-an-address"),
    (GOOD.replace("items: 5", "items: 5000"), 5, "'items'"),
    (GOOD.replace("https://example.org/rss.xml", "file:///etc/passwd"), 3, "not a web address"),
    (GOOD + "  - url: https://example.org/rss.xml\n", 6, "listed twice (first on line 3)"),
    ("title: T\nfeeds: nothing\n", 2, "'feeds' must be a list"),
    ("title: T\nfeeds:\n  - title: no address\n", 3, "needs a 'url'"),
])
def test_each_mistake_is_named_with_its_line(tmp_path, text, line, words):
    with pytest.raises(ContentError) as raised:
        read_periodical(written(tmp_path, text))
    assert raised.value.line == line
    assert words in str(raised.value)
    assert raised.value.fix
