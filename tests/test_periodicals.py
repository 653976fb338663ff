"""`pressroom periodical`: feeds on a loopback site bound into issues (a part per feed, an article per
new item), judged by EPUBCheck, Ace and qpdf; the next runs take only what is new; faults and attacks."""

from __future__ import annotations

import datetime
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from feed_site import NewsSite, news_routes, news_site
from pressroom.articles import read_article
from pressroom.cli import main
from pressroom.periodicals.definition import read_periodical
from pressroom.periodicals.issue import make_issue
from test_fetch_guard import connections, silent_listener
from validators import ace_violations, epubcheck_messages, qpdf_check

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(autouse=True)
def own_catalogue(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSROOM_CATALOGUE_DIR", str(tmp_path / "catalogues"))


def definition(folder: Path, base: str, formats: str = "[epub, pdf]", extra: str = "") -> Path:
    path = folder / "periodicals" / "morning.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"title: The Morning Paper\nfeeds:\n  - url: {base}/rss.xml\n    title: The Gazette\n"
                    f"  - url: {base}/atom.xml\n    title: Fishing Weekly\nformats: {formats}\n{extra}",
                    encoding="utf-8")
    return path


def run(path: Path, folder: Path, *more: str):
    return CliRunner().invoke(main, ["periodical", str(path), "--content", str(folder / "content"),
                                     "-o", str(folder / "out"), "--allow-host", "127.0.0.1", *more])


def opf_of(epub: Path):
    with zipfile.ZipFile(epub) as archive:
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        opf_path = container.xpath("//*[local-name()='rootfile']/@full-path")[0]
        opf = etree.fromstring(archive.read(opf_path))
        nav_href = opf.xpath("//opf:item[contains(@properties, 'nav')]/@href", namespaces=OPF)[0]
        nav = etree.fromstring(archive.read(str(Path(opf_path).parent / nav_href)))
    return opf, nav


def test_two_feeds_make_an_issue_of_two_parts_and_six_articles_that_validates(tmp_path):
    with news_site() as base:
        NewsSite.routes = news_routes(base, [1, 2, 3], [11, 12, 13])
        result = run(definition(tmp_path, base), tmp_path)
    assert result.exit_code == 0, result.output
    assert "issue 1, 6 articles" in result.output
    epub, pdf = tmp_path / "out" / "morning-issue-1.epub", tmp_path / "out" / "morning-issue-1.pdf"
    opf, nav = opf_of(epub)
    toc = nav.xpath("//x:nav[@epub:type='toc']/x:ol", namespaces=XHTML)[0]
    parts = toc.xpath("x:li", namespaces=XHTML)
    assert [part.xpath("string(x:a)", namespaces=XHTML).strip() for part in parts] == ["The Gazette", "Fishing Weekly"]
    assert [len(part.xpath("x:ol/x:li", namespaces=XHTML)) for part in parts] == [3, 3]
    today = datetime.datetime.now(datetime.timezone.utc).date()
    title = opf.xpath("string(//dc:title)", namespaces=OPF)
    assert title.startswith("The Morning Paper, ") and str(today.year) in title
    assert opf.xpath("string(//opf:meta[@property='belongs-to-collection'])", namespaces=OPF) == "The Morning Paper"
    assert opf.xpath("string(//opf:meta[@property='group-position'])", namespaces=OPF) == "1"
    with zipfile.ZipFile(epub) as archive:
        assert len([name for name in archive.namelist() if name.endswith(".png") and "/c" in name]) >= 6
    assert epubcheck_messages(epub) == []
    assert ace_violations(epub, tmp_path / "ace") == []
    checked = qpdf_check(pdf)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_issue_rebuilds_to_the_same_bytes_from_its_manifest(tmp_path):
    with news_site() as base:
        NewsSite.routes = news_routes(base, [1], [11])
        assert run(definition(tmp_path, base, "[epub]"), tmp_path).exit_code == 0
    manifest = tmp_path / "content" / "morning-issue-1.yaml"
    assert f"date: '{datetime.datetime.now(datetime.timezone.utc).date().isoformat()}'" in manifest.read_text()
    first = (tmp_path / "out" / "morning-issue-1.epub").read_bytes()
    rebuilt = CliRunner().invoke(main, ["book", str(manifest), "-f", "epub", "-o", str(tmp_path / "again")])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert (tmp_path / "again" / "morning-issue-1.epub").read_bytes() == first


def test_only_new_items_make_the_next_issue_and_none_makes_no_issue(tmp_path):
    with news_site() as base:
        NewsSite.routes = news_routes(base, [1, 2, 3], [11, 12, 13])
        path = definition(tmp_path, base, "[epub]")
        assert run(path, tmp_path).exit_code == 0
        NewsSite.routes = news_routes(base, [4, 1, 2, 3], [11, 12, 13])
        second = run(path, tmp_path)
        assert second.exit_code == 0, second.output
        assert "issue 2, 1 article" in second.output
        opf, nav = opf_of(tmp_path / "out" / "morning-issue-2.epub")
        assert len(nav.xpath("//x:nav[@epub:type='toc']//x:ol/x:li/x:ol/x:li", namespaces=XHTML)) == 1
        assert opf.xpath("string(//opf:meta[@property='group-position'])", namespaces=OPF) == "2"
        third = run(path, tmp_path)
    assert third.exit_code == 0
    assert "no new item" in third.output
    assert not (tmp_path / "content" / "morning-issue-3.yaml").exists()


def test_a_feed_answering_500_leaves_an_issue_of_the_other_that_says_so(tmp_path):
    with news_site() as base:
        NewsSite.routes = news_routes(base, [1, 2, 3], [11, 12, 13])
        NewsSite.routes["/atom.xml"] = (500, "text/plain", b"down")
        result = run(definition(tmp_path, base, "[epub]"), tmp_path)
    assert result.exit_code == 0, result.output
    assert "Fishing Weekly" in result.output and "500" in result.output
    opf, nav = opf_of(tmp_path / "out" / "morning-issue-1.epub")
    assert len(nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li", namespaces=XHTML)) == 1
    assert "Missing from this issue: Fishing Weekly" in opf.xpath("string(//dc:description)", namespaces=OPF)
    with zipfile.ZipFile(tmp_path / "out" / "morning-issue-1.epub") as archive:
        title_page = next(archive.read(name).decode() for name in archive.namelist() if name.endswith("titlepage.xhtml"))
    assert "Missing from this issue: Fishing Weekly" in title_page


def test_an_item_whose_page_fails_is_the_feeds_summary_marked_as_such(tmp_path):
    with news_site() as base:
        NewsSite.routes = news_routes(base, [1, 2, 3], [11, 12, 13])
        NewsSite.routes["/news/2"] = (500, "text/plain", b"down")
        result = run(definition(tmp_path, base, "[epub]"), tmp_path)
    assert result.exit_code == 0, result.output
    assert "Harbour story 2" in result.output and "summary stands in" in result.output
    article = read_article(next(path for path in (tmp_path / "content").glob("*/*.md") if "Summary of story" in path.read_text()))
    assert article.metadata.subtitle == "From the feed’s summary: its page could not be imported"
    assert [author.name for author in article.metadata.authors] == ["Ines Ferreira"]
    assert article.metadata.subjects == ("Harbour",)


def test_an_entity_bomb_a_huge_feed_and_items_at_an_unallowed_address_are_refused(tmp_path):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            b']><rss version="2.0"><channel><title>&b;</title></channel></rss>')
    with silent_listener("127.0.0.2") as listener, news_site() as base:
        elsewhere = f"http://127.0.0.2:{listener.getsockname()[1]}"
        NewsSite.routes = news_routes(base, [], [])
        NewsSite.routes["/rss.xml"] = (200, "application/rss+xml", bomb)
        NewsSite.routes["/atom.xml"] = (200, "application/atom+xml", b"<feed>" + b" " * (100 * 1024 * 1024))
        NewsSite.routes["/far.xml"] = (200, "application/rss+xml", lambda: (
            f'<rss version="2.0"><channel><title>Far</title><item><title>Far story</title><link>{elsewhere}/story</link>'
            f'<description>&lt;p&gt;A summary.&lt;img src="{elsewhere}/pixel.png"&gt;&lt;/p&gt;</description></item>'
            '</channel></rss>').encode())
        path = definition(tmp_path, base, "[epub]", f"  - url: {base}/far.xml\n    title: Far Away\n")
        path.write_text(path.read_text().replace("formats: [epub]\n", "") + "formats: [epub]\n")
        result = run(path, tmp_path)
        assert connections(listener) == 0
    assert result.exit_code == 0, result.output
    assert "declares XML entities" in result.output
    assert "larger than 10 MiB" in result.output
    assert "127.0.0.2 is at 127.0.0.2" in result.output and "summary stands in" in result.output


def test_a_feed_of_ten_thousand_items_gives_at_most_its_items(tmp_path):
    with news_site() as base:
        NewsSite.routes = news_routes(base, [], [])
        NewsSite.routes["/rss.xml"] = (200, "application/rss+xml", lambda: (
            '<rss version="2.0"><channel><title>Many</title>' + "".join(
                f"<item><title>Item {n}</title><guid>item-{n}</guid><description>Short item {n}.</description></item>"
                for n in range(10_000)) + "</channel></rss>").encode())
        NewsSite.routes["/atom.xml"] = (500, "text/plain", b"down")
        path = definition(tmp_path, base, "[epub]")
        path.write_text(path.read_text().replace("    title: The Gazette\n", "    title: The Gazette\n    items: 3\n"))
        result = run(path, tmp_path)
    assert result.exit_code == 0, result.output
    assert "issue 1, 3 articles" in result.output


def test_two_runs_at_once_make_one_issue(tmp_path):
    with news_site() as base:
        NewsSite.routes = news_routes(base, [1, 2], [11])
        periodical = read_periodical(definition(tmp_path, base, "[epub]"))
        outcomes = []

        def make() -> None:
            outcomes.append(make_issue(periodical, tmp_path / "content", ("127.0.0.1",)))

        runs = [threading.Thread(target=make) for _ in range(2)]
        for thread in runs:
            thread.start()
        for thread in runs:
            thread.join()
    assert sorted(outcome.number or 0 for outcome in outcomes) in ([0, 1], [1])
    assert len([outcome for outcome in outcomes if outcome.number == 1]) == 1
    assert sorted(path.name for path in (tmp_path / "content").glob("*.yaml")) == ["morning-issue-1.yaml"]


def test_issues_past_the_number_to_keep_are_pruned(tmp_path):
    with news_site() as base:
        path = definition(tmp_path, base, "[epub]", "keep: 1\n")
        NewsSite.routes = news_routes(base, [1], [11])
        assert run(path, tmp_path).exit_code == 0
        NewsSite.routes = news_routes(base, [2, 1], [11])
        assert run(path, tmp_path).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "content").iterdir() if not p.name.startswith(".")) == [
        "2", "morning-issue-2.yaml"]
