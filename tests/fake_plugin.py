"""A third-party exporter as someone outside Pressroom would write it (used by the registry tests)."""

from __future__ import annotations

import re

from pressroom.exporters import Exporter


class PlainTextExporter(Exporter):
    name = "txt"
    label = "Plain text"
    media_type = "text/plain; charset=utf-8"
    extension = "txt"

    def export(self, article, options) -> bytes:
        lines = [article.title, ""]
        for section in article.sections:
            lines += [section.label, re.sub(r"<[^>]+>", "", section.html), ""]
        return "\n".join(lines).encode("utf-8")


class NotAnExporter:
    pass
