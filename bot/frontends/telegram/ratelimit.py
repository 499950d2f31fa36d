"""Per-user sliding-window rate limit, with the clock injected so tests control time."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

WINDOW_S = 60.0  # the limit is "per minute"


class RateLimiter:
    """At most `limit` events per `window` seconds for each key."""

    def __init__(self, limit: int, window: float = WINDOW_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._events: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}

    def allow(self, key: int) -> bool:
        """Record an event for `key`; False when it is over the limit."""
        now = self.clock()
        events = self._events.setdefault(key, deque())
        while events and now - events[0] >= self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True

    def should_warn(self, key: int) -> bool:
        """True once per window for a key that is over the limit (one "slow down" reply)."""
        now = self.clock()
        if now - self._warned.get(key, -self.window) >= self.window:
            self._warned[key] = now
            return True
        return False
