"""Where the library and the instance data live: a checkout's own folders, else the user data folder."""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor

import platformdirs
import pytest

from pressroom import locations
from pressroom.app import create_app
from pressroom.cli import main
from conftest import SAMPLE


def listing(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """A package folder as a wheel installs it (modules and the sample, no pyproject.toml), and its data folder."""
    package = tmp_path / "site-packages" / "pressroom"
    (package / "content").mkdir(parents=True)
    shutil.copy(SAMPLE, package / "content" / SAMPLE.name)
    monkeypatch.setattr(locations, "PACKAGE_DIR", package)
    monkeypatch.setenv("PRESSROOM_DATA_DIR", str(tmp_path / "data"))
    return package


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    folder = tmp_path / "checkout"
    (folder / "content").mkdir(parents=True)
    (folder / "pyproject.toml").write_text("[project]\nname = 'pressroom'\n", encoding="utf-8")
    monkeypatch.setattr(locations, "PACKAGE_DIR", folder)
    return folder


def test_a_checkout_serves_its_own_content_and_keeps_its_instance_folder(checkout, tmp_path):
    assert locations.default_content_dir() == checkout / "content"
    assert locations.instance_dir() == checkout / "instance"
    assert not (tmp_path / "data").exists()


def test_an_installed_package_seeds_its_library_in_the_data_folder_on_first_run(installed, tmp_path):
    folder = locations.default_content_dir()
    assert folder == tmp_path / "data" / "content"
    assert listing(folder) == [SAMPLE.name]
    assert (folder / SAMPLE.name).read_bytes() == SAMPLE.read_bytes()
    assert locations.instance_dir() == tmp_path / "data" / "instance"


def test_an_emptied_library_is_not_seeded_again(installed):
    folder = locations.default_content_dir()
    (folder / SAMPLE.name).unlink()
    assert listing(locations.default_content_dir()) == []
    folder.rmdir()
    assert locations.default_content_dir().is_dir() and listing(folder) == []


def test_a_library_filled_before_the_first_run_is_left_as_it_is(installed, tmp_path):
    own = tmp_path / "data" / "content" / "mine.md"
    own.parent.mkdir(parents=True)
    own.write_text("# Mine\n", encoding="utf-8")
    assert listing(locations.default_content_dir()) == ["mine.md"]
    assert listing(tmp_path / "data") == [".sample-seeded", "content", "content/mine.md"]


def test_several_starts_at_once_seed_one_complete_library(installed, tmp_path):
    starting = threading.Barrier(8)

    def start():
        starting.wait()
        return locations.default_content_dir()

    with ThreadPoolExecutor(8) as pool:
        folders = set(pool.map(lambda _: start(), range(8)))
    assert folders == {tmp_path / "data" / "content"}
    assert listing(tmp_path / "data") == [".sample-seeded", "content", f"content/{SAMPLE.name}"]
    assert (tmp_path / "data" / "content" / SAMPLE.name).read_bytes() == SAMPLE.read_bytes()


def test_without_PRESSROOM_DATA_DIR_the_library_is_in_the_platforms_user_data_folder(installed, tmp_path,
                                                                                      monkeypatch):
    monkeypatch.delenv("PRESSROOM_DATA_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    user_data = platformdirs.user_data_path("pressroom", appauthor=False)
    assert user_data.is_relative_to(tmp_path / "home")
    assert locations.default_content_dir() == user_data / "content"
    assert locations.instance_dir() == user_data / "instance"


def test_list_without_a_folder_shows_the_sample_seeded_for_an_installed_package(installed, runner):
    result = runner.invoke(main, ["list"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{SAMPLE.stem}\t")


def test_the_web_app_of_an_installed_package_keeps_its_data_beside_the_library_not_in_the_package(
        installed, tmp_path, monkeypatch):
    monkeypatch.delenv("PRESSROOM_SECRET_KEY", raising=False)
    before = listing(installed)
    app = create_app()
    assert app.config["CONTENT_DIR"] == str(tmp_path / "data" / "content")
    assert app.instance_path == str(tmp_path / "data" / "instance")
    assert (tmp_path / "data" / "instance" / "secret_key").is_file()
    assert listing(installed) == before
