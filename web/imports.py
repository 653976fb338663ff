"""Pages added by address in the web UI: at most `IMPORT_SLOTS` fetched at once, a 503 at once beyond
them, so that slow sites never hold every thread of the server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import abort, current_app

from .work import RETRY_AFTER_SECONDS

EXTENSION = "pressroom-imports"


class ImportSlots:
    """At most `slots` imports at once; one more is turned away rather than kept waiting for a thread."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._free = threading.BoundedSemaphore(slots)

    @contextmanager
    def slot(self) -> Iterator[None]:
        if not self._free.acquire(blocking=False):
            abort(503, f"Pressroom is already fetching {self.slots} pages, as many as it fetches at once. Try again "
                       f"in {RETRY_AFTER_SECONDS} seconds.", retry_after=RETRY_AFTER_SECONDS)
        try:
            yield
        finally:
            self._free.release()


def import_slot():
    """A slot of this app's imports, for the length of a `with` block (a 503 when none is free)."""
    return current_app.extensions[EXTENSION].slot()
