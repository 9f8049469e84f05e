"""The public view of stored reports (Open311 without a staff token), generalised so no one is singled out.

- Position: the centre of a square cell of :data:`PUBLIC_CELL_M` metres in the store's metric CRS; withheld
  (``null``) when fewer than ``k`` reports share the cell.
- Times: the local day only (midnight), for when it happened and when it was received; answers are sorted by
  day, cell and category, never by time within a day.
- No free text.

Differencing: whether a report's cell is shown is decided on a fixed population, every publishable report
in the store, never on the caller's filters (category, dates, ids). Two answers with different filters
therefore show a report in the same way, and comparing them reveals nothing the unfiltered list does not.
Date filters of the public are widened to whole local days, so they cannot bracket a receipt time either.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pyproj

from geo.service.storage import ReportFilter, StoredReport

__all__ = ["PUBLIC_CELL_M", "CellCounts", "PublicGrid", "public_record", "sort_public", "whole_days"]

PUBLIC_CELL_M = 250.0
"""Side of the public cells in metres (at least 200 m, as the privacy rule asks)."""


@dataclass(frozen=True)
class PublicGrid:
    """Square cells of `cell_m` metres in a metric CRS (EPSG code `epsg`), origin at the CRS's origin."""

    epsg: int
    cell_m: float = PUBLIC_CELL_M

    def __post_init__(self) -> None:
        if self.cell_m < 200:
            raise ValueError(f"public cells must be at least 200 m, got {self.cell_m}")

    @property
    def _to_metric(self) -> pyproj.Transformer:
        return _transformer("EPSG:4326", f"EPSG:{self.epsg}")

    @property
    def _to_wgs84(self) -> pyproj.Transformer:
        return _transformer(f"EPSG:{self.epsg}", "EPSG:4326")

    def cell(self, lat: float, lon: float) -> tuple[int, int]:
        """Return the cell (column, row) holding a WGS84 position."""
        x, y = self._to_metric.transform(lon, lat)
        return math.floor(x / self.cell_m), math.floor(y / self.cell_m)

    def centre(self, cell: tuple[int, int]) -> tuple[float, float]:
        """Return the WGS84 ``(lat, lon)`` of a cell's centre, rounded to 5 decimals."""
        lon, lat = self._to_wgs84.transform((cell[0] + 0.5) * self.cell_m, (cell[1] + 0.5) * self.cell_m)
        return round(lat, 5), round(lon, 5)


_TRANSFORMERS: dict[tuple[str, str], pyproj.Transformer] = {}


def _transformer(src: str, dst: str) -> pyproj.Transformer:
    key = (src, dst)
    if key not in _TRANSFORMERS:
        _TRANSFORMERS[key] = pyproj.Transformer.from_crs(src, dst, always_xy=True)
    return _TRANSFORMERS[key]


class CellCounts:
    """Publishable reports per public cell, over every publishable report (refreshed at most every `ttl_s`).

    Parameters
    ----------
    grid
        The public cells.
    rows
        Lists publishable reports for a filter (paged with ``limit``/``offset``).
    ttl_s
        Seconds a count is reused.
    """

    def __init__(
        self, grid: PublicGrid, rows: Callable[[ReportFilter], list[StoredReport]], *, ttl_s: float = 30.0
    ) -> None:
        self.grid = grid
        self._rows = rows
        self._ttl_s = ttl_s
        self._lock = threading.Lock()
        self._at = -math.inf
        self._counts: Counter[tuple[int, int]] = Counter()

    def counts(self, *, page: int = 50_000) -> Counter[tuple[int, int]]:
        """Count reports per cell (recounted when older than the time to live)."""
        with self._lock:
            if time.monotonic() - self._at > self._ttl_s:
                counts: Counter[tuple[int, int]] = Counter()
                offset = 0
                while True:
                    chunk = self._rows(ReportFilter(limit=page, offset=offset))
                    counts.update(self.grid.cell(r.lat, r.lon) for r in chunk)
                    offset += len(chunk)
                    if len(chunk) < page:
                        break
                self._counts = counts
                self._at = time.monotonic()
            return self._counts


def _day(t: dt.datetime, zone: ZoneInfo) -> str:
    return dt.datetime.combine(t.astimezone(zone).date(), dt.time(), tzinfo=zone).isoformat()


def public_record(
    r: StoredReport, *, grid: PublicGrid, counts: Counter[tuple[int, int]], k: int, zone: ZoneInfo
) -> dict[str, Any]:
    """Generalise one report: cell centre (or none below `k`), local days, no free text."""
    cell = grid.cell(r.lat, r.lon)
    shown = counts.get(cell, 0) >= k
    lat, lon = grid.centre(cell) if shown else (None, None)
    return {
        "description": None,
        "requested_datetime": _day(r.created_at, zone),
        "updated_datetime": _day(r.created_at, zone),
        "occurred_datetime": _day(r.occurred_at, zone),
        "lat": lat,
        "long": lon,
        "_order": (_day(r.occurred_at, zone), cell if shown else (0, 0), r.category, r.report_id),
    }


def whole_days(
    start: dt.datetime | None, end: dt.datetime | None, zone: ZoneInfo
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Widen a public date range to whole local days (start's midnight to the midnight after the end)."""
    if start is not None:
        start = dt.datetime.combine(start.astimezone(zone).date(), dt.time(), tzinfo=zone)
    if end is not None:
        day = end.astimezone(zone).date()
        if end.astimezone(zone).time() != dt.time():
            day += dt.timedelta(days=1)
        end = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    return start, end


def sort_public(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sort generalised records by day, cell, category and id, and drop the sort key."""
    ordered = sorted(records, key=lambda d: d["_order"])
    for d in ordered:
        del d["_order"]
    return ordered
