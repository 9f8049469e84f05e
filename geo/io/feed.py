"""An archive of the Police events feed: fetch the latest events and append the new ones to a JSON Lines file.

The events API (``polisen.se/api/events``) returns only its latest 500 events, so its history is kept by
fetching it now and then and appending every event not yet archived (by its ``id``). The archive is one event
object a line (``.jsonl``), in the feed's own shape, so :func:`geo.io.read_reports` reads it like the events
JSON. Every write goes to a temporary file that replaces the archive only when complete, under a lock, so a
cron job and the service can share one archive.

The Police's rules for their API (polisen.se, "Regler för användning av polisens öppna data och API:er"):
a user agent naming the application, HTTPS, at least 10 s between calls, at most 60 calls an hour and 1440 a
day, and a 404 is permanent. :func:`fetch_to_archive` keeps 10 s between calls to one archive; the service's
schedule never polls more often than every 10 minutes.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from geo import __version__
from geo.errors import InputError
from geo.io.export import atomic_path

__all__ = [
    "MIN_INTERVAL_S",
    "POLISEN_EVENTS_URL",
    "USER_AGENT",
    "FeedError",
    "FetchResult",
    "append_events",
    "fetch_events",
    "fetch_to_archive",
    "read_archive",
]

POLISEN_EVENTS_URL = "https://polisen.se/api/events"
"""The official events API (the latest 500 events, newest first)."""

USER_AGENT = f"lagesbild/{__version__} (EST-lägesbild; https://github.com/lagesbild)"
"""Sent with every call, as the Police's rules ask."""

MIN_INTERVAL_S = 10.0
"""Least time between two calls for one archive (the Police's rule)."""

_MAX_BYTES = 50_000_000


class FeedError(InputError):
    """The feed could not be fetched or read; ``permanent`` when it must not be asked again (404)."""

    def __init__(self, message: str, *, path: str | None = None, permanent: bool = False) -> None:
        self.permanent = permanent
        super().__init__(message, path=path)


@dataclass(frozen=True)
class FetchResult:
    """What one fetch did: events in the answer, events new to the archive, events archived in all."""

    fetched: int
    new: int
    total: int


def _event_id(event: Any) -> str:
    if not isinstance(event, dict) or event.get("id") in (None, ""):
        raise ValueError("every event must be a JSON object with an 'id'")
    return str(event["id"])


def fetch_events(url: str = POLISEN_EVENTS_URL, *, timeout_s: float = 30.0) -> list[dict[str, Any]]:
    """Fetch one page of events (a JSON list of event objects).

    Raises
    ------
    FeedError
        On a network or HTTP error (``permanent`` for 404), or when the answer is not a list of events.
    """
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:  # noqa: S310 - http(s) URL given by the user
            body = resp.read(_MAX_BYTES + 1)
    except urllib.error.HTTPError as err:
        err.close()  # holds the connection open otherwise
        if err.code == 404:
            raise FeedError(
                "404: the feed says this resource is gone for good; do not ask again",
                path=url,
                permanent=True,
            ) from err
        wait = err.headers.get("Retry-After") if err.headers else None
        more = f" (retry after {wait} s)" if wait else ""
        raise FeedError(f"HTTP {err.code} {err.reason}{more}", path=url) from err
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        raise FeedError(f"cannot fetch the events feed: {err}", path=url) from err
    if len(body) > _MAX_BYTES:
        raise FeedError(f"answer larger than {_MAX_BYTES} bytes", path=url)
    try:
        events = json.loads(body.decode("utf-8"))
        if not isinstance(events, list):
            raise ValueError("expected a JSON list of events")
        for ev in events:
            _event_id(ev)
    except (ValueError, UnicodeDecodeError) as err:
        raise FeedError(f"not an events feed: {err}", path=url) from err
    return events


def read_archive(path: str | Path) -> list[dict[str, Any]]:
    """Read an archive (one event object a line; blank lines are skipped); ``[]`` when it does not exist.

    Raises
    ------
    InputError
        Naming the line that is not an event object.
    """
    p = Path(path)
    if not p.exists():
        return []
    events: list[dict[str, Any]] = []
    with open(p, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                ev = json.loads(line)
                _event_id(ev)
            except ValueError as err:
                raise InputError(f"line {n}: not an event object: {err}", path=str(p)) from err
            events.append(ev)
    return events


@contextmanager
def _locked(path: Path) -> Iterator[IO[str]]:
    """Hold an exclusive lock beside the archive (``ARCHIVE.jsonl.lock``, holding the last call's time)."""
    lock = path.with_name(path.name + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield fh
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _published(ev: dict[str, Any]) -> str:
    return str(ev.get("datetime", ""))


def append_events(path: str | Path, events: list[dict[str, Any]]) -> int:
    """Append the events not yet in the archive (by ``id``), atomically; return how many were new.

    Earlier lines are kept as they are; new events are added oldest first (by publication time, then id).
    """
    p = Path(path)
    with _locked(p):
        return _append(p, events)


def _append(p: Path, events: list[dict[str, Any]]) -> int:
    old = read_archive(p)
    seen = {_event_id(ev) for ev in old}
    new: dict[str, dict[str, Any]] = {}
    for ev in events:
        key = _event_id(ev)
        if key not in seen and key not in new:
            new[key] = ev
    if not new:
        return 0
    ordered = sorted(new.values(), key=lambda ev: (_published(ev), _event_id(ev)))
    with atomic_path(p) as tmp:
        with open(tmp, "wb") as out:
            if p.exists():
                with open(p, "rb") as src:
                    data = src.read()
                out.write(data)
                if data and not data.endswith(b"\n"):
                    out.write(b"\n")
            for ev in ordered:
                out.write(json.dumps(ev, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
            out.flush()
            os.fsync(out.fileno())
    return len(ordered)


def _is_police(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    return host == "polisen.se" or host.endswith(".polisen.se")


def fetch_to_archive(
    path: str | Path, *, url: str = POLISEN_EVENTS_URL, timeout_s: float = 30.0
) -> FetchResult:
    """Fetch the feed and append its new events to the archive at `path`.

    Calls to the Police for one archive are at least :data:`MIN_INTERVAL_S` apart (a second call waits),
    and two callers never write at once.

    Raises
    ------
    FeedError
        When the feed cannot be fetched (the archive is then unchanged).
    """
    p = Path(path)
    with _locked(p) as lock:
        lock.seek(0)
        try:
            since = time.time() - float(lock.read().strip() or "nan")
        except ValueError:
            since = float("nan")
        if 0 <= since < MIN_INTERVAL_S and _is_police(url):
            time.sleep(MIN_INTERVAL_S - since)
        lock.seek(0)
        lock.truncate()
        lock.write(f"{time.time():.3f}\n")
        lock.flush()
        events = fetch_events(url, timeout_s=timeout_s)
        n = _append(p, events)
        total = len(read_archive(p))
    return FetchResult(fetched=len(events), new=n, total=total)
