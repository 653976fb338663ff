"""The web UI in a real browser: Debian's chromium driven by Playwright, axe-core on every page.

Screenshots of every page are written to build/screenshots/ (CI artifacts; look at them)."""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from conftest import RICH, ROOT, SAMPLE
from server import running_server
from validators import epubcheck_messages, pdfinfo, require

SCREENSHOTS = ROOT / "build" / "screenshots"
DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Editions and checks are made while the page waits: a PDF or an EPUB check can take many seconds.
expect.set_options(timeout=90_000)
AXE = ROOT / "tools" / "node_modules" / "axe-core" / "axe.min.js"
SLUG = "28-banned-photos-smuggled-out-of-north-korea"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    content = tmp_path_factory.mktemp("browser") / "content"
    content.mkdir()
    shutil.copy(SAMPLE, content / SAMPLE.name)
    with running_server(content) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    assert AXE.exists(), "axe-core is not installed: run scripts/setup.sh"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require("chromium"), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # axe-core is injected as an inline script, which the app's Content-Security-Policy rightly refuses.
    context = browser.new_context(accept_downloads=True, bypass_csp=True, viewport=DESK)
    page = context.new_page()
    yield page
    context.close()


def check_page(page: Page, name: str, full_page: bool = True) -> None:
    """Screenshot the page (whole, or what the screen shows), then assert axe-core finds no violation on it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)""")
    assert violations == [], name


def test_the_library_lists_the_sample(page, base_url):
    page.goto(base_url + "/")
    expect(page.get_by_role("heading", name="Library")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^28 Banned Photos"))).to_be_visible()
    check_page(page, "library")


def test_the_preview_shows_the_sample_in_every_view(page, base_url):
    page.goto(base_url + "/")
    page.get_by_role("link", name=re.compile("^28 Banned Photos")).click()
    expect(page.locator(".article-title")).to_contain_text("28 Banned Photos")
    expect(page.locator(".item-number")).to_have_count(4)
    check_page(page, "preview-reading")
    page.get_by_role("link", name="PDF pages").click()
    expect(page.locator(".pages img").first).to_be_visible()
    assert page.locator(".pages img").count() == 4  # cover, two pages of text, colophon
    assert page.locator(".pages img").first.evaluate("img => img.naturalWidth") > 0
    check_page(page, "preview-print")
    page.get_by_role("link", name="E-book chapters").click()
    expect(page.frame_locator("iframe").nth(3).locator("p").first).to_contain_text("Photography in North Korea")
    expect(page.frame_locator("iframe").nth(4).locator("h1")).to_contain_text("1. North Korea")
    check_page(page, "preview-ebook")


def test_every_download_button_gives_a_valid_file(page, base_url, tmp_path):
    page.goto(f"{base_url}/articles/{SLUG}/")
    buttons = page.locator("a.download")
    assert buttons.count() == 5
    for index in range(5):
        with page.expect_download() as download_info:
            buttons.nth(index).click()
        target = tmp_path / download_info.value.suggested_filename
        download_info.value.save_as(target)
        if target.suffix == ".pdf" and "print-ready" in target.name:
            assert pdfinfo(target)["Page size"].startswith("441 x 666")  # 6.125 x 9.25 in: 6 x 9 and its bleed
        elif target.suffix == ".pdf":
            assert pdfinfo(target)["Tagged"] == "yes"
        elif target.suffix == ".epub":
            assert epubcheck_messages(target) == []
        elif target.suffix == ".md":
            assert target.read_text(encoding="utf-8").startswith("---\ntitle: 28 Banned Photos")
        else:
            assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    expect(page.locator(".download-status")).to_contain_text("is ready")
    assert sorted(path.suffix for path in tmp_path.iterdir() if path.suffix != ".json") == [
        ".epub", ".html", ".md", ".pdf", ".pdf"]  # the PDF and the print-ready PDF, named apart


def test_the_page_size_applies_at_once_to_the_pages_view(page, base_url):
    page.goto(f"{base_url}/articles/{SLUG}/?view=pdf")
    expect(page.get_by_role("button", name="Apply")).to_be_hidden()  # script applies each change
    page.get_by_label("Page size").select_option("a5")
    expect(page).to_have_url(re.compile(r"page_size=a5"))
    # Cover, blank, title page, blank, contents, blank (each opens on a recto), two pages of text, colophon.
    expect(page.locator(".pages img")).to_have_count(9)
    expect(page.locator(".spread").first.locator("img")).to_have_count(1)  # the cover alone, then pairs
    expect(page.locator(".spread").nth(1).locator("img")).to_have_count(2)
    expect(page.locator(".page figcaption").first).to_have_text("i")
    check_page(page, "preview-print-a5")


def test_a_changed_page_size_and_cover_give_a_download_named_with_them_without_apply(page, base_url, tmp_path):
    page.goto(f"{base_url}/articles/{SLUG}/")
    page.get_by_label("Page size").select_option("a5")
    page.get_by_label("Cover").uncheck()
    expect(page.locator(".download-status")).to_contain_text("now use these options")
    check_page(page, "options-changed")
    with page.expect_download() as download_info:
        page.locator("a.download[data-format=pdf]").click()
    assert download_info.value.suggested_filename == \
        "28 Banned Photos That Were Secretly Smuggled Out Of North Korea (A5, no cover).pdf"
    target = tmp_path / "a5.pdf"
    download_info.value.save_as(target)
    assert pdfinfo(target)["Page size"].startswith("419.528 x 595.276")
    expect(page.locator(".download-status")).to_contain_text("(A5, no cover).pdf")
    page.reload()  # the address keeps the options
    expect(page.get_by_label("Page size")).to_have_value("a5")


def test_add_an_article_by_upload(page, base_url):
    page.goto(base_url + "/add")
    check_page(page, "add")
    page.set_input_files("#files", [str(RICH), str(RICH.parent / "images" / "boat.png")])
    page.get_by_role("button", name="Upload").click()
    expect(page).to_have_url(re.compile(r"/articles/article/$"))
    expect(page.locator(".article-title")).to_have_text("Field Notes from the Harbour")
    expect(page.locator("figure img")).to_be_visible()
    check_page(page, "preview-uploaded")


def test_add_an_article_by_paste(page, base_url):
    page.goto(base_url + "/add")
    page.get_by_role("textbox", name=re.compile("^Name")).fill("A pasted note")
    page.get_by_label("Plain text: a title line, then paragraphs").check()
    page.get_by_label("Text", exact=True).fill("A Pasted Note\n\n1. First point. It matters.\n\n2. Second point.\n")
    page.get_by_role("button", name="Add the article").click()
    expect(page).to_have_url(re.compile(r"/articles/a-pasted-note/$"))
    expect(page.locator(".item-number")).to_have_count(2)


def test_the_samples_text_pasted_with_the_defaults_lands_on_its_preview(page, base_url):
    page.goto(base_url + "/add")
    expect(page.get_by_label("Told by its shape")).to_be_checked()
    page.get_by_label("Text", exact=True).fill(SAMPLE.read_text(encoding="utf-8"))
    check_page(page, "add-paste-sample")
    page.get_by_role("button", name="Add the article").click()
    expect(page).to_have_url(re.compile(r"/articles/28-banned-photos-that-were-secretly-smuggled-out-of-north-korea/$"))
    expect(page.locator(".article-title")).to_contain_text("28 Banned Photos")
    expect(page.locator(".item-number")).to_have_count(4)
    check_page(page, "preview-pasted-sample")


def test_pasted_front_matter_gives_a_slug_from_its_title(page, base_url):
    page.goto(base_url + "/add")
    page.get_by_label("Text", exact=True).fill("---\ntitle: Notes on pasting\n---\n\nThe *first* note.\n")
    page.get_by_role("button", name="Add the article").click()
    expect(page).to_have_url(re.compile(r"/articles/notes-on-pasting/$"))
    expect(page.locator(".article-title")).to_have_text("Notes on pasting")


def test_delete_an_article(page, base_url):
    page.goto(base_url + "/add")
    page.get_by_label("Text", exact=True).fill("A Short-Lived Note\n\nSoon gone.\n")
    page.get_by_role("button", name="Add the article").click()
    page.get_by_role("link", name="Delete this article…").click()
    expect(page.get_by_role("heading", name="Delete “A Short-Lived Note”?")).to_be_visible()
    check_page(page, "delete-confirm")
    page.get_by_role("button", name="Delete the article").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".notice")).to_contain_text("“A Short-Lived Note” was deleted")
    expect(page.get_by_role("link", name="A Short-Lived Note")).to_have_count(0)
    check_page(page, "library-after-delete")


def test_an_uploaded_word_document_is_named_as_one(page, base_url, tmp_path):
    docx = tmp_path / "Notes.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    page.goto(base_url + "/add")
    page.set_input_files("#files", str(docx))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("Notes.docx: this is a Word document (.docx)")
    expect(page.get_by_role("alert")).to_contain_text("Plain Text (.txt)")
    check_page(page, "add-word-document")


def test_a_pdf_page_opens_full_size(page, base_url):
    page.goto(f"{base_url}/articles/{SLUG}/?view=pdf&page_size=a5")
    thumbnail = page.locator(".page img").nth(6)
    expect(thumbnail).to_be_visible()
    shown = thumbnail.evaluate("img => img.getBoundingClientRect().width")
    page.locator(".page a").nth(6).click()
    expect(page).to_have_url(re.compile(r"/view/pdf/7\?.*size=large"))
    natural = page.locator("img").evaluate("img => img.naturalWidth")
    assert natural > shown >= 300  # readable in the preview, larger on its own
    page.screenshot(path=str(SCREENSHOTS / "pdf-page-full-size.png"))


def test_the_epub_check_shows_its_progress_and_the_second_comes_from_the_cache(page, base_url):
    page.goto(f"{base_url}/articles/{SLUG}/?page_size=letter")
    page.get_by_role("link", name="Check the EPUB (EPUBCheck)").click()
    expect(page.locator(".job-state")).to_contain_text("s so far")
    check_page(page, "check-epub-working")
    expect(page.locator(".findings")).to_contain_text("EPUBCheck found no errors and no warnings.")
    checked = page.locator(".checked time").get_attribute("datetime")
    check_page(page, "check-epub")
    page.reload()
    expect(page.locator(".findings")).to_be_visible(timeout=5_000)
    assert page.locator(".checked time").get_attribute("datetime") == checked


def test_a_broken_upload_shows_its_error_by_the_form(page, base_url, tmp_path):
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\nText\n", encoding="utf-8")
    page.goto(base_url + "/add")
    page.set_input_files("#files", str(broken))
    page.get_by_role("button", name="Upload").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("broken.md, line 2: invalid YAML front matter")
    check_page(page, "add-error")


def test_a_broken_paste_keeps_the_text(page, base_url):
    page.goto(base_url + "/add")
    page.get_by_label("Text", exact=True).fill("---\ndate: 2024-02-30\n---\n\nMy precious words.\n")
    page.get_by_role("button", name="Add the article").click()
    expect(page.get_by_role("alert")).to_contain_text("line 2: 'date' has an impossible value")
    expect(page.get_by_label("Text", exact=True)).to_have_value(re.compile("My precious words."))


def test_the_checks_and_an_unknown_article(page, base_url):
    page.goto(f"{base_url}/articles/{SLUG}/")
    page.get_by_role("link", name="Check the PDF").click()
    expect(page.locator(".findings")).to_contain_text("Tagged for screen readers.")
    check_page(page, "check-pdf")
    response = page.goto(base_url + "/articles/no-such-article/")
    assert response.status == 404
    expect(page.get_by_role("alert")).to_contain_text("There is no article called “no-such-article”")
    check_page(page, "not-found")


def test_the_keyboard_reaches_the_downloads(page, base_url):
    page.goto(f"{base_url}/articles/{SLUG}/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('download')"):
            break
    assert page.evaluate("document.activeElement.dataset.format") == "pdf"


def test_a_phone_shows_the_article_title_first_and_the_tabs_on_one_row(browser, base_url):
    context = browser.new_context(bypass_csp=True, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{base_url}/articles/{SLUG}/")
    title = page.locator(".article-title").bounding_box()
    tabs = [page.locator(".views a").nth(index).bounding_box() for index in range(3)]
    editions = page.locator(".editions").bounding_box()
    check_page(page, "preview-mobile", full_page=False)
    for name, url in [("library-mobile", "/"), ("add-mobile", "/add"),
                      ("preview-print-mobile", f"/articles/{SLUG}/?view=pdf&page_size=a5"),
                      ("preview-ebook-mobile", f"/articles/{SLUG}/?view=epub")]:
        page.goto(base_url + url)
        expect(page.locator(".job-state")).to_have_count(0)  # the edition made, not the page that waits for it
        check_page(page, name, full_page=False)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    context.close()
    assert title["y"] + title["height"] <= PHONE["height"]
    assert len({box["y"] for box in tabs}) == 1 and tabs[-1]["x"] + tabs[-1]["width"] <= PHONE["width"]
    assert editions["y"] > title["y"]


def test_the_e_book_chapters_are_shown_whole_in_a_serif_face(page, base_url):
    page.goto(f"{base_url}/articles/{SLUG}/?view=epub")
    chapter = page.frame_locator("iframe").nth(3)
    expect(chapter.locator("p").first).to_contain_text("Photography in North Korea")
    family = chapter.locator("p").first.evaluate("p => getComputedStyle(p).fontFamily")
    assert family.startswith('"Charis SIL"')
    frames = page.locator("iframe")
    for index in range(frames.count()):
        frames.nth(index).scroll_into_view_if_needed()
        page.wait_for_function("frame => frame.contentDocument.readyState === 'complete' && "
                               "frame.contentDocument.documentElement.scrollHeight <= frame.clientHeight",
                               arg=frames.nth(index).element_handle())  # no scrollbar of its own
    check_page(page, "preview-ebook-whole")


def test_the_favicon_is_served(page, base_url):
    response = page.goto(base_url + "/favicon.ico")
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")


def test_make_a_book_of_three_library_articles_preview_it_and_download_both_editions(page, tmp_path_factory, tmp_path):
    content = tmp_path_factory.mktemp("books") / "content"
    content.mkdir()
    shutil.copy(SAMPLE, content / SAMPLE.name)
    shutil.copy(RICH, content / "field-notes.md")
    shutil.copytree(RICH.parent / "images", content / "images")
    (content / "lighthouse.md").write_text("---\ntitle: The Lighthouse\nauthors: [Mary Keeper]\n---\n\n"
                                           "The lamp was lit at dusk.\n\n## Notes\n\nKept nightly.\n", encoding="utf-8")
    with running_server(content) as url:
        page.goto(url + "/")
        page.get_by_role("link", name="Books").click()
        check_page(page, "books")
        page.get_by_role("link", name="Make a book of library articles").click()
        check_page(page, "book-new")
        page.get_by_label("Title").fill("Coastal Reader")
        for place, title in enumerate(("The Lighthouse", "Field Notes from the Harbour", "28 Banned Photos"), start=1):
            page.get_by_role("checkbox", name=re.compile(title)).check()
            page.get_by_label(re.compile(f"Place of {title}")).fill(str(place))
        page.get_by_role("button", name="Make the book").click()
        expect(page).to_have_url(url + "/books/coastal-reader/")
        expect(page.locator(".chapter-title")).to_have_text(
            ["The Lighthouse", "Field Notes from the Harbour", re.compile("28 Banned Photos")])
        expect(page.locator(".chapter-byline").first).to_have_text("By Mary Keeper")
        check_page(page, "book-reading")
        page.get_by_role("link", name="PDF pages").click()
        expect(page.locator(".pages img").first).to_be_visible()
        check_page(page, "book-print")
        page.get_by_role("link", name="E-book chapters").click()
        expect(page.locator(".chapters iframe").first).to_be_visible()
        check_page(page, "book-ebook")
        for name in ("pdf", "epub"):
            with page.expect_download() as download_info:
                page.locator(f"a.download[data-format={name}]").click()
            target = tmp_path / download_info.value.suggested_filename
            download_info.value.save_as(target)
            assert target.name == f"Coastal Reader.{name}"
        assert pdfinfo(tmp_path / "Coastal Reader.pdf")["Title"] == "Coastal Reader"
        assert epubcheck_messages(tmp_path / "Coastal Reader.epub") == []
