"""An issue's editions made in the periodical's formats, written to a folder and sent to its addresses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..articles.books.manifest import read_book
from ..delivery import send_edition
from ..errors import PressroomError
from ..execution import export_set
from ..exporters import chosen_options, plan_editions
from ..output import write_files
from .definition import Periodical


@dataclass
class Published:
    """The files written and the addresses an issue went to, and what could not be done."""

    written: list[Path] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def publish_issue(periodical: Periodical, manifest: Path, content_dir: Path, output_dir: Path | None) -> Published:
    """Make the issue's editions (the periodical's formats and options), write them to `output_dir`
    when given, and send the first format's edition to each of the periodical's addresses."""
    published = Published()
    if output_dir is None and not periodical.send_to:
        return published
    book = read_book(manifest, within=content_dir)
    published.warnings += book.warnings
    options = chosen_options(periodical.options)
    editions = export_set(book, list(periodical.formats), options)
    for edition in editions.values():
        published.warnings += edition.warnings
        if output_dir is not None:
            published.written += write_files(output_dir, edition.files)
    if periodical.send_to:
        format_name = periodical.formats[0]
        (plan,) = plan_editions([format_name], options)
        for address in periodical.send_to:
            try:
                send_edition(book.title, plan, editions[format_name], address)
                published.sent.append(address)
            except PressroomError as error:
                published.problems.append(f"not sent to {address}: {error}")
    return published
