"""Which front matter a print edition gets: it scales with the piece, so a short article is not padded
with a title page and a contents page that lists what is all on its first page."""

from __future__ import annotations

from dataclasses import dataclass

from ...articles import Publication

# Below this many words (about four A4 pages) an article's title opens its text instead of a page of its own.
MIN_TITLE_PAGE_WORDS = 1800
# A contents of fewer entries than this tells a reader nothing the first page does not.
MIN_CONTENTS_ENTRIES = 3


@dataclass(frozen=True)
class FrontMatter:
    """Whether the edition has a title page of its own and a printed contents."""

    title_page: bool
    contents: bool


def front_matter(publication: Publication, contents: bool = True) -> FrontMatter:
    """A book keeps both; an article gets a contents when it has at least three titled sections (see
    `contents_on_one_page` for those that all fall on one page; `contents` False leaves it out), and a
    title page when it is long or has a contents (which the title comes before)."""
    if publication.chapters:
        return FrontMatter(title_page=True, contents=True)
    contents = contents and sum(1 for section in publication.sections if section.titled) >= MIN_CONTENTS_ENTRIES
    return FrontMatter(title_page=contents or publication.word_count >= MIN_TITLE_PAGE_WORDS, contents=contents)


def contents_on_one_page(document, section_ids: list[str]) -> bool:
    """Whether every section of the laid-out `document` begins on the same page (its contents would
    list one page number for all)."""
    wanted, pages = set(section_ids), set()
    for number, page in enumerate(document.pages):
        found = {anchor for anchor in page.anchors if anchor in wanted}
        if found:
            pages.add(number)
            wanted -= found
    return len(pages) <= 1
