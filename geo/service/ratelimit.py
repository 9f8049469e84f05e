"""Per-client rate limit of submissions: a sliding window of one minute."""

from __future__ import annotations

import collections
import math
import threading
import time

__all__ = ["RateLimiter"]


class RateLimiter:
    """Allow at most `per_min` events per key within any 60 seconds.

    Parameters
    ----------
    per_min
        Events allowed per key and minute; 0 turns the limit off.
    max_keys
        Keys remembered; beyond this, keys with no event in the last minute are forgotten.
    """

    WINDOW_S = 60.0

    def __init__(self, per_min: int, *, max_keys: int = 100_000) -> None:
        self.per_min = per_min
        self._max_keys = max_keys
        self._events: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, *, now: float | None = None) -> int:
        """Record an event for `key`.

        Returns
        -------
        retry_after_s
            0 when allowed; otherwise whole seconds until the next event would be allowed (the event is
            then not recorded).
        """
        if self.per_min <= 0:
            return 0
        t = time.monotonic() if now is None else now
        with self._lock:
            q = self._events.get(key)
            if q is None:
                if len(self._events) >= self._max_keys:
                    self._forget(t)
                q = self._events[key] = collections.deque()
            while q and q[0] <= t - self.WINDOW_S:
                q.popleft()
            if len(q) >= self.per_min:
                return max(1, math.ceil(q[0] + self.WINDOW_S - t))
            q.append(t)
            return 0

    def _forget(self, t: float) -> None:
        stale = [k for k, q in self._events.items() if not q or q[-1] <= t - self.WINDOW_S]
        for k in stale:
            del self._events[k]
