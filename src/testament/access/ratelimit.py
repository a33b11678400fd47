"""Requests per minute per token, counted in this process or, with `redis_url`, in Redis so that
every app instance draws on one budget.

A moving window (the `limits` library): a client that spent its budget waits exactly until its
oldest request in the window is a minute old, and `Retry-After` says how long that is. The window
is a setting (`rate_limit_window_seconds`), 60 but in tests.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from testament.kit.errors import RateLimited
from testament.settings import Settings

log = logging.getLogger("testament.ratelimit")

# The Qase docs promise `Retry-After: 60`; we say the true wait when it is shorter.
MAX_RETRY_AFTER = 60
# How often a broken counter store is reported in the log while requests go on unlimited.
STORE_ERROR_LOG_INTERVAL = 60.0


@dataclass(frozen=True)
class Budget:
    """What is left of a caller's budget, for the `X-RateLimit-*` headers."""

    limit: int
    remaining: int
    reset_seconds: int  # until the window has room again (0 when it already has)

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_seconds),
        }


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        self.default_per_minute = settings.rate_limit_per_minute
        self.window_seconds = settings.rate_limit_window_seconds
        store = storage_from_string(settings.redis_url or "memory://")
        assert isinstance(store, Storage)  # a sync URL gives a sync store
        self._store = store
        self._strategy = MovingWindowRateLimiter(self._store)
        self._items: dict[int, RateLimitItem] = {}
        self._last_store_error = 0.0

    def spend(
        self, key: str, per_minute: int | None = None, *, who: str = "this token may make"
    ) -> Budget | None:
        """Count one request against `key`'s budget; 429 (`RateLimited`) when it is spent.

        `who` starts the 429's account of the limit (`"this token may make"` 600 requests a
        minute). None when no limit applies. Should the counter store (Redis) fail, the request goes
        through unlimited and the failure is logged: the API stays up without its limiter.
        """
        limit = self.default_per_minute if per_minute is None else per_minute
        if limit <= 0:
            return None
        item = self._items.get(limit)
        if item is None:
            item = self._items.setdefault(limit, self._item(limit))
        try:
            allowed = self._strategy.hit(item, key)
            stats = self._strategy.get_window_stats(item, key)
        except Exception as exc:  # the store's own errors (redis.ConnectionError, ...)
            self._report_store_error(exc)
            return None
        wait = max(0.0, stats.reset_time - time.time())
        budget = Budget(limit=limit, remaining=stats.remaining, reset_seconds=math.ceil(wait))
        if not allowed:
            retry_after = min(MAX_RETRY_AFTER, max(1, math.ceil(wait)))
            raise RateLimited(
                retry_after,
                f"Too many requests: {who} {limit} requests {self._per_window()}. "
                f"Retry in {retry_after} seconds.",
                headers=budget.headers(),
            )
        return budget

    def _item(self, limit: int) -> RateLimitItem:
        # A minute is counted under the keys it always had (shared in Redis across upgrades).
        if self.window_seconds == 60:
            return RateLimitItemPerMinute(limit)
        return RateLimitItemPerSecond(limit, self.window_seconds)

    def _per_window(self) -> str:
        return "a minute" if self.window_seconds == 60 else f"in {self.window_seconds} seconds"

    def _report_store_error(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._last_store_error >= STORE_ERROR_LOG_INTERVAL:
            self._last_store_error = now
            log.error("rate-limit store failed, requests go unlimited: %s", type(exc).__name__)
