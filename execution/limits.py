"""How long and how much memory one export may take, and how its worker processes start."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import settings

EXPORT_SECONDS = 60
EXPORT_MEMORY_MB = 3072


@dataclass(frozen=True)
class ExportLimits:
    """How long and how much memory one export may take; `start_method` is how workers start:
    "fork" for single-threaded callers (the CLI, a queue worker's pool process), "forkserver" for
    threaded servers, whose workers make at most `exports_per_worker` exports, and none after one
    that left the worker `worker_growth_bytes` larger than when it became ready (so that a later
    export has nearly the headroom of a fresh one)."""

    seconds: float = field(default_factory=lambda: settings.number("PRESSROOM_EXPORT_SECONDS", EXPORT_SECONDS))
    memory_bytes: int = field(default_factory=lambda: int(
        settings.number("PRESSROOM_EXPORT_MEMORY_MB", EXPORT_MEMORY_MB) * 1024 * 1024))
    start_method: str = "fork"
    exports_per_worker: int = 50
    worker_growth_bytes: int = 256 * 1024 * 1024
