"""Attributes an author writes in raw HTML are kept only with a value HTML allows (another makes the
EPUB invalid)."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from pressroom.articles.content.sanitize import sanitize_html


@pytest.mark.parametrize(("markup", "kept", "dropped"), [
    ('<ol start="-2"><li>a</li></ol><ol start="x"><li>b</li></ol>', ("-2",), ("x",)),
    ('<table><tr><td colspan="2" rowspan="0">a</td><td colspan="0" rowspan="abc">b</td></tr></table>', ("2", "0"),
     ("abc",)),
    ('<table><tr><th scope="row">a</th><th scope="sideways">b</th></tr></table>', ("row",), ("sideways",)),
    ('<p id="one" lang="en-GB">a</p><p id="two words" lang="??">b</p>', ("one", "en-GB"), ("two words", "??")),
    ('<blockquote cite="https://example.org/a">a</blockquote><blockquote cite="a file">b</blockquote>',
     ("https://example.org/a",), ("a file",)),
    ('<img src="https://example.org/a.png" alt="" width="40" height="50%">', ("40",), ("50%",)),
])
def test_only_values_html_allows_are_kept(markup, kept, dropped):
    values = [value for element in lxml_html.fragment_fromstring(sanitize_html(markup), create_parent="div").iter()
              for value in element.attrib.values()]
    assert all(value in values for value in kept)
    assert not any(value in values for value in dropped)
