"""Shared fixtures: the sample article, Markdown fixtures, the Flask app, the CLI runner; Hypothesis profiles."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

# The catalogues of the tests' content folders: in a temporary folder of this run (the commands the
# tests start inherit it), never beside a developer's own.
if "PRESSROOM_CATALOGUE_DIR" not in os.environ:
    os.environ["PRESSROOM_CATALOGUE_DIR"] = tempfile.mkdtemp(prefix="pressroom-catalogues-")
    atexit.register(shutil.rmtree, os.environ["PRESSROOM_CATALOGUE_DIR"], True)
from hypothesis import settings

import pressroom
from pressroom.app import create_app
from pressroom.articles import read_article
from pressroom.exporters import load_exporters

# The checkout, for what only it holds (tools/node_modules, the sources a wheel is built from): the
# tests' parent folder, or $PRESSROOM_CHECKOUT when the tests were copied out to run against an
# installed wheel (scripts/test-wheel.sh).
ROOT = Path(os.environ.get("PRESSROOM_CHECKOUT") or Path(__file__).resolve().parent.parent)
# The console script of the Python running the tests (a venv's, or wherever the wheel was installed).
PRESSROOM = str(Path(sys.executable).with_name("pressroom"))
# The sample that ships in the package, so the same tests run on a checkout and on an installed wheel.
SAMPLE = Path(pressroom.__file__).resolve().parent / "content" / "28-banned-photos-smuggled-out-of-north-korea.txt"
FIXTURES = Path(__file__).resolve().parent / "content"
RICH = FIXTURES / "article_with_images_tables_and_footnotes" / "article.md"
LONG = FIXTURES / "long_list_across_many_pages.txt"
GREEK = FIXTURES / "article_in_greek.md"
ARABIC = FIXTURES / "article_in_arabic.md"
JAPANESE = FIXTURES / "article_in_japanese.md"
VALID_MARKDOWN = (
    RICH,
    FIXTURES / "article_without_front_matter.md",
    FIXTURES / "article_in_russian_with_several_authors.md",
    GREEK,
    ARABIC,
    JAPANESE,
)

# Each test file's tier (the markers registered in pyproject.toml): `scripts/test.sh --quick` runs the
# fast ones. A test marked with a tier of its own keeps it; a file missing here fails the collection.
TIERS = {
    "unit": ("test_attribute_values", "test_entry_points", "test_fetch_guard", "test_fetcher", "test_front_matter_text",
             "test_hyphenation_cache", "test_import_graph", "test_locations", "test_markdown_export",
             "test_markdown_reader", "test_pasting", "test_periodical_definition", "test_print_geometry", "test_properties", "test_registry", "test_settings",
             "test_text_reader", "test_uploads", "test_yaml_loader"),
    "render": ("test_book_typography", "test_cli", "test_edition_dates", "test_edition_ids", "test_export_workers",
               "test_figure_placement", "test_html", "test_layout_limits", "test_pdf_engine", "test_print",
               "test_languages", "test_pdf", "test_quotes", "test_reader_editions"),
    "validators": ("test_books", "test_content_model", "test_editions_valid", "test_epub", "test_hostile",
                   "test_periodicals", "test_web_corpus"),
    "server": ("test_accounts", "test_api", "test_api_server", "test_app", "test_attacks", "test_catalogue",
               "test_concurrency", "test_import_bounds", "test_opds", "test_opds_client", "test_send", "test_send_web",
               "test_web_add", "test_web_add_language", "test_web_add_notices", "test_web_add_page", "test_web_books",
               "test_web_catalogue", "test_web_import", "test_web_import_metadata", "test_web_options",
               "test_web_periodicals"),
    "queue": ("test_periodical_beat", "test_queue", "test_queue_attacks", "test_send_queue"),
    "browser": ("test_browser", "test_browser_accounts", "test_browser_catalogue", "test_phone_layout"),
    "packaging": ("test_packaging",),
}
TIER_OF_FILE = {stem: tier for tier, stems in TIERS.items() for stem in stems}


def pytest_collection_modifyitems(config, items):
    untiered = set()
    for item in items:
        if any(item.get_closest_marker(tier) for tier in TIERS):
            continue
        tier = TIER_OF_FILE.get(item.path.stem)
        if tier is None:
            untiered.add(item.path.name)
        else:
            item.add_marker(getattr(pytest.mark, tier))
    if untiered:
        raise pytest.UsageError(f"no test tier for {', '.join(sorted(untiered))}: add each file to TIERS in "
                                "tests/conftest.py")


# CI (which sets CI=true) tries the same examples on every run, so a red build is never a lucky seed;
# a developer's runs try new ones and replay their failures from the example database.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def fresh_registry():
    """Each test sees the exporters as installed now (tests may fake a plug-in)."""
    load_exporters.cache_clear()
    yield
    load_exporters.cache_clear()


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory, monkeypatch):
    """An installed Pressroom under test seeds and keeps its default library and its cache here, never
    in the user's."""
    monkeypatch.setenv("PRESSROOM_DATA_DIR", str(tmp_path_factory.getbasetemp() / "data"))
    monkeypatch.setenv("PRESSROOM_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(autouse=True)
def no_source_date_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def sample():
    return read_article(SAMPLE)


@pytest.fixture
def rich():
    return read_article(RICH)


@pytest.fixture
def content_dir(tmp_path):
    """A content folder holding the sample and the rich Markdown article with its image."""
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    shutil.copy(RICH, folder / "field-notes.md")
    shutil.copytree(RICH.parent / "images", folder / "images")
    return folder


@pytest.fixture
def app(content_dir):
    # Pages wait for their editions and checks: tests of work in progress ask for a patience of their own.
    return create_app({"CONTENT_DIR": str(content_dir), "TESTING": True, "SECRET_KEY": "test-secret",
                       "WORK_PATIENCE_SECONDS": None, "WALK_SECONDS": 0})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner():
    return CliRunner()
