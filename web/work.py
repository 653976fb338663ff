"""Long work (editions, checks) run once per key in the background, while pages say how far it is."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from flask import abort

RETRY_AFTER_SECONDS = 30


class JobPending(Exception):
    """The work is not finished yet: `job` says where it is (`state`: "queued" with `ahead`, or
    "running"), `what` says what it is in words, `notice` what the reader should know of the wait."""

    def __init__(self, job, what: str = "This edition is being made", notice: str | None = None) -> None:
        super().__init__(job.state)
        self.job = job
        self.what = what
        self.notice = notice


class Running:
    """Work this server is doing in a thread of its own: since when, and its outcome once `finished`."""

    state = "running"
    ahead = None

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.finished = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    @property
    def seconds(self) -> int:
        return int(time.monotonic() - self.started)


class BackgroundWork:
    """At most `slots` pieces of work at once (a 503 at once beyond them); asking again for work that
    is running waits for the same run instead of starting another."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._free = threading.BoundedSemaphore(slots)
        self._running: dict[str, Running] = {}
        self._lock = threading.Lock()

    def result(self, key: str, work: Callable[[], Any], what: str, patience: float | None = None) -> Any:
        """What `work()` returns, waited for up to `patience` seconds (None: until it is done), else
        JobPending. `work` keeps its result where the next request finds it (a cache) before it ends."""
        with self._lock:
            job = self._running.get(key)
            if job is None:
                if not self._free.acquire(blocking=False):
                    abort(503, f"Pressroom is already making {self.slots} editions or checks, as many as it makes "
                               f"at once. Try again in {RETRY_AFTER_SECONDS} seconds; editions made before come at "
                               "once.", retry_after=RETRY_AFTER_SECONDS)
                job = self._running[key] = Running()
                threading.Thread(target=self._run, args=(key, job, work), daemon=True).start()
        if not job.finished.wait(patience):
            raise JobPending(job, what)
        if job.error is not None:
            raise job.error
        return job.result

    def _run(self, key: str, job: Running, work: Callable[[], Any]) -> None:
        try:
            job.result = work()
        except Exception as error:  # handed to the requests that wait for it
            job.error = error
        finally:
            with self._lock:
                del self._running[key]
            self._free.release()
            job.finished.set()
