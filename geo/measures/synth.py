"""A planted-truth world for measures: background reports, busy places, and effects that start on a date.

Used by the tests, the benchmark and the demo world: every count the evaluation should find is set here.
Places are discs of `radius_m` with their own rate; an effect multiplies the rate inside the disc (and,
separately, in the ring of `ring_m` around it) from the start on; a town-wide `trend` multiplies every rate
from `trend_start` on.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.model import Reports, validate_reports

__all__ = ["PlantedPlace", "make_reports", "planted_reports"]


@dataclass(frozen=True)
class PlantedPlace:
    """A busy place and what a measure does to it.

    Attributes
    ----------
    x, y, radius_m
        The disc, in metres.
    per_day
        Reports a day inside the disc before any effect; `ring_per_day` in the ring around it.
    effect, ring_effect
        Relative change from `start` on (``-0.5`` halves the rate, ``+0.3`` adds 30 %).
    start
        Day the effect begins (local date ``YYYY-MM-DD``).
    ring_m
        Width of the ring.
    """

    x: float
    y: float
    radius_m: float
    per_day: float
    start: str
    effect: float = 0.0
    ring_per_day: float = 0.0
    ring_effect: float = 0.0
    ring_m: float = 200.0


def make_reports(
    x: np.ndarray,
    y: np.ndarray,
    times: pd.Series | pd.DatetimeIndex,
    *,
    category: np.ndarray | str = "skadegörelse",
    is_dark: np.ndarray | None = None,
    crs: str = "EPSG:3006",
    source: str = "police",
) -> Reports:
    """Build a valid reports frame from positions (metres) and local times."""
    t = pd.Series(pd.DatetimeIndex(times))
    n = len(t)
    frame = gpd.GeoDataFrame(
        {
            "report_id": pd.Series([f"r{i}" for i in range(n)], dtype="string"),
            "occurred_at": t,
            "occurred_to": pd.Series(pd.NaT, index=range(n), dtype=t.dtype),
            "category": pd.Series(np.broadcast_to(category, n), dtype="string"),
            "source": pd.Series([source] * n, dtype="string"),
            "description": pd.Series([pd.NA] * n, dtype="string"),
            "weight": np.ones(n),
            "location_precision": pd.Series(["exact"] * n, dtype="string"),
            "source_file": pd.Series(["planted"] * n, dtype="string"),
            "source_row": pd.Series(np.arange(1, n + 1), dtype="Int64"),
            "hour": t.dt.hour.astype("int8"),
            "weekday": t.dt.day_of_week.astype("int8"),
            "iso_year": t.dt.isocalendar()["year"].astype("int16").to_numpy(),
            "iso_week": t.dt.isocalendar()["week"].astype("int8").to_numpy(),
            "month": t.dt.month.astype("int8"),
            "is_dark": (t.dt.hour >= 18) | (t.dt.hour < 6) if is_dark is None else is_dark,
        },
        geometry=gpd.points_from_xy(x, y),
        crs=crs,
    )
    return validate_reports(frame)


def _disc(rng: np.random.Generator, n: int, r0: float, r1: float) -> tuple[np.ndarray, np.ndarray]:
    r = np.sqrt(rng.uniform(r0**2, r1**2, n))
    a = rng.uniform(0, 2 * np.pi, n)
    return r * np.cos(a), r * np.sin(a)


def planted_reports(
    places: list[PlantedPlace],
    *,
    first_day: str = "2024-01-01",
    days: int = 731,
    box: tuple[float, float, float, float] = (438_000.0, 6_338_000.0, 446_000.0, 6_346_000.0),
    background_per_day: float = 100.0,
    trend: float = 1.0,
    trend_start: str | None = None,
    tz: str = "Europe/Stockholm",
    seed: int = 0,
) -> Reports:
    """Return reports with the planted places and effects (see the module docstring)."""
    rng = np.random.default_rng(seed)
    day0 = pd.Timestamp(first_day, tz=tz)
    day_index = np.arange(days)
    stamps = pd.DatetimeIndex([day0 + pd.Timedelta(days=int(d)) for d in day_index])
    g = np.ones(days)
    if trend_start is not None:
        g[stamps >= pd.Timestamp(trend_start, tz=tz)] = trend
    xs, ys, ds = [], [], []

    def emit(rate: np.ndarray, place: tuple[float, float, float, float] | None) -> None:
        counts = rng.poisson(rate)
        n = int(counts.sum())
        ds.append(np.repeat(day_index, counts))
        if place is None:
            xs.append(rng.uniform(box[0], box[2], n))
            ys.append(rng.uniform(box[1], box[3], n))
        else:
            dx, dy = _disc(rng, n, place[2], place[3])
            xs.append(place[0] + dx)
            ys.append(place[1] + dy)

    emit(background_per_day * g, None)
    for p in places:
        after = stamps >= pd.Timestamp(p.start, tz=tz)
        emit(p.per_day * g * np.where(after, 1 + p.effect, 1.0), (p.x, p.y, 0.0, p.radius_m))
        if p.ring_per_day:
            ring = p.ring_per_day * g * np.where(after, 1 + p.ring_effect, 1.0)
            emit(ring, (p.x, p.y, p.radius_m, p.radius_m + p.ring_m))
    day = np.concatenate(ds)
    minute = rng.integers(0, 1440, len(day))
    times = day0.tz_localize(None) + pd.to_timedelta(day, unit="D") + pd.to_timedelta(minute, unit="min")
    local = pd.DatetimeIndex(times).tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    keep = ~local.isna()
    order = np.argsort(local[keep].asi8, kind="stable")
    x, y = np.concatenate(xs)[keep][order], np.concatenate(ys)[keep][order]
    return make_reports(x, y, local[keep][order])
