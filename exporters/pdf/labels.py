"""PDF page labels that match the printed folios: the front matter in roman, the text from 1."""

from __future__ import annotations

import pydyf

TEXT_PAGES = "body"


def page_labels(page_types: list[str]) -> pydyf.Dictionary:
    """The catalogue's /PageLabels for pages of these types (WeasyPrint's page names, in order).

    Every page before the text (cover, title page, contents and the blank versos between them) is
    numbered in lower-case roman by its position (the cover is i), as the contents page prints it;
    the text's first page is 1 and the numbers run on to the end.
    """
    text_start = page_types.index(TEXT_PAGES) if TEXT_PAGES in page_types else len(page_types)
    numbers = []
    if text_start > 0:
        numbers += [0, pydyf.Dictionary({"S": "/r"})]
    if text_start < len(page_types):
        numbers += [text_start, pydyf.Dictionary({"S": "/D"})]
    return pydyf.Dictionary({"Nums": pydyf.Array(numbers)})


def printed_labels(page_types: list[str]) -> list[str]:
    """Each page's label as `page_labels` numbers it: "i", "ii"... before the text, "1", "2"... from it."""
    text_start = page_types.index(TEXT_PAGES) if TEXT_PAGES in page_types else len(page_types)
    return [_roman(index + 1) if index < text_start else str(index - text_start + 1)
            for index in range(len(page_types))]


def _roman(number: int) -> str:
    numerals = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    letters = ""
    for value, numeral in numerals:
        count, number = divmod(number, value)
        letters += numeral * count
    return letters


def label_pages(document, pdf: pydyf.PDF) -> None:
    """A finisher for WeasyPrint's `write_pdf`: add the page labels to the PDF before it is written,
    from the page types the layout knows (the PDF itself is never parsed again)."""
    pdf.catalog["PageLabels"] = page_labels([page._page_box.page_type.name for page in document.pages])
