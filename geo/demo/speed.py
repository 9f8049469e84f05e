"""A week of speed measurements on eight segments: three with planted speeding (worst at night), 5 controls.

Every passing vehicle is a row of ``passes``; ``hourly`` aggregates them per hour, segment and direction; the
per-site statistics go into the truth.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from shapely.geometry import LineString

from geo.demo.network import Segment
from geo.demo.places import Proj

__all__ = ["DAILY_VOLUME", "NIGHT_HOURS", "SPEED_SITES", "SPEED_WEEK_START", "speed_measurements"]

SPEED_WEEK_START = dt.date(2026, 9, 14)
"""Monday of the week the speed measurements were taken."""
NIGHT_HOURS = (22, 23, 0, 1, 2, 3, 4)
"""Hours counted as night for speeds."""

SPEED_SITES: tuple[tuple[str, int, bool, float, float], ...] = (
    # street key, piece index, planted speeding, mean above limit by day, by night (km/h)
    ("jv_n1", 0, True, 2.0, 11.0),
    ("skolgatan", 1, True, 1.0, 10.0),
    ("sodra", 2, True, 1.0, 12.0),
    ("storgatan", 2, False, -5.0, -3.0),
    ("norra", 1, False, -5.0, -2.0),
    ("gislaved", 1, False, -6.0, -3.0),
    ("jarnvag", 0, False, -4.0, -3.0),
    ("jv_s0", 3, False, -5.0, -2.0),
)
"""Measured sites."""
DAILY_VOLUME = {"primary": 420, "secondary": 280, "tertiary": 210, "residential": 110}
"""Vehicles per weekday and direction-less site, by road class."""

_HOURLY_SHARE = np.array(
    [1, 0.6, 0.4, 0.4, 0.6, 1.5, 4, 7, 7, 5, 4.5, 5, 5.5, 5, 5, 6, 7.5, 8, 6, 4.5, 3.5, 2.5, 2, 1.5]
)
_PASS_COLUMNS = ["measured_at", "segment_id", "direction", "speed_kmh", "lat", "lon", "night", "limit"]


def _direction(line: LineString) -> tuple[str, str]:
    """Return the compass directions (with, against) the line's drawing order."""
    (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
    if abs(x1 - x0) >= abs(y1 - y0):
        return ("E", "W") if x1 >= x0 else ("W", "E")
    return ("N", "S") if y1 >= y0 else ("S", "N")


def _site_passes(
    rng: np.random.Generator, seg: Segment, lat: float, lon: float, up_day: float, up_night: float
) -> list[tuple[Any, ...]]:
    """Return every pass at one site over the week, on average `up_day`/`up_night` km/h over the limit."""
    hourly_share = _HOURLY_SHARE / _HOURLY_SHARE.sum()
    limit = float(seg.street.maxspeed_kmh or 0)
    dirs = _direction(seg.line)
    volume = DAILY_VOLUME[seg.street.highway]
    rows: list[tuple[Any, ...]] = []
    for d in range(7):
        day = SPEED_WEEK_START + dt.timedelta(days=d)
        weekend = day.weekday() >= 5
        for h in range(24):
            k = int(rng.poisson(volume * hourly_share[h] * (0.75 if weekend else 1.0)))
            if k == 0:
                continue
            night = h in NIGHT_HOURS
            mean = limit + (up_night if night else up_day)
            v = np.round(np.clip(rng.normal(mean, 6.0 if night else 5.0, k), 5, None), 1)
            sec = np.sort(rng.integers(0, 3600, k))
            dirn = rng.integers(0, 2, k)
            t0 = np.datetime64(dt.datetime.combine(day, dt.time(h)), "s")
            for j in range(k):
                t = t0 + np.timedelta64(int(sec[j]), "s")
                rows.append((t, seg.segment_id, dirs[int(dirn[j])], float(v[j]), lat, lon, night, limit))
    return rows


def _site_stats(item: dict[str, Any], passes: pd.DataFrame) -> None:
    """Add pass counts, shares over the limit and v85 by day, night and overall to a site's truth `item`."""
    sub = passes[passes["segment_id"] == item["segment_id"]]
    for label, part in (("day", sub[~sub["night"]]), ("night", sub[sub["night"]]), ("all", sub)):
        item[f"passes_{label}"] = int(len(part))
        item[f"share_over_limit_{label}"] = round(float((part["speed_kmh"] > part["limit"]).mean()), 4)
        item[f"share_over_limit_10_{label}"] = round(
            float((part["speed_kmh"] > part["limit"] + 10).mean()), 4
        )
        item[f"p85_kmh_{label}"] = round(float(np.percentile(part["speed_kmh"], 85)), 1)


def _hourly(passes: pd.DataFrame) -> pd.DataFrame:
    """Aggregate passes per hour, segment and direction: count, mean and v85 (with the site's lat/lon)."""
    hour = passes["measured_at"].dt.floor("h")
    g = passes.assign(hour_start=hour).groupby(["hour_start", "segment_id", "direction"], sort=True)[
        "speed_kmh"
    ]
    hourly = g.agg(
        count="count", mean_kmh="mean", p85_kmh=lambda s: float(np.percentile(s, 85))
    ).reset_index()
    return hourly.merge(
        passes.drop_duplicates("segment_id")[["segment_id", "lat", "lon"]], on="segment_id", how="left"
    )


def speed_measurements(
    rng: np.random.Generator, segs: list[Segment], proj: Proj
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict[str, Any]]]:
    """Return the passes, their hourly aggregates and per-site truth (``planted``, limit, shares, v85)."""
    rows: list[tuple[Any, ...]] = []
    info: list[dict[str, Any]] = []
    for key, piece, planted, up_day, up_night in SPEED_SITES:
        seg = [s for s in segs if s.street.key == key][piece]
        mid = seg.line.interpolate(0.5, normalized=True)
        lat, lon = proj.wgs(np.array([mid.x]), np.array([mid.y]))
        rows.extend(_site_passes(rng, seg, float(lat[0]), float(lon[0]), up_day, up_night))
        info.append(
            {
                "segment_id": seg.segment_id,
                "street": seg.street.name,
                "planted": planted,
                "limit_kmh": int(seg.street.maxspeed_kmh or 0),
                "lat": round(float(lat[0]), 6),
                "lon": round(float(lon[0]), 6),
            }
        )
    passes = pd.DataFrame(rows, columns=_PASS_COLUMNS)
    passes = passes.sort_values(["measured_at", "segment_id"], kind="stable").reset_index(drop=True)
    for item in info:
        _site_stats(item, passes)
    return passes, _hourly(passes), info
