"""The command line: every command and exit code."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile

import pytest

from lxml import etree

from pressroom.cli import main
from conftest import PRESSROOM, FIXTURES, RICH, SAMPLE

SLUG = "28-banned-photos-smuggled-out-of-north-korea"


def test_export_writes_every_format_and_prints_the_paths(runner, tmp_path):
    result = runner.invoke(main, ["export", str(SAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = [tmp_path / f"{SLUG}.{ext}" for ext in ("pdf", "epub", "html", "md")]
    assert result.output.split() == [str(path) for path in written]
    assert written[0].read_bytes().startswith(b"%PDF-")
    assert written[1].read_bytes().startswith(b"PK")


def test_export_chosen_formats_and_options(runner, tmp_path):
    result = runner.invoke(main, ["export", str(SAMPLE), str(RICH), "-f", "epub", "-f", "html", "-o", str(tmp_path),
                                  "--page-size", "a5", "--no-cover"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{SLUG}.epub", f"{SLUG}.html", "article.epub", "article.html"]


def test_export_defaults_to_the_current_folder(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["export", str(SAMPLE), "-f", "html"])
    assert result.exit_code == 0
    assert (tmp_path / f"{SLUG}.html").exists()


def test_unknown_format_exits_2_and_lists_the_available(runner, tmp_path):
    result = runner.invoke(main, ["export", str(SAMPLE), "-f", "docx", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown format 'docx'; available formats: pdf, epub, html, md, print" in result.output
    assert list(tmp_path.iterdir()) == []


def test_unreadable_source_exits_1_and_leaves_no_file(runner, tmp_path):
    bad = FIXTURES / "front_matter_with_wrong_type.md"
    result = runner.invoke(main, ["export", str(bad), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert f"error: {bad}, line 6:" in result.output
    assert list(tmp_path.iterdir()) == []


def test_one_bad_source_does_not_stop_the_others(runner, tmp_path):
    result = runner.invoke(main, ["export", str(tmp_path / "missing.txt"), str(SAMPLE), "-f", "html", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "missing.txt: no such file" in result.output
    assert (tmp_path / f"{SLUG}.html").exists()


def test_warnings_go_to_stderr(runner, tmp_path):
    source = tmp_path / "remote.md"
    source.write_text("# T\n\n![x](https://example.org/x.png)\n", encoding="utf-8")
    result = runner.invoke(main, ["export", str(source), "-f", "html", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "dropped" in result.stderr
    assert "warning:" not in result.stdout


def test_formats_lists_the_exporters(runner):
    result = runner.invoke(main, ["formats"])
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.output.splitlines()] == ["pdf", "epub", "html", "md", "print"]


def test_list_shows_the_articles_of_a_folder(runner, content_dir):
    result = runner.invoke(main, ["list", "--content", str(content_dir)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{SLUG}\t28 Banned Photos")
    assert lines[1].startswith("field-notes\tField Notes from the Harbour")


def test_list_of_an_empty_folder_says_how_to_add(runner, tmp_path):
    result = runner.invoke(main, ["list", "--content", str(tmp_path)])
    assert result.exit_code == 0
    assert "No articles in" in result.stderr


@pytest.mark.parametrize("command", [["--help"], ["export", "--help"], ["formats"], ["list"]])
def test_cheap_commands_do_not_import_weasyprint(command, tmp_path):
    code = ("import sys; from pressroom.cli import main; sys.argv=['pressroom', *sys.argv[1:]]\n"
            "try: main()\nexcept SystemExit: pass\nprint('weasyprint' in sys.modules, file=sys.stderr)")
    result = subprocess.run([sys.executable, "-P", "-c", code, *command], cwd=tmp_path, capture_output=True,
                            text=True, check=True)
    assert result.stderr.strip().splitlines()[-1] == "False"


def test_the_console_script_is_installed():
    result = subprocess.run([PRESSROOM, "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "export" in result.stdout


def test_exporting_pdf_and_epub_together_gives_the_epub_a_page_list(runner, tmp_path):
    result = runner.invoke(main, ["export", str(SAMPLE), "-f", "epub", "-f", "pdf", "-o", str(tmp_path)])
    assert result.exit_code == 0
    # Written in the order asked for: the layout is shared whichever comes first.
    assert result.output.split() == [str(tmp_path / f"{SLUG}.epub"), str(tmp_path / f"{SLUG}.pdf")]
    nav = etree.fromstring(zipfile.ZipFile(tmp_path / f"{SLUG}.epub").read("EPUB/text/nav.xhtml"))
    assert nav.xpath("//*[@id='page-list']")
    result = runner.invoke(main, ["export", str(SAMPLE), "-f", "epub", "-o", str(tmp_path / "alone")])
    nav = etree.fromstring(zipfile.ZipFile(tmp_path / "alone" / f"{SLUG}.epub").read("EPUB/text/nav.xhtml"))
    assert not nav.xpath("//*[@id='page-list']")
    result = runner.invoke(main, ["export", str(SAMPLE), "-f", "epub", "--page-list", "-o", str(tmp_path / "asked")])
    nav = etree.fromstring(zipfile.ZipFile(tmp_path / "asked" / f"{SLUG}.epub").read("EPUB/text/nav.xhtml"))
    assert nav.xpath("//*[@id='page-list']") and not (tmp_path / "asked" / f"{SLUG}.pdf").exists()


def test_an_epub_only_export_never_imports_weasyprint(runner, tmp_path, monkeypatch):
    # The export worker is forked from this process: with WeasyPrint made unimportable here, an
    # EPUB export that reached for it would fail.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    result = runner.invoke(main, ["export", str(SAMPLE), "-f", "epub", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["export", str(SAMPLE), "-f", "pdf", "-o", str(tmp_path)])
    assert result.exit_code == 1 and "cannot be exported as PDF" in result.output


def test_a_batch_reports_progress_and_writes_everything(runner, tmp_path):
    sources = []
    for number in range(4):
        source = tmp_path / f"note-{number}.txt"
        source.write_text(f"Note {number}\n\nText {number}.\n", encoding="utf-8")
        sources.append(str(source))
    result = runner.invoke(main, ["export", *sources, "-f", "pdf", "-f", "epub", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Exporting 4 articles" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"note-{n}.{ext}" for n in range(4) for ext in ("pdf", "epub"))


def test_the_pdf_is_the_same_whatever_else_is_exported(runner, tmp_path):
    everything = runner.invoke(main, ["export", str(SAMPLE), "-o", str(tmp_path / "all")])
    alone = runner.invoke(main, ["export", str(SAMPLE), "-f", "pdf", "-o", str(tmp_path / "alone")])
    assert everything.exit_code == alone.exit_code == 0
    assert (tmp_path / "all" / f"{SLUG}.pdf").read_bytes() == (tmp_path / "alone" / f"{SLUG}.pdf").read_bytes()


def test_a_second_run_takes_the_drawn_cover_from_the_cache_without_loading_pillow(tmp_path):
    environment = {**os.environ, "PRESSROOM_CACHE_DIR": str(tmp_path / "cache")}
    loaded = []
    for folder in ("first", "second"):
        # -X importtime reports every import, the export worker's too (it is forked from this process).
        result = subprocess.run([sys.executable, "-P", "-X", "importtime", PRESSROOM, "export", str(SAMPLE), "-f",
                                 "epub", "-o", str(tmp_path / folder)], capture_output=True, text=True,
                                env=environment, check=True)
        loaded.append(bool(re.search(r"\| +PIL\.Image$", result.stderr, re.MULTILINE)))
    assert loaded == [True, False]
    assert (tmp_path / "first" / f"{SLUG}.epub").read_bytes() == (tmp_path / "second" / f"{SLUG}.epub").read_bytes()
    assert list((tmp_path / "cache").glob("covers/*/*")) and list((tmp_path / "cache").glob("templates/*"))


def test_a_plain_text_epub_loads_only_what_it_uses(tmp_path):
    environment = {**os.environ, "PRESSROOM_CACHE_DIR": str(tmp_path / "cache")}
    for folder in ("first", "second"):  # the second run finds the drawn cover in the cache
        result = subprocess.run([sys.executable, "-P", "-X", "importtime", PRESSROOM, "export", str(SAMPLE), "-f",
                                 "epub", "-o", str(tmp_path / folder)], capture_output=True, text=True,
                                env=environment, check=True)
    imported = set(re.findall(r"^import time:.*\| +([\w.]+)$", result.stderr, re.MULTILINE))
    assert "ebooklib.epub" in imported and "jinja2" in imported  # the engines it does use
    assert not imported & {"weasyprint", "PIL", "PIL.Image", "markdown_it", "yaml", "babel", "http.client",
                           "importlib.metadata", "multiprocessing", "pressroom.articles.library.folder",
                           "pressroom.articles.webimport.adding", "pressroom.articles.books.book", "tomllib"}


def test_a_second_run_takes_dates_and_lists_of_names_from_the_cache_without_loading_babel(tmp_path):
    article = tmp_path / "deux-auteurs.md"
    article.write_text("---\ntitle: Deux auteurs\nauthor: [Anne Dupont, Bruno Martin, Claire Petit]\n"
                       "date: 2023-06-21\nlang: fr\n---\n\nUn paragraphe.\n", encoding="utf-8")
    environment = {**os.environ, "PRESSROOM_CACHE_DIR": str(tmp_path / "cache")}
    loaded, texts = [], []
    for folder in ("first", "second"):
        result = subprocess.run([sys.executable, "-P", "-X", "importtime", PRESSROOM, "export", str(article), "-f",
                                 "epub", "-o", str(tmp_path / folder)], capture_output=True, text=True,
                                env=environment, check=True)
        loaded.append(bool(re.search(r"\| +babel$", result.stderr, re.MULTILINE)))
        with zipfile.ZipFile(tmp_path / folder / "deux-auteurs.epub") as book:
            texts.append("".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xhtml")))
    assert loaded == [True, False]
    assert texts[0] == texts[1]
    assert "Anne Dupont, Bruno Martin et Claire Petit" in texts[1] and "21 juin 2023" in texts[1]


def test_a_command_leaves_what_it_holds_to_the_permanent_generation_when_it_exits():
    # Registered before the command's own handler, this one runs after it: the interpreter's last
    # collections then skip every object (tens of milliseconds a short command used to spend).
    script = ("import atexit, gc, sys\n"
              "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count()))\n"
              "from pressroom.cli import main\n"
              "sys.argv = ['pressroom', 'formats']\n"
              "main()\n")
    result = subprocess.run([sys.executable, "-P", "-c", script], capture_output=True, text=True, check=True)
    assert int(result.stdout.splitlines()[-1].removeprefix("frozen at exit: ")) > 10_000


@pytest.mark.parametrize("arguments", [["export", str(SAMPLE), "-f", "md"], ["formats"]])
def test_the_command_resumes_the_collector_it_paused_while_loading(arguments, tmp_path, monkeypatch):
    import gc

    from pressroom import __main__ as launcher
    from pressroom import cli

    seen = []
    real = cli.export_source
    monkeypatch.setattr(cli, "export_source", lambda *args: (seen.append(gc.isenabled()), real(*args))[1])
    monkeypatch.setattr(sys, "argv", ["pressroom", *arguments, *(["-o", str(tmp_path)] if "-f" in arguments else [])])
    monkeypatch.setattr(cli, "resume_collector", lambda real=cli.resume_collector: (seen.append("resumed"), real())[1])
    try:
        with pytest.raises(SystemExit) as exit_:
            launcher.run()
        assert exit_.value.code == 0
        assert gc.isenabled()
        assert seen[0] == "resumed"  # before the export's work, whose jobs run with the collector on
        assert all(state is True for state in seen[1:])
    finally:
        gc.unfreeze()
        gc.enable()
