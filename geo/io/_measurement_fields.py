"""The fields of a speed-measurement row: position, time, speed or hourly figures, direction.

Each reader step takes the raw column(s), the row numbers a user sees and the mask of rows already rejected,
records its own rejections and warnings in the :class:`~geo.io.rejects.RejectLog`, and returns the values and
the updated mask (a row is rejected for its first problem only).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.io._columns import blank, numbers
from geo.rejects import RejectLog
from geo.time.parse import parse_times

__all__ = ["Positions", "direction_field", "hour_fields", "pass_fields", "position_fields", "time_field"]

_MAX_KMH = 300.0

_COMPASS = {
    **{"n": 0.0, "nne": 22.5, "ne": 45.0, "no": 45.0, "ene": 67.5, "e": 90.0, "ö": 90.0, "o": 90.0},
    **{"ese": 112.5, "se": 135.0, "so": 135.0, "sö": 135.0, "sse": 157.5, "s": 180.0, "ssw": 202.5},
    **{"sw": 225.0, "sv": 225.0, "wsw": 247.5, "w": 270.0, "v": 270.0, "wnw": 292.5, "nw": 315.0},
    **{"nv": 315.0, "nnw": 337.5, "north": 0.0, "east": 90.0, "south": 180.0, "west": 270.0},
    **{"norr": 0.0, "öster": 90.0, "söder": 180.0, "väster": 270.0},
    **{"northbound": 0.0, "eastbound": 90.0, "southbound": 180.0, "westbound": 270.0},
}
"""Compass words (English and Swedish) -> degrees, 0 = north, clockwise."""


@dataclass
class Positions:
    """Positions of the rows: WGS84 lat/lon (NaN where none) and segment ids (empty where none)."""

    lat: np.ndarray
    lon: np.ndarray
    segment_id: np.ndarray
    has_ll: np.ndarray
    has_seg: np.ndarray
    outside: np.ndarray  # lat/lon outside the globe


def _geometry_lonlat(geometry: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    wgs = geometry.to_crs("EPSG:4326")
    ok = (wgs.geom_type == "Point").to_numpy() & ~wgs.is_empty.fillna(True).to_numpy(dtype=bool)
    gx = np.where(ok, wgs.x.where(ok, np.nan).to_numpy(dtype="float64", na_value=np.nan), np.nan)
    gy = np.where(ok, wgs.y.where(ok, np.nan).to_numpy(dtype="float64", na_value=np.nan), np.nan)
    return gx, gy


def position_fields(
    raw: pd.DataFrame,
    found: dict[str, str | None],
    geometry: gpd.GeoSeries | None,
    rows: np.ndarray,
    log: RejectLog,
) -> tuple[Positions, np.ndarray]:
    """Read lat/lon (or the geometry) and segment ids; reject rows without a usable position."""
    n = len(raw)
    c_lat, c_lon, c_seg = found["lat"], found["lon"], found["segment_id"]
    both = bool(c_lat and c_lon)
    lat = numbers(raw[c_lat]) if both else np.full(n, np.nan)
    lon = numbers(raw[c_lon]) if both else np.full(n, np.nan)
    seg = (
        raw[c_seg].astype("string").str.strip().to_numpy(dtype=object, na_value="")
        if c_seg
        else np.full(n, "", dtype=object)
    )
    seg = np.where(pd.isna(seg), "", seg).astype(object)
    has_seg = seg != ""
    if geometry is not None:
        gx, gy = _geometry_lonlat(geometry)
        lon = np.where(np.isfinite(lon), lon, gx)
        lat = np.where(np.isfinite(lat), lat, gy)
    lat_raw = (
        raw[c_lat].astype("string").to_numpy(dtype=object, na_value="")
        if c_lat
        else np.full(n, "", dtype=object)
    )
    has_ll = np.isfinite(lat) & np.isfinite(lon)
    outside = has_ll & ((np.abs(lat) > 90) | (np.abs(lon) > 180))
    m = outside & ~has_seg
    log.add(
        rows[m], field=c_lat or "geometry", reason="latitude/longitude outside the globe", value=lat_raw[m]
    )
    bad = m.copy()
    given_ll = (~blank(raw[c_lat]) | ~blank(raw[c_lon])) if c_lat and c_lon else np.zeros(n, dtype=bool)
    unparsed = given_ll & ~has_ll & ~has_seg
    log.add(
        rows[unparsed],
        field=c_lat or "lat",
        reason="latitude/longitude is not a number",
        value=lat_raw[unparsed],
    )
    bad |= unparsed
    nopos = ~has_ll & ~has_seg & ~unparsed
    log.add(
        rows[nopos],
        field=c_lat or c_seg or "position",
        reason="no position: neither lat/lon nor segment_id given",
    )
    bad |= nopos
    return Positions(lat, lon, seg, has_ll, has_seg, outside), bad


def time_field(
    raw: pd.Series, *, tz: str, rows: np.ndarray, bad: np.ndarray, log: RejectLog, now: pd.Timestamp | None
) -> tuple[pd.Series, np.ndarray]:
    """Parse the time column (:func:`geo.io.mapping.parse_times`); reject missing, bad and future times."""
    field = str(raw.name)
    text = raw.astype("string").to_numpy(na_value="")
    pt = parse_times(raw, tz=tz)
    bad = bad.copy()
    for mask, reason in (
        (pt.blank, "time is missing"),
        (pt.unparseable, "cannot parse time (expected ISO 8601 like 2024-05-03 22:14)"),
        (pt.nonexistent, f"local time does not exist in {tz} (clocks jump forward)"),
    ):
        m = mask & ~bad
        log.add(rows[m], field=field, reason=reason, value=text[m])
        bad |= mask
    times = pt.times
    if now is not None:
        future = times.notna().to_numpy() & (times > now).fillna(False).to_numpy(dtype=bool) & ~bad
        log.add(rows[future], field=field, reason="time is in the future", value=text[future])
        bad |= future
    return times, bad


def pass_fields(
    raw: pd.Series, *, rows: np.ndarray, bad: np.ndarray, log: RejectLog
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Speeds of single passes: a number above 0 and at most 300 km/h."""
    field = str(raw.name)
    speed = numbers(raw)
    text = raw.astype("string").to_numpy(na_value="")
    m = ~np.isfinite(speed) & ~bad
    log.add(rows[m], field=field, reason="speed is not a number", value=text[m])
    bad = bad | m
    m = np.isfinite(speed) & ((speed <= 0) | (speed > _MAX_KMH)) & ~bad
    log.add(
        rows[m], field=field, reason=f"speed must be above 0 and at most {_MAX_KMH:.0f} km/h", value=text[m]
    )
    bad = bad | m
    n = len(raw)
    return {"count": np.ones(n), "speed_kmh": speed, "mean_kmh": speed, "p85_kmh": np.full(n, np.nan)}, bad


def hour_fields(
    raw: pd.DataFrame, found: dict[str, str | None], *, rows: np.ndarray, bad: np.ndarray, log: RejectLog
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Count, mean and (optional) 85th percentile of hourly aggregates."""
    cc, cm, cp = str(found["count"]), str(found["mean"]), found["p85"]
    count = numbers(raw[cc])
    ctext = raw[cc].astype("string").to_numpy(na_value="")
    m = (~np.isfinite(count) | (count < 0) | (np.isfinite(count) & (count != np.round(count)))) & ~bad
    log.add(rows[m], field=cc, reason="count must be a whole number >= 0", value=ctext[m])
    bad = bad | m
    mean = numbers(raw[cm])
    mtext = raw[cm].astype("string").to_numpy(na_value="")
    m = (count > 0) & (~np.isfinite(mean) | (mean <= 0) | (mean > _MAX_KMH)) & ~bad
    reason = f"mean speed must be a number above 0 and at most {_MAX_KMH:.0f} km/h"
    log.add(rows[m], field=cm, reason=reason, value=mtext[m])
    bad = bad | m
    p85 = np.full(len(raw), np.nan)
    if cp:
        p85, bad = _p85(raw[cp], mean, rows=rows, bad=bad, log=log)
    n = len(raw)
    return {"count": count, "speed_kmh": np.full(n, np.nan), "mean_kmh": mean, "p85_kmh": p85}, bad


def _p85(
    raw: pd.Series, mean: np.ndarray, *, rows: np.ndarray, bad: np.ndarray, log: RejectLog
) -> tuple[np.ndarray, np.ndarray]:
    """Read the 85th percentile: not a number is rejected; below the mean is ignored with a warning."""
    field = str(raw.name)
    p85 = numbers(raw)
    text = raw.astype("string").to_numpy(na_value="")
    m = ~blank(raw) & ~np.isfinite(p85) & ~bad
    log.add(rows[m], field=field, reason="85th percentile is not a number", value=text[m])
    bad = bad | m
    below = np.isfinite(p85) & np.isfinite(mean) & (p85 < mean)
    log.add(
        rows[below & ~bad],
        field=field,
        status="warning",
        value=text[below & ~bad],
        reason="85th percentile below the mean; ignored, the spread is assumed instead",
    )
    return np.where(below, np.nan, p85), bad


def _parse_direction(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Read degrees (0 = north, clockwise) from numbers or compass words; also mark values not understood."""
    text = values.astype("string").str.strip().str.lower().fillna("")
    num = numbers(values)
    out = np.where(np.isfinite(num) & (num >= 0) & (num <= 360), num % 360, np.nan)
    words = text.map(lambda t: _COMPASS.get(t, np.nan)).to_numpy(dtype="float64")
    out = np.where(np.isfinite(out), out, words)
    empty = (text == "").to_numpy()
    return out, ~empty & ~np.isfinite(out)


def direction_field(
    raw: pd.DataFrame, col: str | None, *, rows: np.ndarray, bad: np.ndarray, log: RejectLog
) -> np.ndarray:
    """Read the direction in degrees (NaN when not given); a direction not understood is a warning."""
    if not col:
        return np.full(len(raw), np.nan)
    direction, not_understood = _parse_direction(raw[col])
    m = not_understood & ~bad
    log.add(
        rows[m],
        field=col,
        status="warning",
        reason="direction not understood (expected degrees 0-360 or N/NE/E/...); matched without it",
        value=raw[col].astype("string").to_numpy(na_value="")[m],
    )
    return direction
