"""A third-party exporter as someone outside Pressroom would write it (used by the registry tests)."""

from __future__ import annotations

import re

import textwrap

from pressroom.exporters import Edition, EditionFile, Exporter, Option


class PlainTextExporter(Exporter):
    name = "txt"
    label = "Plain text"
    media_type = "text/plain; charset=utf-8"
    extension = "txt"
    options = (Option("wrap", "Wrap lines", False, help="Wrap the text at 60 characters."),)

    def export(self, article, settings, pages=None) -> Edition:
        lines = [article.title, ""]
        for section in article.sections:
            lines += [section.label, re.sub(r"<[^>]+>", "", section.html), ""]
        if settings["wrap"]:
            lines = [textwrap.fill(line, 60) for line in lines]
        return Edition((EditionFile(f"{article.slug}.txt", "\n".join(lines).encode("utf-8"), self.media_type),))


class NotAnExporter:
    pass
