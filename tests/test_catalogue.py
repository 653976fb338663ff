"""The catalogue on SQLite and on a real PostgreSQL: what a walk indexes, search (words, phrases,
prefixes, languages without spaces, hostile syntax), filters, sorts, pages, migrations, two writers."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import time

import pytest
from sqlalchemy import create_engine, text

from conftest import JAPANESE, PRESSROOM, SAMPLE
from database_services import running_postgresql
from pressroom.catalogue.database import HEAD, MIGRATIONS
from pressroom.catalogue.library import Catalogue
from pressroom.catalogue.search import Filters, SearchError
from pressroom.catalogue.sync import READER_VERSION

HOSTILE_SEARCHES = ['"unbalanced', 'NEAR(', "*", "title:", "x" * 10_000, "a\x00b", "AND OR NOT", "^title",
                    "'; DROP TABLE articles; --", '"', "((", "%_%", "\\"]


@pytest.fixture(scope="module")
def postgresql():
    with running_postgresql() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """The URL of an empty catalogue database: a SQLite file, or a new database on the test's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalogue.sqlite'}"
    return request.getfixturevalue("postgresql").new_database(f"test_{os.getpid()}_{time.monotonic_ns()}")


def write(folder, name: str, front: str, body: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def archive(tmp_path):
    """A content folder of five articles in three languages, one of them unreadable."""
    folder = tmp_path / "content"
    folder.mkdir()
    write(folder, "harbour.md", "title: The Harbour at Dawn\nauthors: [Ada Lovelace]\nlang: en\ndate: 2021-03-04\n"
          "source_url: https://www.example.org/harbour\nsubjects: [sea, boats]", "Boats leave before sunrise.")
    write(folder, "lighthouse.md", "title: Keeping the Light\nauthors: [Mary Keeper]\nlang: en\ndate: 2023-01-02\n"
          "subjects: [sea]", "The keeper walked to the harbour at dawn with a lamp in her hand.")
    write(folder, "marche/marche.md", "title: Le marché\nauthors: [Ada Lovelace]\nlang: fr\ndate: 2023-05-06",
          "Les poissonniers crient leurs prix.")
    shutil.copy(JAPANESE, folder / "yoake.md")
    (folder / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nText.\n", encoding="utf-8")
    return folder


@pytest.fixture
def catalogue(archive, database):
    opened = Catalogue(archive, database)
    opened.walk()
    yield opened
    opened.close()


def slugs(listing) -> list[str]:
    return [hit.slug for hit in listing.hits]


def test_a_walk_indexes_every_article_with_what_it_says(catalogue):
    listing = catalogue.listing()
    assert listing.total == 5 and listing.sort == "title"
    harbour = catalogue.entry("harbour")
    assert (harbour.title, harbour.byline, harbour.language, harbour.site, harbour.published.isoformat()) == (
        "The Harbour at Dawn", "Ada Lovelace", "en", "example.org", "2021-03-04")
    broken = catalogue.entry("broken")
    assert broken.error and "broken.md" in broken.error
    assert catalogue.entry("marche").path == "marche/marche.md"


def test_a_phrase_in_one_body_only_finds_that_article(catalogue):
    assert slugs(catalogue.listing(Filters(search='"lamp in her hand"'))) == ["lighthouse"]
    assert slugs(catalogue.listing(Filters(search='"hand in her lamp"'))) == []


def test_a_title_hit_ranks_above_a_body_hit(catalogue):
    found = catalogue.listing(Filters(search="harbour dawn"))
    assert slugs(found) == ["harbour", "lighthouse"] and found.sort == "relevance"
    body_hit = found.hits[1]
    assert ("harbour", True) in [(text.casefold(), matched) for text, matched in body_hit.snippet]


def test_prefixes_authors_and_accents_are_found(catalogue):
    assert slugs(catalogue.listing(Filters(search="sunr*"))) == ["harbour"]
    assert sorted(slugs(catalogue.listing(Filters(search="lovelace")))) == ["harbour", "marche"]
    assert slugs(catalogue.listing(Filters(search="poissonniers"))) == ["marche"]


def test_a_language_written_without_spaces_is_searched_by_substrings(catalogue):
    assert slugs(catalogue.listing(Filters(search="夜明け"))) == ["yoake"]
    assert slugs(catalogue.listing(Filters(search="漁師"))) == ["yoake"]


@pytest.mark.parametrize("query", HOSTILE_SEARCHES)
def test_hostile_searches_give_results_or_a_message(catalogue, query):
    try:
        listing = catalogue.listing(Filters(search=query))
    except SearchError as error:
        assert "at most 500" in str(error) and len(query) > 500
    else:
        assert listing.total >= 0


def test_filters_count_and_narrow(catalogue):
    facets = catalogue.listing().facets
    assert ("Ada Lovelace", 2) in facets["author"] and ("sea", 2) in facets["subject"]
    assert ("2023", 2) in facets["year"] and ("example.org", 1) in facets["site"]
    assert slugs(catalogue.listing(Filters(author="Ada Lovelace", language="fr"))) == ["marche"]
    assert slugs(catalogue.listing(Filters(subject="sea", year=2023))) == ["lighthouse"]
    assert catalogue.listing(Filters(author="Ada Lovelace")).facets["language"] == [("en", 1), ("fr", 1)]


def test_sorts_and_a_page_past_the_end_is_the_last(catalogue):
    assert slugs(catalogue.listing(sort="published"))[:4] == ["yoake", "marche", "lighthouse", "harbour"]
    assert slugs(catalogue.listing(sort="author"))[:4] == ["marche", "harbour", "lighthouse", "yoake"]
    last = catalogue.listing(page=99, per_page=2)
    assert (last.page, last.pages, len(last.hits)) == (3, 3, 1)


def test_the_next_walk_finds_files_changed_outside_pressroom_and_keeps_when_each_was_added(catalogue, archive):
    added = catalogue.entry("harbour").added
    shutil.copy(SAMPLE, archive / SAMPLE.name)
    write(archive, "harbour.md", "title: The Harbour at Noon\nlang: en", "Boats come back.")
    (archive / "lighthouse.md").unlink()
    os.utime(archive / "marche" / "marche.md", ns=(1, 1))  # touched, not changed
    report = catalogue.walk()
    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 1, 1, 3)
    assert catalogue.entry("harbour").title == "The Harbour at Noon" and catalogue.entry("harbour").added == added
    assert catalogue.entry("lighthouse") is None and catalogue.entry(SAMPLE.stem) is not None
    assert catalogue.walk().unchanged == 5


def test_a_page_asked_again_after_the_index_changed_is_the_changed_indexs(catalogue, archive):
    assert slugs(catalogue.listing(Filters(search="harbour"))) == ["harbour", "lighthouse"]
    assert slugs(catalogue.listing(Filters(search="harbour"))) == ["harbour", "lighthouse"]  # kept, the same
    write(archive, "quay.md", "title: Harbour Harbour\nlang: en", "The harbour, the harbour and the harbour.")
    (archive / "lighthouse.md").unlink()
    catalogue.walk()
    again = catalogue.listing(Filters(search="harbour"))
    assert slugs(again) == ["quay", "harbour"] and again.total == 2


def test_the_time_between_walks_counts_from_the_end_of_the_last_one(catalogue, archive):
    long_ago = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)).isoformat()
    with catalogue.engine.begin() as connection:  # a walk that started an hour ago and has just ended
        connection.execute(text("UPDATE catalogue_state SET value = :value WHERE name = 'last_walk'"),
                           {"value": long_ago})
    write(archive, "harbour.md", "title: The Harbour at Noon\nlang: en", "Boats come back.")
    catalogue.refresh(max_age=60)
    assert catalogue.entry("harbour").title == "The Harbour at Dawn"
    catalogue.refresh(max_age=0)
    assert catalogue.entry("harbour").title == "The Harbour at Noon"


def test_changes_made_through_pressroom_are_in_the_index_at_once(catalogue):
    from pressroom.articles import UploadedFile

    article = catalogue.add([UploadedFile("tide.md", b"---\ntitle: Tide Tables\n---\n\nLow water at noon.\n")])
    assert slugs(catalogue.listing(Filters(search="tables"))) == [article.slug]
    catalogue.delete("harbour")
    assert catalogue.entry("harbour") is None
    assert slugs(catalogue.listing(Filters(search="sunrise"))) == []


def test_the_migration_chain_ends_at_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_a_catalogue_from_before_a_migration_is_upgraded_and_other_tables_kept(archive, database):
    from alembic import command
    from alembic.config import Config

    engine = create_engine(database.replace("postgresql://", "postgresql+psycopg://"))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(text("CREATE TABLE local_notes (name TEXT)"))
        connection.execute(text("INSERT INTO local_notes VALUES ('ada')"))
        connection.execute(text("INSERT INTO catalogue_state VALUES ('reader_version', :version)"),
                           {"version": READER_VERSION})
    engine.dispose()
    opened = Catalogue(archive, database)
    try:
        report = opened.walk()
        assert report.added == 5
        assert slugs(opened.listing(Filters(search="夜明け"))) == ["yoake"]
        with opened.engine.connect() as connection:
            assert connection.execute(text("SELECT name FROM local_notes")).scalars().all() == ["ada"]
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    finally:
        opened.close()


def test_an_index_made_by_older_readers_is_read_again(catalogue):
    added = catalogue.entry("harbour").added
    with catalogue.engine.begin() as connection:
        connection.execute(text("UPDATE catalogue_state SET value = 'old' WHERE name = 'reader_version'"))
    report = catalogue.walk()
    assert (report.changed, report.unchanged) == (5, 0)
    assert catalogue.entry("harbour").added == added


def test_two_processes_indexing_at_once_leave_one_whole_index(archive, database, tmp_path):
    for number in range(60):
        write(archive, f"extra-{number}.md", f"title: Extra {number}", f"Text number {number}.")
    env = {**os.environ, "PRESSROOM_DATABASE": database}
    runs = [subprocess.Popen([PRESSROOM, "index", "--content", str(archive)], env=env, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    listed = subprocess.run([PRESSROOM, "list", "--content", str(archive), "--json"], env=env, capture_output=True,
                            text=True, check=True).stdout.splitlines()
    paths = [json.loads(line)["path"] for line in listed]
    assert len(paths) == 65 == len(set(paths))


def test_pressroom_search_finds_a_phrase_and_ranks_a_title_hit_first(catalogue, archive, database):
    env = {**os.environ, "PRESSROOM_DATABASE": database}
    found = subprocess.run([PRESSROOM, "search", "harbour dawn", "--content", str(archive), "--json"], env=env,
                           capture_output=True, text=True, check=True).stdout.splitlines()
    assert [json.loads(line)["slug"] for line in found] == ["harbour", "lighthouse"]
    phrase = subprocess.run([PRESSROOM, "search", '"lamp in her hand"', "--content", str(archive)], env=env,
                            capture_output=True, text=True, check=True).stdout
    assert phrase.startswith("lighthouse\tKeeping the Light") and "[lamp in her hand]" in phrase
    refused = subprocess.run([PRESSROOM, "search", "x" * 10_000, "--content", str(archive)], env=env,
                             capture_output=True, text=True)
    assert refused.returncode == 2 and "at most 500" in refused.stderr and "Traceback" not in refused.stderr
