"""Article bodies obey HTML's content model whatever HTML came in: generated malformed nestings are
repaired (checked against the rules written out here, apart from the repair), keep their text in
order, are repaired once for all, and make EPUBs that EPUBCheck passes."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from pressroom.articles import read_article_bytes
from pressroom.articles.content.content_model import repair_content_model
from pressroom.articles.content.fragments import make_fragment
from pressroom.articles.content.sanitize import ALLOWED_TAGS, sanitize_html
from pressroom.exporters import ExportOptions
from pressroom.exporters.epub import EpubExporter
from validators import epubcheck_reports

# The rules, from the HTML Living Standard as EPUB 3's XHTML schema enforces them.
PHRASING = {"a", "abbr", "b", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins", "kbd", "mark", "q", "s",
            "samp", "small", "span", "strong", "sub", "sup", "u", "var"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
FLOW = PHRASING | HEADINGS | {"p", "div", "blockquote", "ul", "ol", "dl", "table", "figure", "hr", "pre"}
# What each element may hold: "phrasing", "flow", "transparent" (what its parent may), or the only
# elements it may hold (with no text but white space).
HOLDS = {
    **{tag: "phrasing" for tag in PHRASING | HEADINGS | {"p", "pre"}},
    **{tag: "transparent" for tag in ("a", "ins", "del")},
    **{tag: "flow" for tag in ("div", "blockquote", "li", "dd", "dt", "td", "th", "caption", "figcaption", "figure")},
    "ul": {"li"}, "ol": {"li"}, "dl": {"dt", "dd"}, "tr": {"td", "th"}, "tbody": {"tr"}, "thead": {"tr"},
    "tfoot": {"tr"}, "colgroup": {"col"}, "table": {"caption", "colgroup", "thead", "tbody", "tfoot", "tr"},
    **{tag: "nothing" for tag in ("br", "col", "hr", "img")},
}
# Elements no ancestor named beside them may have.
FORBIDDEN_INSIDE = {"a": {"a"}, "dfn": {"dfn"}, "table": {"caption"}, **{tag: {"th", "dt"} for tag in HEADINGS}}
ORDER = {"table": re.compile(r"(caption )?(colgroup )*(thead )?((tbody )*|(tr )+)(tfoot )?"),
         "dl": re.compile(r"((dt )+(dd )+)*"),
         "figure": re.compile(r"(figcaption )?((?!figcaption )\S+ )*|((?!figcaption )\S+ )*figcaption ")}


def violations(root) -> list[str]:
    """Where the tree under `root` (a container of flow content) breaks the rules above."""
    found = []
    for element in root.iter():
        rule = HOLDS.get(element.tag, "flow") if element is not root else "flow"
        holder = element
        while rule == "transparent":
            holder = holder.getparent()
            rule = HOLDS.get(holder.tag, "flow") if holder is not root else "flow"
        children = [child.tag for child in element]
        texts = [element.text] + [child.tail for child in element]
        where = f"<{element.tag}> in <{element.getparent().tag if element.getparent() is not None else '-'}>"
        if rule == "nothing" and (children or any(texts)):
            found.append(f"{where} holds content")
        elif rule == "phrasing" and set(children) - PHRASING:
            found.append(f"{where} holds {sorted(set(children) - PHRASING)}")
        elif rule == "flow" and set(children) - FLOW - ({"figcaption"} if element.tag == "figure" else set()):
            found.append(f"{where} holds {sorted(set(children) - FLOW)}")
        elif isinstance(rule, set) and (set(children) - rule or any((text or "").strip(" \t\n\r") for text in texts)):
            found.append(f"{where} holds {children} or text")
        if element.tag in ORDER and not ORDER[element.tag].fullmatch(_significant(element)):
            found.append(f"{where} holds {_significant(element)!r}, out of order")
        ancestors = {ancestor.tag for ancestor in element.iterancestors()}
        if FORBIDDEN_INSIDE.get(element.tag, set()) & ancestors:
            found.append(f"{where} is inside {sorted(FORBIDDEN_INSIDE[element.tag] & ancestors)}")
    return found


def _significant(element) -> str:
    """The element's children as a sequence of names ("#text" for text that is not white space)."""
    names = ["#text"] if (element.text or "").strip(" \t\n\r") else []
    for child in element:
        names.append(child.tag)
        if (child.tail or "").strip(" \t\n\r"):
            names.append("#text")
    return "".join(f"{name} " for name in names)


def test_the_rules_catch_what_they_are_for():
    def broken(markup: str) -> list[str]:
        return violations(etree.fromstring(f"<div>{markup}</div>"))

    assert broken("<p>x<em>y</em><a href='#'>z</a></p><ul><li><p>x</p></li></ul>") == []
    assert broken("<div><a href='#'><p>x</p></a></div><figure><figcaption>c</figcaption><p>x</p></figure>") == []
    assert broken("<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody/><tfoot/></table>") == []
    for markup in ("<em><p>x</p></em>", "<p><p>x</p></p>", "<p><table/></p>", "<p><ul/></p>", "<a><a>x</a></a>",
                   "<p><a><div>x</div></a></p>", "<ul>x</ul>", "<ul><p>x</p></ul>", "<li>x</li>", "<tr/>",
                   "<table><td>x</td></table>", "<table><tr/><thead/></table>", "<table><tr/><tbody/></table>",
                   "<dl><dd>x</dd></dl>", "<dl><dt>x</dt></dl>",
                   "<figure><p>a</p><figcaption>c</figcaption><p>b</p></figure>",
                   "<table><caption><table/></caption></table>", "<table><tr><th><h3>x</h3></th></tr></table>",
                   "<dfn><dfn>x</dfn></dfn>", "<em><hr/></em>", "<figcaption>x</figcaption>"):
        assert broken(markup), markup


# Bodies of any of the allowed elements (and the headings the sanitiser leaves out) in any nesting.
TAGS = sorted(ALLOWED_TAGS | {"h1", "h2"})
VOID = {"br", "col", "hr", "img"}
TEXT = st.text(alphabet="abc xyz", min_size=1, max_size=4)
NODE = st.recursive(TEXT, lambda inner: st.tuples(st.sampled_from(TAGS), st.booleans(), st.lists(inner, max_size=4)),
                    max_leaves=25)
BODY = st.lists(NODE, min_size=1, max_size=4)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def tree(body) -> etree._Element:
    """The generated `body` as HTML elements under a `<div>`; the elements flagged have unique ids."""
    root = lxml_html.fromstring("<div></div>")
    ids = itertools.count(1)

    def fill(element, nodes) -> None:
        for node in nodes:
            if isinstance(node, str):
                last = element[-1] if len(element) else None
                if last is None:
                    element.text = (element.text or "") + node
                else:
                    last.tail = (last.tail or "") + node
                continue
            tag, with_id, children = node
            child = etree.SubElement(element, tag, {"id": f"n{next(ids)}"} if with_id else {})
            if tag == "a":
                child.set("href", "https://example.org/")
            elif tag == "img":
                child.set("src", "https://example.org/i.png")
                child.set("alt", "")
            if tag not in VOID:
                fill(child, children)

    fill(root, body)
    return root


def _ids(root) -> list[str]:
    return [element.get("id") for element in root.iter() if element.get("id")]


@SETTINGS
@given(body=BODY)
def test_a_repaired_body_obeys_the_content_model_and_keeps_its_text_in_order(body):
    root = tree(body)
    text, ids = root.text_content(), _ids(root)
    repair_content_model(root)
    assert violations(root) == [], lxml_html.tostring(root, encoding="unicode")
    assert root.text_content() == text
    assert sorted(_ids(root)) == sorted(ids)  # none lost, none doubled


@SETTINGS
@given(body=BODY)
def test_repair_is_done_once_for_all(body):
    root = tree(body)
    repair_content_model(root)
    once = etree.tostring(root, encoding="unicode")
    repair_content_model(root)
    assert etree.tostring(root, encoding="unicode") == once


@SETTINGS
@given(body=BODY)
def test_any_html_a_reader_passes_on_becomes_a_valid_body(body):
    html = "".join(lxml_html.tostring(child, encoding="unicode") for child in tree(body))
    fragment = make_fragment(sanitize_html(html))
    assert violations(etree.fromstring(f"<div>{fragment.html}</div>")) == [], html


@pytest.mark.parametrize(("markup", "repaired"), [
    ("<em><p>x</p></em>", "<p><em>x</em></p>"),
    ("<em>a<p>b</p>c</em>", "<em>a</em><p><em>b</em></p><em>c</em>"),
    ("<strong id='s'><blockquote>q<ul><li>l</li></ul></blockquote></strong>",
     "<strong id='s'/><blockquote><strong>q</strong><ul><li><strong>l</strong></li></ul></blockquote>"),
    ("<p>a<div>b</div>c</p>", "<p>a</p><div>b</div><p>c</p>"),
    ("<p>a<table><tr><td>b</td></tr></table></p>", "<p>a</p><table><tr><td>b</td></tr></table>"),
    ("<p><a href='h'>a<div>b</div></a></p>", "<p><a href='h'>a</a></p><div><a href='h'>b</a></div>"),
    ("<div><a href='h'><p>x</p></a></div>", "<div><a href='h'><p>x</p></a></div>"),
    ("<a href='h'>a<a href='i'>b</a>c</a>", "<a href='h'>abc</a>"),
    ("<ul>a<li>b</li><p>c</p></ul>", "<ul><li>a</li><li>b</li><li><p>c</p></li></ul>"),
    ("<li>a</li> <li>b</li>", "<ul><li>a</li> <li>b</li></ul>"),
    ("<dd>a</dd><dt>b</dt>", "<dl><dt/><dd>a</dd><dt>b</dt><dd/></dl>"),
    ("<td>a</td>", "<table><tr><td>a</td></tr></table>"),
    ("<table>a<tr>b</tr></table>", "<table><tr><td>a</td></tr><tr><td>b</td></tr></table>"),
    ("<table><tr><td>a</td></tr><thead><tr><td>h</td></tr></thead><caption>c</caption></table>",
     "<table><tbody><tr><td>a</td></tr></tbody><tbody><tr><td>h</td></tr></tbody>"
     "<tbody><tr><td>c</td></tr></tbody></table>"),
    ("<table><tfoot><tr><td>f</td></tr></tfoot><tbody><tr><td>b</td></tr></tbody></table>",
     "<table><tbody><tr><td>f</td></tr></tbody><tbody><tr><td>b</td></tr></tbody></table>"),
    ("<table> <caption>c</caption><tr><td>a</td></tr><colgroup><col/></colgroup></table>",
     "<table> <caption>c</caption><colgroup><col/></colgroup><tr><td>a</td></tr></table>"),
    ("<table><tr><th><h3>h</h3></th></tr></table>", "<table><tr><th><p>h</p></th></tr></table>"),
    ("<table><caption><table><tr><td>a</td></tr></table></caption></table>",
     "<table><caption><div><div><div>a</div></div></div></caption></table>"),
    ("<figure><figcaption>a</figcaption><p>x</p><figcaption>b</figcaption></figure>",
     "<figure><figcaption>a</figcaption><p>x</p>b</figure>"),
    ("<dfn>a<dfn>b</dfn></dfn>", "<dfn>ab</dfn>"),
    ("<a href='h'><abbr><a href='i' id='i'><blockquote>b</blockquote></a></abbr></a>",
     "<a href='h'><abbr><span id='i'/></abbr><blockquote><abbr>b</abbr></blockquote></a>"),
    ("<colgroup id='g'><col/></colgroup>", "<span id='g'/>"),
    ("<caption><table><dt>t</dt></table></caption>", "<div><div><div><dl><dt>t</dt><dd/></dl></div></div></div>"),
    ("<table><caption><td>a</td></caption></table>",
     "<table><caption><div><div><div>a</div></div></div></caption></table>"),
    ("<em>a<hr/>b</em>", "<em>a</em><hr/><em>b</em>"),
])
def test_each_kind_of_misplaced_element_is_repaired(markup, repaired):
    root = etree.fromstring(f"<div>{markup}</div>")
    repair_content_model(root)
    assert etree.tostring(root, encoding="unicode") == etree.tostring(etree.fromstring(f"<div>{repaired}</div>"),
                                                                       encoding="unicode")


def _epub_of(bodies: list[str], folder) -> object:
    """An EPUB of a Markdown article whose sections hold `bodies` as raw HTML."""
    sections = "".join(f"## Part {number}\n\n<div>{body}</div>\n\n" for number, body in enumerate(bodies, 1))
    path = folder / "malformed.md"
    article = read_article_bytes(path, f"---\ntitle: Malformed\n---\n\n{sections}".encode())
    exporter = EpubExporter()
    edition = exporter.export(article, exporter.settings(ExportOptions(cover=False, page_list=False)))
    target = folder / f"malformed-{len(list(folder.glob('*.epub')))}.epub"
    target.write_bytes(edition.main.data)
    return target


def test_an_epub_of_malformed_bodies_passes_epubcheck(tmp_path):
    bodies = ["<em><p>An emphasised paragraph.</p></em>", "<p>Split <table><tr><td>here</td></tr></table> twice.</p>",
              "<ul>loose<p>paragraph</p><li>item</li></ul>", "<dl><dd>no term</dd><dt>no definition</dt></dl>",
              "<table><tr><td>a</td></tr><thead><tr><th><h3>late head</h3></th></tr></thead></table>",
              "<a href='https://example.org/'>link <div>around a block</div></a>", "<span><li>stray item</li></span>",
              "<figure><p>x</p><figcaption>one</figcaption><figcaption>two</figcaption></figure>",
              "<ol start='x'><li>a</li></ol><table><tr><td colspan='0' rowspan='abc'>c</td><th scope='foo'>h</th></tr>"
              "</table><p id='a b' lang='??'>p</p><blockquote cite='a file'>q</blockquote>"]
    reports = epubcheck_reports([_epub_of(bodies, tmp_path)])
    assert list(reports.values()) == [[]]


# One EPUBCheck (a Java process) per example: a few examples, and a failure reported as found (shrinking
# it would start EPUBCheck hundreds of times; the tree's own properties above shrink quickly).
@settings(max_examples=3, deadline=None, phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(bodies=st.lists(BODY, min_size=12, max_size=12))
def test_an_epub_of_generated_bodies_passes_epubcheck(tmp_path, bodies):
    html = ["".join(lxml_html.tostring(child, encoding="unicode") for child in tree(body)) for body in bodies]
    path = _epub_of(html, tmp_path)
    messages = epubcheck_reports([path])[path]
    assert messages == [], (html, messages)
