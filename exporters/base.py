"""The exporter interface: the options an exporter declares, the edition it returns, its errors."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from ..articles import PressroomError, Publication

if TYPE_CHECKING:
    from .pagination import PageList


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
    """An engine could not make the edition; the message says why in the user's terms. `transient`
    when the export was stopped (time, a dead worker) rather than refused: trying again may work."""

    def __init__(self, article: Publication, format_label: str, reason: str, transient: bool = False) -> None:
        super().__init__(f"{article.source_path}: this article cannot be exported as {format_label}: {reason}")
        self.transient = transient

    @classmethod
    def because(cls, message: str) -> ExportFailed:
        """The error a worker process reported, by its message."""
        error = cls.__new__(cls)
        PressroomError.__init__(error, message)
        error.transient = False
        return error


@dataclass(frozen=True)
class Option:
    """An edition option an exporter reads.

    `choices` maps each value to its label (a choice option); without choices the option is on or
    off. A `default` of None on an on/off option means "on when it costs nothing": the registry turns
    it on when the work it needs is done anyway (the EPUB's page-list when the PDF is made too).
    """

    name: str
    label: str
    default: str | bool | None
    choices: Mapping[str, str] | None = None
    help: str = ""

    def parse(self, value: Any) -> str | bool | None:
        """`value` (from a flag, a form or a query string) as this option's type, or OptionError."""
        if self.choices is None:
            if isinstance(value, bool) or value is None:
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "on", "yes"):
                return True
            if text in ("0", "false", "off", "no"):
                return False
            raise OptionError(f"{self.label} is on or off, not {str(value)[:40]!r}")
        if value not in self.choices:
            raise OptionError(f"{self.label.lower()} {str(value)[:40]!r} is not offered; choose one of "
                              f"{', '.join(self.choices)}")
        return value


class ExportOptions(Mapping[str, Any]):
    """The options a user chose, by name; each exporter reads the ones it declares (hashable)."""

    def __init__(self, values: Mapping[str, Any] | None = None, **named: Any) -> None:
        self._values = {name: value for name, value in {**(values or {}), **named}.items() if value is not None}

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items())))

    def __repr__(self) -> str:
        return f"ExportOptions({self._values!r})"


@dataclass(frozen=True)
class EditionFile:
    """One file of an edition: its name relative to the output folder, its bytes and media type."""

    name: str
    data: bytes
    media_type: str


@dataclass(frozen=True)
class View:
    """One thing a preview of the edition shows: a printed page or an e-book document. A page may carry
    the number printed on it (`label`) and, in a book whose pages face each other, its `side`
    ("left" or "right")."""

    name: str
    title: str
    label: str | None = None
    side: str | None = None


@dataclass(frozen=True)
class Edition:
    """What an export made: its files (the main file first), what a preview shows of it (and the
    files those views use, by media type), for an edition laid out in pages, where they begin, and
    what the reader of the edition should know of it (`warnings`, in plain words)."""

    files: tuple[EditionFile, ...]
    views: tuple[View, ...] = ()
    pages: PageList | None = field(default=None, compare=False)
    resources: Mapping[str, str] = field(default_factory=dict, compare=False)  # preview files: media types
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def main(self) -> EditionFile:
        return self.files[0]


@dataclass(frozen=True)
class Finding:
    """One line of a check's report: `level` is "ok", "info", "warning" or "error"."""

    level: str
    text: str


class Exporter(ABC):
    """Turns an article into one edition; subclasses set the class attributes and `export`.

    Optional capabilities, each a method to override: `refusal` turns away, at once, an article its
    engine could not lay out within the export limit; `paginate` (with `pagination_options`) lays the
    article out in pages for the editions that mark them; `check` reports on a finished edition;
    `preview_file` serves one of the edition's `views` to the web preview (with `preview_label`).
    """

    name: ClassVar[str]
    label: ClassVar[str]
    media_type: ClassVar[str]
    extension: ClassVar[str]
    options: ClassVar[tuple[Option, ...]] = ()
    pagination_options: ClassVar[tuple[str, ...]] = ()  # what a page list depends on, for paginators
    preview_label: ClassVar[str | None] = None
    preview_kind: ClassVar[str] = "document"  # how the preview shows each view: "image" or "document"
    check_label: ClassVar[str | None] = None
    # Made only when asked for by name (`-f NAME`), not among "every format" (the print edition: a
    # second layout and a cover, for a printer).
    on_request: ClassVar[bool] = False
    # Words its files' names carry, when another edition has the same file type (the print edition's PDF).
    file_words: ClassVar[tuple[str, ...]] = ()

    def settings(self, options: Mapping[str, Any]) -> dict[str, Any]:
        """The values of this exporter's own options: chosen or default, checked."""
        return {option.name: option.parse(options[option.name]) if option.name in options else option.default
                for option in self.options}

    def planned_files(self, article: Publication) -> dict[str, str]:
        """The files this exporter's edition of `article` holds, main file first: name (relative to the
        output folder) and media type. An exporter that writes more than `<slug>.<extension>` says so
        here: a queued job's result may hold these files and no others."""
        return {f"{article.slug}.{self.extension}": self.media_type}

    def wants_pages(self, settings: Mapping[str, Any]) -> bool:
        """Whether this edition marks the pages of a print layout (then `export` gets a PageList)."""
        return False

    @abstractmethod
    def export(self, article: Publication, settings: Mapping[str, Any], pages: PageList | None = None) -> Edition:
        """The edition, or ExportFailed with the reason."""

    def paginate(self, article: Publication, settings: Mapping[str, Any]) -> PageList:
        """Lay the article out in pages without writing the edition (paginators only)."""
        raise NotImplementedError(f"the {self.label} exporter does not lay out pages")

    @property
    def provides_pages(self) -> bool:
        return type(self).paginate is not Exporter.paginate

    def refusal(self, publication: Publication) -> str | None:
        """Why this exporter will not lay `publication` out within the export limit, decided from the
        article alone before any work starts (a reason and its fix), or None."""
        return None

    def check(self, edition: Edition) -> list[Finding]:
        """A plain-words report on a finished edition (exporters with a `check_label`)."""
        raise NotImplementedError(f"the {self.label} exporter has no check")

    def preview_file(self, edition: Edition, name: str, query: Mapping[str, str]) -> tuple[bytes, str] | None:
        """(bytes, media type) of the view or resource `name` for the web preview, or None."""
        return None

    def prepare(self, many: bool = False) -> None:
        """Load what every export needs (engines, fonts) before export workers are forked, so that
        each inherits it instead of loading it again; `many` when many workers will fork from this
        process (worth filling caches with a small export). Optional."""
