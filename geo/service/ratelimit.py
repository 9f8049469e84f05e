"""Per-client rate limit of submissions: a sliding window of one minute, in bounded memory."""

from __future__ import annotations

import collections
import ipaddress
import math
import threading
import time

__all__ = ["STAFF_FACTOR", "RateLimiter", "client_key"]

STAFF_FACTOR = 10
"""A signed-in user (any role) may submit this many times the public budget per minute."""


def client_key(address: str) -> str:
    """Return the key a public client is counted under: its IPv4 address, or an IPv6 address's /64.

    One IPv6 host usually holds a whole /64, so counting single addresses would let it rotate past the limit.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)


class RateLimiter:
    """Allow at most `per_min` events per key within any 60 seconds.

    Memory is bounded: at most `max_keys` keys with at most ``per_min`` (or the budget given to
    :meth:`hit`) times each. When a new key arrives and the table is full, keys with no event in the last
    minute are forgotten first; if every key is still active, the least recently active one is forgotten.

    Parameters
    ----------
    per_min
        Events allowed per key and minute; 0 turns the limit off.
    max_keys
        Most keys remembered.
    """

    WINDOW_S = 60.0

    def __init__(self, per_min: int, *, max_keys: int = 100_000) -> None:
        self.per_min = per_min
        self._max_keys = max_keys
        self._events: collections.OrderedDict[str, collections.deque[float]] = collections.OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._events)

    def hit(self, key: str, *, now: float | None = None, per_min: int | None = None) -> int:
        """Record an event for `key` (within `per_min` events, default the limiter's own budget).

        Returns
        -------
        retry_after_s
            0 when allowed; otherwise whole seconds until the next event would be allowed (the event is
            then not recorded).
        """
        budget = self.per_min if per_min is None else per_min
        if self.per_min <= 0 or budget <= 0:
            return 0
        t = time.monotonic() if now is None else now
        with self._lock:
            q = self._events.get(key)
            if q is None:
                if len(self._events) >= self._max_keys:
                    self._forget(t)
                q = self._events[key] = collections.deque()
            else:
                self._events.move_to_end(key)
            while q and q[0] <= t - self.WINDOW_S:
                q.popleft()
            if len(q) >= budget:
                return max(1, math.ceil(q[0] + self.WINDOW_S - t))
            q.append(t)
            return 0

    def _forget(self, t: float) -> None:
        stale = [k for k, q in self._events.items() if not q or q[-1] <= t - self.WINDOW_S]
        for k in stale:
            del self._events[k]
        while len(self._events) >= self._max_keys:
            self._events.popitem(last=False)  # the least recently active key
