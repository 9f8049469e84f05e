"""Hot-spot objects: shapes that do not reveal homes, the attributes a planner asks first, trend, ids, labels.

Every method (DBSCAN, HDBSCAN, KDE, Gi*) ends here: it hands over polygons and the reports belonging to
each, and :func:`build_hotspots` returns the one :data:`Hotspots` frame the rest of lagesbild reads.

Shapes. A convex hull of report positions has a report at each corner; in a small town a corner is a home.
Cluster shapes are therefore unions of grid cells (cells aligned to a global grid of ``cell_m`` holding a
member report, closed over one-cell gaps), so no vertex lies on a report. KDE shapes are density contours
and Gi* shapes unions of significant cells, which have the same property.

Trend (against the previous period, after space-time hot-spot analysis). The study period runs from the
Monday of the first report's week to `period_end`; the hot-spot's reports are counted per week, zero weeks
included, and the last third of the weeks (at least 4) is the *recent* period, the rest the *earlier* one.
A trend must be both significant and material (a change of at least half, up or down):

============= =======================================================================================
new           the earlier weekly rate is at most a quarter of the recent one (it appeared recently), or,
              when a previous run is given, it overlaps none of the previous hot-spots
intensifying  Mann–Kendall test on the weekly counts: significant increase (p < 0.05), and the recent
              rate is at least 1.5 times the earlier one
diminishing   Mann–Kendall: significant decrease (p < 0.05), and the recent rate at most 1/1.5 of the
              earlier one
persistent    otherwise, with reports in at least 6 of 8 equal parts of the period
sporadic      otherwise, quiet in three or more of the 8 parts (on and off)
none          fewer than 8 reports or fewer than 8 weeks: too little to say
============= =======================================================================================
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import NewType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.grid import cell_boxes, cell_index, cell_keys
from geo.time.profile import hour_week_profile, peak_windows

__all__ = [
    "HOTSPOT_COLUMNS",
    "Hotspots",
    "build_hotspots",
    "cell_union",
    "empty_hotspots",
    "trend_class",
    "weekly_counts",
]

Hotspots = NewType("Hotspots", gpd.GeoDataFrame)  # type: ignore[valid-newtype]  # geopandas ships no stubs

HOTSPOT_COLUMNS: tuple[str, ...] = (
    "hotspot_id",
    "label",
    "method",
    "n_reports",
    "share",
    "area_m2",
    "density_km2",
    "category_mix",
    "dark_share",
    "profile",
    "peak_windows",
    "trend",
    "member_ids",
)
"""Columns of a hot-spot frame (plus ``geometry``), in this order."""

TRENDS: tuple[str, ...] = ("new", "intensifying", "persistent", "diminishing", "sporadic", "none")

_PLACE_COLUMNS = (
    "label",
    "place",
    "plats",
    "address",
    "adress",
    "street",
    "gata",
    "neighbourhood",
    "neighborhood",
)


def empty_hotspots(crs: object) -> Hotspots:
    """Return an empty hot-spot frame with every column.

    Parameters
    ----------
    crs
        The metric CRS.
    """
    data = {
        c: pd.Series(
            [],
            dtype="int64"
            if c == "n_reports"
            else ("float64" if c in {"share", "area_m2", "density_km2", "dark_share"} else "object"),
        )
        for c in HOTSPOT_COLUMNS
    }
    return Hotspots(gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=crs), crs=crs))


def cell_union(xy: np.ndarray, *, cell_m: float) -> BaseGeometry:
    """Union of the grid cells (global grid of `cell_m`) holding at least one position, closed over gaps.

    The result never has a vertex on a position: every vertex lies on the grid.

    Parameters
    ----------
    xy
        ``(n, 2)`` positions in metres.
    cell_m
        Cell side in metres (> 0).
    """
    if not cell_m > 0:
        raise ValueError(f"cell_m must be > 0 metres, got {cell_m}")
    xy = np.asarray(xy, dtype="float64").reshape(-1, 2)
    if len(xy) == 0:
        return shapely.Polygon()
    i, j = cell_index(xy[:, 0], xy[:, 1], cell_m=cell_m)
    _, first = np.unique(cell_keys(i, j), return_index=True)  # one per cell
    boxes = cell_boxes(i[first], j[first], cell_m=cell_m)
    geom = shapely.coverage_union_all(boxes) if len(boxes) > 1 else boxes[0]
    closed = geom.buffer(cell_m, join_style="mitre").buffer(-cell_m, join_style="mitre")
    closed = shapely.union(closed, geom)  # closing never loses a member cell
    return shapely.make_valid(shapely.simplify(closed, cell_m / 100))


def _wall(t: pd.Timestamp) -> pd.Timestamp:
    return t.tz_localize(None) if t.tzinfo is not None else t


def weekly_counts(times: pd.Series, *, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """Count reports per week from the Monday of `start`'s week up to `end`, zero weeks included.

    A period ending at a Monday midnight (an ``--as-of`` run: `end` exclusive) has no extra empty week.

    Parameters
    ----------
    times
        Timezone-aware times.
    start, end
        The study period (local).
    """
    monday = start.normalize() - pd.Timedelta(days=int(start.weekday()))
    wall = _wall(end) - _wall(monday)  # local wall-clock time: a daylight-saving hour is no extra week
    n_weeks = max(1, math.ceil(wall / pd.Timedelta(days=7)))
    idx = ((times - monday) / pd.Timedelta(days=7)).to_numpy(dtype="float64")
    idx = np.floor(idx[np.isfinite(idx)]).astype("int64")
    idx = idx[(idx >= 0) & (idx < n_weeks)]
    return np.bincount(idx, minlength=n_weeks).astype("float64")


def recent_weeks(n_weeks: int) -> int:
    """Return how many of `n_weeks` are the *recent* period of the trend: the last third, at least 4."""
    return max(4, n_weeks // 3)


def trend_weeks(start: pd.Timestamp, end: pd.Timestamp) -> tuple[int, int]:
    """Return the recent and earlier weeks the trend of a period from `start` to `end` compares."""
    n_weeks = len(weekly_counts(pd.Series([start]), start=start, end=end))
    recent = recent_weeks(n_weeks)
    return recent, max(n_weeks - recent, 0)


def trend_class(weekly: np.ndarray, *, alpha: float = 0.05) -> str:
    """Classify a hot-spot's weekly counts (see the module notes for the rules).

    Parameters
    ----------
    weekly
        Reports per week over the study period, oldest first.
    alpha
        Significance level of the Mann–Kendall test.

    Returns
    -------
    trend
        One of ``new``, ``intensifying``, ``persistent``, ``diminishing``, ``sporadic``, ``none``.
    """
    weekly = np.asarray(weekly, dtype="float64")
    n = float(weekly.sum())
    if n < 8 or len(weekly) < 8:
        return "none"
    recent = recent_weeks(len(weekly))
    earlier = weekly[:-recent]
    rate_recent = weekly[-recent:].mean()
    rate_earlier = earlier.mean() if len(earlier) else 0.0
    if rate_recent > 0 and rate_earlier <= 0.25 * rate_recent:
        return "new"
    up = rate_recent >= 1.5 * rate_earlier
    down = rate_recent <= rate_earlier / 1.5
    if up or down:  # only a material change needs the test
        import pymannkendall as mk  # imported here: the command line starts faster

        result = mk.original_test(weekly, alpha=alpha)
        if up and result.h and result.trend == "increasing":
            return "intensifying"
        if down and result.h and result.trend == "decreasing":
            return "diminishing"
    parts = np.array_split(weekly, 8)
    active = sum(1 for p in parts if p.sum() > 0)
    return "persistent" if active >= 6 else "sporadic"


def _label_from_streets(geom: BaseGeometry, streets: gpd.GeoDataFrame) -> str | None:
    named = streets[streets["name"].notna() & (streets["name"].astype(str).str.strip() != "")]
    if named.empty:
        return None
    pt = geom.representative_point() if not geom.is_empty else None
    if pt is None:
        return None
    inside = named.geometry.intersects(geom).to_numpy()
    dist = shapely.distance(named.geometry.to_numpy(), pt)
    frame = pd.DataFrame({"name": named["name"].astype(str).to_numpy(), "dist": dist, "inside": inside})
    best = frame.groupby("name", sort=False)["dist"].min().sort_values()
    first = str(best.index[0])
    if len(best) > 1:
        second, d2 = str(best.index[1]), float(best.iloc[1])
        if d2 <= best.iloc[0] + 30.0 and d2 <= 60.0:
            return f"{first} / {second}"
    return first


def _street_part(value: str) -> str:
    """``"Storgatan 12, Värnamo"`` -> ``"Storgatan"``: a label never carries a house number."""
    head = value.split(",")[0].strip()
    return re.sub(r"\s+\d+\s*[A-Za-z]?(\s*-\s*\d+\s*[A-Za-z]?)?$", "", head).strip() or head


def _label_from_reports(members: pd.DataFrame, hotspot_id: str) -> str:
    lower = {str(c).casefold(): c for c in members.columns}
    for key in _PLACE_COLUMNS:
        col = lower.get(key)
        if col is None:
            continue
        vals = members[col].dropna().astype(str).str.strip()
        vals = vals[vals != ""]
        if key in {"address", "adress"}:
            vals = vals.map(_street_part)
        if len(vals):
            return str(vals.value_counts().index[0])
    if "category" in members.columns and len(members):
        top = str(members["category"].astype(str).value_counts().index[0])
        return f"{hotspot_id}: mest / mostly {top}"
    return hotspot_id


def _id_number(hotspot_id: object) -> int:
    m = re.search(r"(\d+)$", str(hotspot_id))
    return int(m.group(1)) if m else 0


def _match_previous(
    geoms: Sequence[BaseGeometry], previous: gpd.GeoDataFrame | None, crs: object
) -> list[str | None]:
    """For each new polygon the previous id it continues (greatest overlap, one to one), else None."""
    out: list[str | None] = [None] * len(geoms)
    if previous is None or len(previous) == 0 or not len(geoms):
        return out
    prev = (
        previous.to_crs(crs)
        if previous.crs is not None and crs is not None and previous.crs != crs
        else previous
    )
    pairs = []
    for i, g in enumerate(geoms):
        for j, (pid, pg) in enumerate(zip(prev["hotspot_id"], prev.geometry, strict=True)):
            if pg is None or pg.is_empty or not g.intersects(pg):
                continue
            inter = g.intersection(pg).area
            smaller = min(g.area, pg.area)
            if smaller > 0 and inter / smaller >= 0.25:
                pairs.append((inter, i, j, str(pid)))
    used_new: set[int] = set()
    used_old: set[int] = set()
    for _, i, j, pid in sorted(pairs, reverse=True):
        if i in used_new or j in used_old:
            continue
        out[i] = pid
        used_new.add(i)
        used_old.add(j)
    return out


def build_hotspots(
    reports: gpd.GeoDataFrame,
    shapes: Sequence[BaseGeometry],
    members: Sequence[np.ndarray],
    *,
    method: str,
    streets: gpd.GeoDataFrame | None = None,
    previous: gpd.GeoDataFrame | None = None,
    period_start: pd.Timestamp | None = None,
    period_end: pd.Timestamp | None = None,
    lang: str = "sv",
) -> Hotspots:
    """Turn polygons and their member reports into the hot-spot frame.

    Parameters
    ----------
    reports
        The point reports the method ran on (all of them: shares are of this total).
    shapes
        One polygon per hot-spot, in the reports' CRS.
    members
        For each hot-spot, positional indices into `reports` of its reports.
    method
        Stored in ``method``.
    streets
        Lines with a ``name`` column in any CRS; labels are the nearest named street(s).
    previous
        Hot-spots of an earlier run; a hot-spot overlapping one of them (by at least a quarter of the
        smaller area) keeps its ``hotspot_id``, and one overlapping none is ``new``.
    period_start, period_end
        The study period for the weekly trend (default: first and last report).
    lang
        Language of ``peak_windows`` (``"sv"`` or ``"en"``).

    Returns
    -------
    hotspots
        Columns :data:`HOTSPOT_COLUMNS` and ``geometry``; ids ``HS-0001``... by decreasing size unless
        continued from `previous`.
    """
    crs = reports.crs
    if len(shapes) != len(members):
        raise ValueError("shapes and members must have the same length")
    if not len(shapes):
        return empty_hotspots(crs)
    total = len(reports)
    order = sorted(range(len(shapes)), key=lambda i: (-len(members[i]), i))
    shapes = [shapes[i] for i in order]
    members = [np.asarray(members[i], dtype="int64") for i in order]
    if streets is not None and streets.crs is not None and crs is not None and streets.crs != crs:
        streets = streets.to_crs(crs)
    times = reports["occurred_at"]
    start = period_start if period_start is not None else (times.min() if len(times) else None)
    end = period_end if period_end is not None else (times.max() if len(times) else None)
    continued = _match_previous(shapes, previous, crs)
    next_no = (
        max([_id_number(p) for p in previous["hotspot_id"]], default=0)
        if previous is not None and len(previous)
        else 0
    )
    lower = {str(c).casefold(): c for c in reports.columns}
    needed = ["report_id", "category", "occurred_at", "is_dark"]
    needed += [c for c in ("occurred_to",) if c in reports.columns]
    needed += [lower[k] for k in _PLACE_COLUMNS if k in lower]
    slim = pd.DataFrame(reports[[c for c in dict.fromkeys(needed) if c in reports.columns]])
    rows = []
    for geom, idx, prev_id in zip(shapes, members, continued, strict=True):
        if prev_id is None:
            next_no += 1
            hid = f"HS-{next_no:04d}"
        else:
            hid = prev_id
        sub = slim.iloc[idx]
        n = len(sub)
        area = float(geom.area)
        cats = sub["category"].astype(str).value_counts() if n else pd.Series(dtype="int64")
        prof = hour_week_profile(sub) if n else np.zeros(168)
        if start is not None and end is not None and n:
            trend = trend_class(weekly_counts(sub["occurred_at"], start=start, end=end))
        else:
            trend = "none"
        if previous is not None and prev_id is None and n:
            trend = "new"
        label = _label_from_streets(geom, streets) if streets is not None and len(streets) else None
        rows.append(
            {
                "hotspot_id": hid,
                "label": label or _label_from_reports(sub, hid),
                "method": method,
                "n_reports": int(n),
                "share": n / total if total else 0.0,
                "area_m2": area,
                "density_km2": n / area * 1e6 if area > 0 else math.nan,
                "category_mix": json.dumps({str(k): int(v) for k, v in cats.items()}, ensure_ascii=False),
                "dark_share": float(sub["is_dark"].mean()) if n and "is_dark" in sub.columns else math.nan,
                "profile": json.dumps([round(float(v), 6) for v in prof]),
                "peak_windows": peak_windows(prof, lang=lang),
                "trend": trend,
                "member_ids": json.dumps([str(v) for v in sub["report_id"]], ensure_ascii=False),
                "geometry": geom,
            }
        )
    frame = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=crs)
    frame["n_reports"] = frame["n_reports"].astype("int64")
    return Hotspots(frame[[*HOTSPOT_COLUMNS, "geometry"]])
