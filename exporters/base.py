"""The exporter interface, the options every edition shares, and the export errors."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from ..articles import Article, PressroomError

PAGE_SIZES = {
    # name: label; each size's page geometry lives in exporters/pdf.py
    "a4": "A4",
    "letter": "US Letter",
    "a5": "A5",
    "6x9": "6 × 9 in",
}
PDF_VARIANTS = {
    "pdf/ua-1": "Tagged (PDF/UA-1)",
    "pdf/a-2b": "Archival (PDF/A-2b)",
    "pdf/a-3b": "Archival (PDF/A-3b)",
}


class UnknownFormat(PressroomError):
    """No registered exporter has the asked-for name."""

    exit_code = 2

    def __init__(self, name: str, available: list[str]) -> None:
        self.name = name
        self.available = available
        super().__init__(f"unknown format {name!r}; available formats: {', '.join(available)}")


class OptionError(PressroomError):
    """An export option with a value Pressroom does not offer."""

    exit_code = 2


class ExportFailed(PressroomError):
    """An engine could not make the edition; the message says why in the user's terms."""

    def __init__(self, article: Article, format_name: str, reason: str) -> None:
        super().__init__(f"{article.source_path}: this article cannot be exported as {format_name}: {reason}")

    @classmethod
    def because(cls, message: str) -> ExportFailed:
        """The error a worker process reported, by its message."""
        error = cls.__new__(cls)
        PressroomError.__init__(error, message)
        return error


@dataclass(frozen=True)
class ExportOptions:
    """Edition options, validated once and shared by the CLI and the web UI (hashable: a cache key)."""

    page_size: str = "a4"
    pdf_variant: str = "pdf/ua-1"
    cover: bool = True
    page_list: bool = False  # EPUB: mark the PDF edition's page breaks (costs a print layout)

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES:
            raise OptionError(f"page size {self.page_size!r} is not offered; choose one of "
                              f"{', '.join(PAGE_SIZES)}")
        if self.pdf_variant not in PDF_VARIANTS:
            raise OptionError(f"PDF variant {self.pdf_variant!r} is not offered; choose one of "
                              f"{', '.join(PDF_VARIANTS)}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> ExportOptions:
        """Options from form or query values (strings); unknown keys are ignored."""
        known = {field.name for field in fields(cls)}
        kwargs: dict[str, Any] = {}
        for name in values:
            # A form sends a hidden "off" before the checkbox's "on": the last value wins.
            value = values.getlist(name)[-1] if hasattr(values, "getlist") else values[name]
            if name not in known or value in (None, ""):
                continue
            if name in ("cover", "page_list"):
                kwargs[name] = str(value).lower() not in ("0", "false", "off", "no")
            else:
                kwargs[name] = str(value)
        return cls(**kwargs)

    def as_query(self) -> dict[str, str]:
        return {"page_size": self.page_size, "pdf_variant": self.pdf_variant,
                "cover": "on" if self.cover else "off", "page_list": "on" if self.page_list else "off"}


class Exporter(ABC):
    """Turns an article into one edition; subclasses set the four class attributes."""

    name: ClassVar[str]
    label: ClassVar[str]
    media_type: ClassVar[str]
    extension: ClassVar[str]

    @abstractmethod
    def export(self, article: Article, options: ExportOptions) -> bytes:
        """The edition's bytes, or ExportFailed with the reason."""

    def prepare(self, options: ExportOptions) -> None:
        """Load what every export needs (engines, fonts) before export workers are forked, so that
        each inherits it instead of loading it again. Optional."""
