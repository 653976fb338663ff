"""Every language set well: its words, dates, typefaces and direction in every edition."""

from __future__ import annotations

import datetime
import io
import json
import re
import string
import subprocess
import zipfile

import pytest
from lxml import etree
from pypdf import PdfReader

from conftest import ARABIC, FIXTURES, GREEK, JAPANESE, SAMPLE
from pressroom.articles import read_article
from pressroom.cli import main
from pressroom.exporters import ExportOptions
from pressroom.execution import export, export_set
from pressroom.exporters.typefaces import missing_characters, writing_direction
from pressroom.exporters.words import catalogue_languages, words_for
from validators import pdffonts, require

REQUIRED = {"en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "cs", "ru", "uk", "el", "tr",
            "ar", "he", "ja"}
NO_FONT = FIXTURES / "article_with_a_script_no_font_has.md"


def placeholders(phrase: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(phrase) if name}


def test_the_catalogue_has_every_required_language():
    assert REQUIRED <= set(catalogue_languages())


@pytest.mark.parametrize("language", sorted(REQUIRED))
def test_every_language_has_every_phrase_with_the_same_placeholders(language):
    english, other = words_for("en").phrases, words_for(language).phrases
    assert set(english) <= set(other), set(english) - set(other)
    for key, phrase in other.items():
        assert placeholders(phrase) == placeholders(english.get(key, english.get("by", ""))), (language, key)
    if language != "en":
        assert other["contents"] != english["contents"]


def test_a_tag_finds_its_languages_words_and_its_regions_dates():
    assert words_for("fr-CA").say("contents") == "Table des matières"
    assert words_for("no").say("contents") == words_for("nb").say("contents") == "Innhold"
    assert words_for("zz").say("contents") == "Contents"
    assert words_for("en-GB").date(datetime.date(2023, 6, 21)) == "21 June 2023"
    assert words_for("en-US").date(datetime.date(2023, 6, 21)) == "June 21, 2023"


@pytest.mark.parametrize(("language", "date", "names"), [
    ("ru", "21 июня 2023\u202fг.", "Анна, Борис и Вера"),
    ("el", "21 Ιουνίου 2023", "Άννα, Βασίλης και Γιώργος"),
    ("de", "21. Juni 2023", "Anna, Bernd und Clara"),
    ("ja", "2023年6月21日", "花子、太郎、次郎"),
])
def test_dates_and_names_are_written_as_the_language_writes_them(language, date, names):
    words = words_for(language)
    assert words.date(datetime.date(2023, 6, 21)) == date
    assert words.names(re.split(r", | и | και | und |、", names)) == names


@pytest.mark.parametrize("tag", ["en", "en-GB", "fr-CA", "de", "ru", "ar", "ja", "nb", "zz"])
def test_cached_dates_and_lists_are_babels_own_from_a_cold_and_a_warm_cache(tag, tmp_path, monkeypatch):
    from babel.dates import format_date
    from babel.lists import format_list

    import pressroom.exporters.words as words_module

    monkeypatch.setenv("PRESSROOM_CACHE_DIR", str(tmp_path / "cache"))
    day, names = datetime.date(2024, 2, 29), ["Ada", "Bo", "Cy"]
    locale = words_module._locale(tag, words_for(tag).language)
    expected = (format_date(day, format="long", locale=locale), format_list(names, locale=locale),
                format_list(names[:2], locale=locale))
    for _ in ("cold", "warm"):
        words_module._formatted.cache_clear()
        assert (words_for(tag).date(day), words_for(tag).names(names), words_for(tag).names(names[:2])) == expected
    assert len(list((tmp_path / "cache").glob("words/*/*"))) == 3
    assert words_for(tag).names(["Ada"]) == "Ada" and words_for(tag).names([]) == ""


def test_a_damaged_cache_file_of_words_is_left_for_babel_to_answer(tmp_path, monkeypatch):
    import pressroom.exporters.words as words_module

    monkeypatch.setenv("PRESSROOM_CACHE_DIR", str(tmp_path / "cache"))
    words_module._formatted.cache_clear()
    expected = words_for("fr").names(["Anne", "Bruno"])
    for path in (tmp_path / "cache").glob("words/*/*"):
        path.write_text('{"for": "another list", "text": "Mallory"}', encoding="utf-8")
    words_module._formatted.cache_clear()
    assert words_for("fr").names(["Anne", "Bruno"]) == expected == "Anne et Bruno"
    for path in (tmp_path / "cache").glob("words/*/*"):
        path.write_bytes(b"\xff\x00")
    words_module._formatted.cache_clear()
    assert words_for("fr").names(["Anne", "Bruno"]) == expected


def test_a_words_table_comes_from_the_cache_as_written_and_a_damaged_entry_from_the_table(tmp_path, monkeypatch):
    import tomllib

    import pressroom.exporters.words as words_module

    monkeypatch.setenv("PRESSROOM_CACHE_DIR", str(tmp_path / "cache"))
    table = words_module.CATALOGUE_DIR / "de.toml"
    expected = tomllib.loads(table.read_text(encoding="utf-8"))
    assert words_module._phrases(table) == expected  # cold: parsed and kept
    [kept] = (tmp_path / "cache").glob("word-tables/*/*")
    assert json.loads(kept.read_bytes()) == expected
    kept.write_text('{"contents": "Mallory"', encoding="utf-8")  # cut short
    assert words_module._phrases(table) == expected
    kept.write_text('{"contents": ["Mallory"]}', encoding="utf-8")  # not a table of phrases
    assert words_module._phrases(table) == expected
    kept.write_text('{"contents": "Warm"}', encoding="utf-8")  # the cache is what a warm run reads
    assert words_module._phrases(table) == {"contents": "Warm"}


def test_a_byline_says_by_in_the_language_and_number_of_authors():
    assert words_for("en").by(["Ada"]) == "By Ada"
    assert words_for("ru").by(["Анна"]) == "Автор: Анна"
    assert words_for("ru").by(["Анна", "Вера"]) == "Авторы: Анна и Вера"


@pytest.fixture(scope="module")
def greek_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("greek") / "greek.pdf"
    path.write_bytes(export(read_article(GREEK), "pdf"))
    return path


def test_a_greek_pdf_embeds_only_the_bundled_fonts(greek_pdf):
    fonts = pdffonts(greek_pdf)
    assert fonts
    for row in fonts:
        assert re.match(r"[A-Z]{6}\+(Noto-Serif|Lato|DejaVu-Sans-Mono)(-Bold|-Italic|-BoldItalic)?$", row[0]), row
        assert (row[-5], row[-4]) == ("yes", "yes"), row


def test_a_greek_pdfs_contents_and_colophon_are_in_greek(greek_pdf):
    pages = [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(greek_pdf).pages]
    # A short piece has no printed contents (the EPUB's navigation, in Greek, is tested below).
    assert any("12Μαΐου2024" in text for text in pages[:3])  # the article's date, on its title page
    assert "ΔημιουργήθηκεμετοPressroom" in pages[-1]
    assert "Συγγραφείς:ΕλένηΠαπαδοπούλουκαιΝίκοςΑλεξίου" in pages[-1]


def test_a_greek_article_needs_no_other_font():
    assert missing_characters(read_article(GREEK)) == []


def test_a_greek_epub_speaks_greek():
    data = export(read_article(GREEK), "epub")
    book = zipfile.ZipFile(io.BytesIO(data))
    nav = book.read("EPUB/text/nav.xhtml").decode()
    assert "<title>Περιεχόμενα</title>" in nav and 'id="toc-title">Περιεχόμενα</h1>' in nav
    cover = book.read("EPUB/text/cover.xhtml").decode()
    assert 'alt="Εξώφυλλο: Το λιμάνι τα ξημερώματα, Ελένη Παπαδοπούλου και Νίκος Αλεξίου"' in cover


@pytest.fixture(scope="module")
def arabic_editions():
    return export_set(read_article(ARABIC), ["pdf", "epub", "html"], ExportOptions(page_size="a5"))


def test_an_arabic_article_is_right_to_left():
    assert writing_direction(read_article(ARABIC).metadata) == "rtl"
    assert writing_direction(read_article(GREEK).metadata) == "ltr"


def test_an_arabic_epub_progresses_right_to_left(arabic_editions):
    book = zipfile.ZipFile(io.BytesIO(arabic_editions["epub"].main.data))
    opf = etree.fromstring(book.read("EPUB/content.opf"))
    spine = opf.find("{http://www.idpf.org/2007/opf}spine")
    assert spine.get("page-progression-direction") == "rtl"
    for name in book.namelist():
        if name.endswith(".xhtml"):
            assert etree.fromstring(book.read(name)).get("dir") == "rtl", name


def test_an_arabic_pdf_is_set_right_to_left_in_an_arabic_face(arabic_editions, tmp_path):
    path = tmp_path / "arabic.pdf"
    path.write_bytes(arabic_editions["pdf"].main.data)
    assert any("Noto-Naskh-Arabic" in row[0] for row in pdffonts(path))
    reader = PdfReader(path)
    body = next(index for index, label in enumerate(reader.page_labels) if label == "1")
    # The paragraph's first word ends the first line on the right, where a right-to-left line starts.
    boxes = subprocess.run([require("pdftotext"), "-bbox", "-f", str(body + 1), "-l", str(body + 1), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
    # poppler's boxes spell right-to-left words in visual order, last letter first.
    words = {word[::-1]: (float(left), float(right)) for left, right, word in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes)}
    first, next_word = words["يستيقظ"], words["الميناء"]
    assert first[0] > next_word[1], "the first word stands right of the second"
    assert first[1] == pytest.approx(max(right for _, right in words.values()), abs=1)


def test_an_arabic_html_edition_declares_its_direction(arabic_editions):
    assert '<html lang="ar" dir="rtl">' in arabic_editions["html"].main.data.decode()


def test_a_japanese_pdf_is_set_in_a_japanese_face(tmp_path):
    path = tmp_path / "japanese.pdf"
    path.write_bytes(export(read_article(JAPANESE), "pdf"))
    assert {row[0].split("+")[1] for row in pdffonts(path)} <= {
        "Noto-Serif-CJK-JP", "Noto-Serif-CJK-JP-Bold", "Noto-Sans-CJK-JP", "Noto-Sans-CJK-JP-Bold", "Noto-Serif",
        "Lato"}
    with zipfile.ZipFile(io.BytesIO(export(read_article(JAPANESE), "epub"))) as epub:
        navigation = next(epub.read(name).decode() for name in epub.namelist() if name.endswith("nav.xhtml"))
    assert "目次" in navigation  # a short piece has no printed contents; its e-book's is in Japanese


def test_characters_no_face_has_are_named_in_a_warning(tmp_path):
    article = read_article(NO_FONT)
    assert "\u168b" in missing_characters(article)
    warnings = export_set(article, ["pdf"])["pdf"].warnings
    assert len(warnings) == 1
    assert "U+168B OGHAM LETTER MUIN" in warnings[0] and str(NO_FONT) in warnings[0]
    assert export_set(read_article(SAMPLE), ["pdf"])["pdf"].warnings == ()


def test_the_cli_prints_the_warning_and_strict_refuses_to_write(runner, tmp_path):
    result = runner.invoke(main, ["export", str(NO_FONT), "-f", "pdf", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "OGHAM" in result.stderr
    strict = runner.invoke(main, ["export", str(NO_FONT), "-f", "pdf", "-o", str(tmp_path / "strict"), "--strict"])
    assert strict.exit_code == 1
    assert not (tmp_path / "strict").exists()
