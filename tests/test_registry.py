"""The exporter registry: built-ins through entry points, a third-party plug-in seen everywhere."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

import pressroom.exporters.registry as registry
from pressroom.articles import read_article
from pressroom.cli import main
from conftest import SAMPLE
from pressroom.exporters import UnknownFormat, default_formats, load_exporters
from pressroom.execution import export

GROUP = "pressroom.exporters"
BUILTIN_TARGETS = {
    "pdf": "pressroom.exporters.pdf:PdfExporter",
    "epub": "pressroom.exporters.epub:EpubExporter",
    "html": "pressroom.exporters.html:HtmlExporter",
    "md": "pressroom.exporters.markdown:MarkdownExporter",
    "print": "pressroom.exporters.pdf.printready:PrintExporter",
}
BUILTINS = [EntryPoint(name, target, GROUP) for name, target in BUILTIN_TARGETS.items()]


@pytest.fixture
def fake_plugin(monkeypatch):
    """Declare `txt` in the entry-point group without installing anything."""
    plugin = EntryPoint("txt", "fake_plugin:PlainTextExporter", GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [*BUILTINS, plugin] if group == GROUP else [])
    load_exporters.cache_clear()


def test_the_builtins_are_declared_as_entry_points():
    from importlib.metadata import entry_points

    declared = {entry.name: entry.value for entry in entry_points(group=GROUP)}
    assert declared == BUILTIN_TARGETS


def test_builtins_in_order():
    assert list(load_exporters()) == ["pdf", "epub", "html", "md", "print"]


def test_nothing_is_offered_that_the_entry_points_do_not_declare(monkeypatch):
    monkeypatch.setattr(registry, "entry_points", lambda group: [])
    load_exporters.cache_clear()
    assert load_exporters() == {}


def test_a_plugin_exports(fake_plugin):
    assert list(load_exporters()) == ["pdf", "epub", "html", "md", "print", "txt"]
    text = export(read_article(SAMPLE), "txt").decode()
    assert text.startswith(read_article(SAMPLE).title)


def test_a_plugin_appears_in_the_cli(fake_plugin, runner, tmp_path):
    result = runner.invoke(main, ["formats"])
    assert result.exit_code == 0
    assert "txt\tPlain text\t.txt" in result.output
    result = runner.invoke(main, ["export", str(SAMPLE), "-f", "txt", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "28-banned-photos-smuggled-out-of-north-korea.txt").read_text().startswith("28 Banned")


def test_a_plugins_option_is_a_cli_flag(fake_plugin, runner, tmp_path):
    assert "--wrap / --no-wrap" in runner.invoke(main, ["export", "--help"]).output
    result = runner.invoke(main, ["export", str(SAMPLE), "-f", "txt", "--wrap", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "28-banned-photos-smuggled-out-of-north-korea.txt").read_text().splitlines()
    assert max(map(len, lines[2:])) <= 60


def test_a_plugins_option_is_in_the_web_form_and_its_downloads(fake_plugin, client):
    page = client.get("/articles/28-banned-photos-smuggled-out-of-north-korea/").get_data(as_text=True)
    assert '<input type="checkbox" name="wrap" value="on">' in page
    url = "/articles/28-banned-photos-smuggled-out-of-north-korea/download/txt"
    plain, wrapped = client.get(url + "?wrap=off"), client.get(url + "?wrap=on")
    assert plain.headers["ETag"] != wrapped.headers["ETag"]
    assert max(map(len, wrapped.get_data(as_text=True).splitlines()[2:])) <= 60 < max(
        map(len, plain.get_data(as_text=True).splitlines()))
    # The formats that do not read the option do not change with it.
    pdf = "/articles/28-banned-photos-smuggled-out-of-north-korea/download/html"
    assert client.get(pdf + "?wrap=on").headers["ETag"] == client.get(pdf + "?wrap=off").headers["ETag"]


def test_a_plugin_appears_as_a_button_in_the_ui(fake_plugin, client):
    page = client.get("/articles/28-banned-photos-smuggled-out-of-north-korea/").get_data(as_text=True)
    assert 'data-format="txt" download href="/articles/28-banned-photos-smuggled-out-of-north-korea/download/txt' in page
    response = client.get("/articles/28-banned-photos-smuggled-out-of-north-korea/download/txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"


def test_a_broken_plugin_is_skipped_with_a_warning(monkeypatch, caplog):
    broken = [EntryPoint("bad", "no_such_module:Exporter", GROUP), EntryPoint("odd", "fake_plugin:NotAnExporter", GROUP)]
    monkeypatch.setattr(registry, "entry_points", lambda group: [*BUILTINS, *broken])
    load_exporters.cache_clear()
    assert list(load_exporters()) == ["pdf", "epub", "html", "md", "print"]
    assert "the 'bad' exporter (no_such_module:Exporter) could not be loaded" in caplog.text
    assert "the 'odd' exporter (fake_plugin:NotAnExporter) is not a pressroom Exporter" in caplog.text


def test_an_unknown_format_lists_the_available_ones():
    with pytest.raises(UnknownFormat) as error:
        export(read_article(SAMPLE), "docx")
    assert str(error.value) == "unknown format 'docx'; available formats: pdf, epub, html, md, print"
    assert error.value.exit_code == 2


def test_every_format_means_every_exporter_but_those_made_on_request():
    assert default_formats() == ["pdf", "epub", "html", "md"]
    assert load_exporters()["print"].on_request
