"""A sliding-window rate limit: at most `limit` events per key in any `window` seconds.

Written here rather than taken from the `limits` package: its releases need packaging>=21, and
Rasa 3.6 pins packaging 20.9. Pure apart from a lock: the caller passes the clock. Counts live in
this process, so each server limits what reaches it (README "Security and reliability").
"""

from __future__ import annotations

import threading
from collections import deque


class RateLimit:
    def __init__(self, limit: int, window: float = 60.0, max_keys: int = 100_000):
        self.limit = limit
        self.window = window
        self.max_keys = max_keys  # so a flood of new keys cannot grow memory without bound
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: float) -> bool:
        """Count an event for `key` at `now` if it is within the limit; False when it is not."""
        with self._lock:
            events = self._events.get(key)
            if events is None:
                if len(self._events) >= self.max_keys:
                    self._forget_idle(now)
                events = self._events[key] = deque()
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(now)
            return True

    def retry_after(self, key: str, now: float) -> float:
        """Seconds until `key` may send again (0 when it may now)."""
        with self._lock:
            events = self._events.get(key)
            if not events or len(events) < self.limit:
                return 0.0
            return max(0.0, events[0] + self.window - now)

    def _forget_idle(self, now: float) -> None:
        idle = [key for key, events in self._events.items() if not events or events[-1] <= now - self.window]
        for key in idle:
            del self._events[key]
        if len(self._events) >= self.max_keys:  # all busy: drop the oldest half rather than grow
            for key in list(self._events)[: self.max_keys // 2]:
                del self._events[key]
