"""What each report status reaches, and the moderation queue's duplicate candidates (no HTTP here).

- Analyses (runs) use every report but ``rejected`` and ``duplicate`` (:data:`ANALYSED_STATUSES`).
- Everything public uses only ``approved`` reports and never their free text: :func:`public_reports` is the
  one way a public answer reads stored reports.
- Residents' and Open311 reports start as ``new``; a partner's, a moderator's or staff's report counts as
  reviewed (:func:`initial_status`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

import numpy as np

from geo.service.storage import (
    ANALYSED_STATUSES,
    PUBLIC_STATUSES,
    ReportFilter,
    Store,
    StoredReport,
)

__all__ = [
    "DUPLICATE_DAYS",
    "DUPLICATE_RADIUS_M",
    "duplicate_candidates",
    "initial_status",
    "public_reports",
]

DUPLICATE_RADIUS_M = 50.0
"""Earlier reports of the same category at most this many metres away are duplicate candidates."""

DUPLICATE_DAYS = 7.0
"""... and at most this many days apart (by when they happened)."""

_EARTH_RADIUS_M = 6_371_009.0
_PAGE = 50_000


def public_reports(store: Store, flt: ReportFilter) -> list[StoredReport]:
    """List the reports a public answer may show: ``approved`` only, free text removed.

    Parameters
    ----------
    store
        The service's store.
    flt
        The caller's filter; its ``statuses`` are replaced by the public ones.
    """
    rows = store.list_reports(dataclasses.replace(flt, statuses=PUBLIC_STATUSES))
    return [dataclasses.replace(r, description=None) for r in rows]


def initial_status(*, reviewed: bool) -> str:
    """Status of a new submission: ``approved`` when its sender counts as reviewed, else ``new``."""
    return "approved" if reviewed else "new"


def _distance_m(lat0: float, lon0: float, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle distance in metres (haversine; exact enough at tens of metres)."""
    p0, p = np.radians(lat0), np.radians(lat)
    dlat, dlon = p - p0, np.radians(lon - lon0)
    a = np.sin(dlat / 2) ** 2 + np.cos(p0) * np.cos(p) * np.sin(dlon / 2) ** 2
    return np.asarray(2 * _EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0))))


def _pool(store: Store, rows: list[StoredReport], days: float) -> list[StoredReport]:
    """Every analysed report that happened within `days` of any of `rows`."""
    span = dt.timedelta(days=days)
    since = min(r.occurred_at for r in rows) - span
    until = max(r.occurred_at for r in rows) + span + dt.timedelta(microseconds=1)
    out: list[StoredReport] = []
    offset = 0
    while True:
        chunk = store.list_reports(
            ReportFilter(since=since, until=until, statuses=ANALYSED_STATUSES, limit=_PAGE, offset=offset)
        )
        out.extend(chunk)
        offset += len(chunk)
        if len(chunk) < _PAGE:
            return out


def duplicate_candidates(
    store: Store,
    rows: list[StoredReport],
    *,
    radius_m: float = DUPLICATE_RADIUS_M,
    days: float = DUPLICATE_DAYS,
) -> dict[str, list[str]]:
    """Find, for each of `rows`, earlier reports that may tell of the same thing.

    A candidate has the same category, was received earlier, happened at most `days` apart, lies at most
    `radius_m` metres away (both inclusive), and is neither ``rejected`` nor a ``duplicate`` itself.

    Parameters
    ----------
    store
        The service's store.
    rows
        The reports to check (the queue).
    radius_m, days
        How near in space (metres) and time (days).

    Returns
    -------
    candidates
        Report id -> ids of its candidates, nearest first (ties: the most recently happened first).
    """
    if not rows:
        return {}
    by_category: dict[str, list[StoredReport]] = defaultdict(list)
    for p in _pool(store, rows, days):
        by_category[p.category].append(p)
    arrays = {cat: _arrays(pool) for cat, pool in by_category.items()}
    span_s = days * 86_400.0
    out: dict[str, list[str]] = {}
    for r in rows:
        out[r.report_id] = []
        if r.category not in arrays:
            continue
        ids, occurred, created, lat, lon = arrays[r.category]
        t = r.occurred_at.timestamp()
        lo = int(np.searchsorted(occurred, t - span_s, side="left"))
        hi = int(np.searchsorted(occurred, t + span_s, side="right"))
        # received earlier (the report itself, received at the same instant, is not)
        idx = lo + np.flatnonzero(created[lo:hi] < r.created_at.timestamp())
        if not len(idx):
            continue
        d = _distance_m(r.lat, r.lon, lat[idx], lon[idx])
        ok = d <= radius_m
        idx, d = idx[ok], d[ok]
        order = np.lexsort((-occurred[idx], d))  # nearest first; ties: most recently happened first
        out[r.report_id] = [str(ids[j]) for j in idx[order]]
    return out


def _arrays(pool: list[StoredReport]) -> tuple[np.ndarray, ...]:
    """Ids, occurred and received times (epoch seconds), latitudes and longitudes, by occurred time."""
    pool = sorted(pool, key=lambda p: p.occurred_at)
    return (
        np.array([p.report_id for p in pool], dtype=object),
        np.array([p.occurred_at.timestamp() for p in pool]),
        np.array([p.created_at.timestamp() for p in pool]),
        np.array([p.lat for p in pool]),
        np.array([p.lon for p in pool]),
    )
