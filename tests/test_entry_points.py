"""Exporters found through entry points: importlib.metadata's answer, kept in the user's cache until
a package is installed, removed or changed."""

from __future__ import annotations

from importlib.metadata import entry_points as metadata_entry_points

import pytest

import pressroom.exporters.entry_points as declared
from pressroom.exporters.entry_points import entry_points

GROUP = "pressroom.exporters"


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSROOM_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def as_pairs(found) -> list[tuple[str, str]]:
    return [(entry.name, entry.value) for entry in found]


def install_plugin(folder, value: str, name: str = "fake_plugin-1.0.dist-info"):
    info = folder / name
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-plugin\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[{GROUP}]\ntxt = {value}\n", encoding="utf-8")


def test_the_cached_entry_points_are_importlib_metadatas(cache_folder):
    expected = as_pairs(metadata_entry_points(group=GROUP))
    assert as_pairs(entry_points(GROUP)) == expected
    assert list(cache_folder.glob("entry-points/*/*"))
    assert as_pairs(entry_points("console_scripts")) == as_pairs(metadata_entry_points(group="console_scripts"))


def test_a_second_lookup_reads_the_cache(cache_folder, monkeypatch):
    first = as_pairs(entry_points(GROUP))

    def refuse(group):
        raise AssertionError("importlib.metadata was asked again")

    monkeypatch.setattr(declared, "_read_with_importlib", refuse)
    assert as_pairs(entry_points(GROUP)) == first


def test_a_plugin_installed_changed_or_removed_is_seen_on_the_next_lookup(cache_folder, tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    before = as_pairs(entry_points(GROUP))
    install_plugin(site, "fake_plugin:PlainTextExporter")
    assert ("txt", "fake_plugin:PlainTextExporter") in as_pairs(entry_points(GROUP))
    install_plugin(site, "fake_plugin.exporters:TextExporter")  # upgraded in place
    assert ("txt", "fake_plugin.exporters:TextExporter") in as_pairs(entry_points(GROUP))
    for path in sorted((site / "fake_plugin-1.0.dist-info").iterdir()):
        path.unlink()
    (site / "fake_plugin-1.0.dist-info").rmdir()
    assert as_pairs(entry_points(GROUP)) == before


def test_a_damaged_cache_file_is_left_for_importlib_to_answer(cache_folder):
    expected = as_pairs(entry_points(GROUP))
    for path in cache_folder.glob("entry-points/*/*"):
        path.write_bytes(b"\x00not json")
    assert as_pairs(entry_points(GROUP)) == expected


def test_an_entry_point_loads_the_object_it_names():
    from pressroom.exporters.pdf import PdfExporter

    assert declared.DeclaredEntryPoint("pdf", "pressroom.exporters.pdf:PdfExporter").load() is PdfExporter
    assert declared.DeclaredEntryPoint("x", "pressroom.exporters.pdf:PdfExporter.export [extra]").load() \
        is PdfExporter.export
