"""What a reader returns, before `read_article` adds the slug, assets and digest."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Metadata, Section


@dataclass(frozen=True)
class ReadResult:
    """A reader's findings: metadata, sections, the local files its HTML names, and warnings."""

    metadata: Metadata
    sections: tuple[Section, ...]
    asset_hrefs: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
