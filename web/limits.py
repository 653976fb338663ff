"""Limits on guessing passwords: wrong ones counted per address (Flask-Limiter's storage: Redis when a
queue is set, memory otherwise or while Redis is down), and a growing wait per account that never
becomes a lock-out."""

from __future__ import annotations

import time

from flask import Flask, abort, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from .. import settings

EXTENSION = "pressroom-sign-in-limits"
FIRST_DELAYED_FAILURE = 3  # a typo or two costs nothing
sleep = time.sleep  # tests count the waits instead of waiting


class SignInLimits:
    """Wrong passwords per address: `attempts` in `window` seconds, then 429 until the window ends."""

    def __init__(self, app: Flask) -> None:
        self.attempts = int(app.config.get("SIGN_IN_ATTEMPTS") or settings.number("PRESSROOM_SIGN_IN_ATTEMPTS", 10,
                                                                                       minimum=1, above=False))
        self.window = int(app.config.get("SIGN_IN_WINDOW_SECONDS")
                          or settings.number("PRESSROOM_SIGN_IN_WINDOW_SECONDS", 300, minimum=1, above=False))
        self.longest_delay = app.config.get("SIGN_IN_DELAY_SECONDS")
        if self.longest_delay is None:
            self.longest_delay = settings.number("PRESSROOM_SIGN_IN_DELAY_SECONDS", 4, maximum=60, above=False)
        self.limit = RateLimitItemPerSecond(self.attempts, self.window)
        self.flask_limiter = Limiter(get_remote_address, app=app, storage_uri=app.config.get("QUEUE_URL") or "memory://",
                                     key_prefix="pressroom-sign-in", default_limits=[])
        self.fallback = FixedWindowRateLimiter(MemoryStorage())

    def _strategy(self, call):
        """`call(strategy)` on the configured storage, or on this server's memory while it cannot be reached."""
        try:
            return call(self.flask_limiter.limiter)
        except Exception as error:  # the storage's own errors (redis's, a refused connection) vary by backend
            current_app.logger.warning("sign-in limits kept in memory: the storage cannot be reached (%s)",
                                       type(error).__name__)
            return call(self.fallback)

    def check(self) -> None:
        """A 429 with Retry-After when this address has given its wrong passwords for the window."""
        address = request.remote_addr or "unknown"
        if not self._strategy(lambda strategy: strategy.test(self.limit, address)):
            reset = self._strategy(lambda strategy: strategy.get_window_stats(self.limit, address)).reset_time
            wait = max(1, int(reset - time.time()) + 1)
            abort(429, f"Too many wrong passwords from this address. Try again in {wait} seconds.", retry_after=wait)

    def failed(self) -> None:
        address = request.remote_addr or "unknown"
        self._strategy(lambda strategy: strategy.hit(self.limit, address))

    def delay(self, failures: int) -> float:
        """The wait before a password of an account with `failures` wrong ones since its last right one:
        doubling from a quarter second after the first few, at most the longest delay."""
        if failures < FIRST_DELAYED_FAILURE or not self.longest_delay:
            return 0.0
        return min(float(self.longest_delay), 0.25 * 2 ** min(failures - FIRST_DELAYED_FAILURE, 16))


def sign_in_limits() -> SignInLimits:
    return current_app.extensions[EXTENSION]
