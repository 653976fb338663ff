"""Editions written into an output folder: one source read and each chosen edition of it written,
whole or not at all, and `--strict` (warnings stop an export) decided here for every door."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import PressroomError
from .files import write_atomically


class StrictRefusal(PressroomError):
    """--strict: something with warnings is not exported (or not written)."""


def refuse_if_strict(strict: bool, warnings: Sequence[str], subject: object, not_done: str = "not exported") -> None:
    """With --strict, StrictRefusal when there are `warnings` (said above it): "`subject`: `not_done`"."""
    if strict and warnings:
        raise StrictRefusal(f"{subject}: {not_done}, because of the warnings above (--strict)")


@dataclass(frozen=True)
class SourceExport:
    """One source to export: a file or a web address, the formats and options, where to write."""

    source: str
    formats: list[str]
    output_dir: Path
    options: Any
    strict: bool
    allowed_hosts: tuple[str, ...] = ()
    language: str | None = None  # --lang: over what the source declares


@dataclass(frozen=True)
class ExportOutcome:
    """What exporting one source did: files written, messages for stderr, whether it failed."""

    written: list[Path]
    messages: list[str]
    failed: bool


def export_source(job: SourceExport) -> ExportOutcome:
    """Read one source (a file, or a web address to fetch) and write each chosen edition of it."""
    from .articles.readers.sources import read_source
    from .execution import export_set

    written: list[Path] = []
    messages: list[str] = []
    try:
        article = read_source(job.source, job.allowed_hosts, job.language)
        messages += [f"warning: {warning}" for warning in article.warnings]
        refuse_if_strict(job.strict, article.warnings, job.source)
        editions = export_set(article, job.formats, job.options).values()
        warnings = [warning for edition in editions for warning in edition.warnings]
        messages += [f"warning: {warning}" for warning in warnings]
        refuse_if_strict(job.strict, warnings, job.source, "not written")
        for edition in editions:
            written += write_files(job.output_dir, edition.files)
    except PressroomError as error:
        return ExportOutcome(written, messages + [f"error: {error}"], True)
    return ExportOutcome(written, messages, False)


def prepare_batch_process(formats: list[str], options: Any) -> None:
    """Load the engines once in each process of a batch; its export workers fork from it warm."""
    from .exporters import plan_editions, prepare_engines

    prepare_engines(plan_editions(formats, options), many=True)


def write_files(output_dir: Path, files: Iterable[Any]) -> list[Path]:
    """Write the files of an edition under `output_dir`, each atomically; the paths written."""
    written = []
    for file in files:
        target = output_dir / file.name
        write_atomically(target, file.data)
        written.append(target)
    return written
