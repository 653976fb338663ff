"""Hyphenation patterns kept in the user's cache hyphenate exactly as pyphen's own parsed dictionaries."""

from __future__ import annotations

import os
import subprocess
import sys

import pyphen
import pytest
from conftest import PRESSROOM, SAMPLE

from pressroom.exporters.pdf.hyphenation import decoded, encoded, load_patterns

WORDS = ["hyphenation", "extraordinarily", "Donaudampfschifffahrt", "anticonstitutionnellement", "megszentségtelenít",
         "asszonnyal", "friss", "paral·lel", "col·laboració", "internationalization", "ſchiff"]


@pytest.mark.parametrize("language", ["en", "de", "fr", "hu", "ca"])
def test_cached_patterns_hyphenate_like_the_parsed_dictionary(language):
    path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
    parsed = pyphen.HyphDict(path)
    cached = decoded(encoded(parsed))
    for word in WORDS:
        expected, got = parsed.positions(word), cached.positions(word)
        assert got == expected
        # Nonstandard hyphenation (Hungarian "ssz" -> "sz-sz", Catalan "l·l" -> "l-l") survives too.
        assert [getattr(point, "data", None) for point in got] == [getattr(point, "data", None) for point in expected]


def test_the_hungarian_dictionary_has_nonstandard_hyphenations_to_keep():
    parsed = pyphen.HyphDict(pyphen.LANGUAGES["hu_HU"])
    assert any(getattr(point, "data", None) for word in WORDS for point in parsed.positions(word))


def test_patterns_are_read_back_from_the_cache_on_the_next_run(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSROOM_CACHE_DIR", str(tmp_path))
    path = pyphen.LANGUAGES[pyphen.language_fallback("de-CH")]
    monkeypatch.setattr(pyphen, "hdcache", {})
    load_patterns(["de-CH"])
    first = pyphen.hdcache[path]
    [stored] = tmp_path.glob("hyphenation/*/*")
    monkeypatch.setattr(pyphen, "hdcache", {})
    monkeypatch.setattr(pyphen.HyphDict, "__init__", lambda *args: pytest.fail("parsed again"))
    load_patterns(["de-CH"])
    assert pyphen.hdcache[path].patterns == first.patterns and stored.stat().st_size > 10_000


def test_a_damaged_cache_file_leaves_the_parsing_to_pyphen(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSROOM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pyphen, "hdcache", {})
    load_patterns(["fr"])
    [stored] = tmp_path.glob("hyphenation/*/*")
    stored.write_bytes(stored.read_bytes()[:1000])
    monkeypatch.setattr(pyphen, "hdcache", {})
    load_patterns(["fr"])
    assert pyphen.hdcache == {}
    assert pyphen.Pyphen(lang="fr").inserted("anticonstitutionnellement") == "an-ti-cons-ti-tu-tion-nel-le-ment"


def test_a_language_without_a_dictionary_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSROOM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pyphen, "hdcache", {})
    load_patterns(["ja", "x-unknown", "zh-Hant"])
    assert pyphen.hdcache == {} and not list(tmp_path.iterdir())


def test_a_pdf_set_with_cached_patterns_is_the_pdf_set_with_parsed_ones(tmp_path):
    environment = {**os.environ, "PRESSROOM_CACHE_DIR": str(tmp_path / "cache")}
    for folder in ("parsed", "cached"):
        subprocess.run([sys.executable, "-P", PRESSROOM, "export", str(SAMPLE), "-f", "pdf", "-o", str(tmp_path / folder)],
                       capture_output=True, env=environment, check=True)
    assert list((tmp_path / "cache").glob("hyphenation/*/*"))
    pdf = f"{SAMPLE.stem}.pdf"
    assert (tmp_path / "parsed" / pdf).read_bytes() == (tmp_path / "cached" / pdf).read_bytes()
