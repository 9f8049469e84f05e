"""Places for the patrol plan and their activity.

Which place a report lies in, each place's hour-of-week profile over the history window, the candidates a
plan chooses among, and forecast cells turned into places. A place is a polygon (or a point, widened to
``point_radius_m``) with an id column (``place_id``, ``hotspot_id``, ``cell_id`` or ``id``) and an optional
label (``place``, ``label`` or ``name``). Its activity is 168 numbers, weekday × 24 + hour (Monday 00–01
first): the incidents there in the history window, counted aoristically
(:func:`geo.time.profile.hour_week_profile`), or a ``profile`` column (e.g. a forecast).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.i18n.lazy import lazy_gettext
from geo.model import Reports, point_reports
from geo.time.profile import hour_week_profile

__all__ = [
    "Activity",
    "Candidates",
    "assign_places",
    "candidates",
    "forecast_places",
    "history_window",
    "patrollable",
    "place_activity",
    "place_columns",
]


@dataclass
class Activity:
    """What the places saw in the history window.

    Attributes
    ----------
    profiles
        Places × 168: incidents per hour of the week (weekday × 24 + hour).
    n_history
        The denominator of every share: point incidents in the history window (or the forecast total).
    history_start, history_end
        The history window (local, end exclusive); ``None`` for profiles given with the places.
    notes
        Sentences for the user.
    """

    profiles: np.ndarray
    n_history: float
    history_start: pd.Timestamp | None = None
    history_end: pd.Timestamp | None = None
    notes: list[str] = field(default_factory=list)


def place_columns(places: gpd.GeoDataFrame) -> tuple[str, str]:
    """Return the places' id column and label column (the id column when there is no label).

    Raises
    ------
    ValueError
        If the places have no id column.
    """
    pid = next((c for c in ("place_id", "hotspot_id", "cell_id", "id") if c in places.columns), None)
    if pid is None:
        raise ValueError(
            f"places need an id column (place_id or hotspot_id); they have {list(places.columns)}"
        )
    label = next((c for c in ("place", "label", "name") if c in places.columns), pid)
    return pid, label


def _profiles_from_column(places: gpd.GeoDataFrame) -> np.ndarray:
    """Return the places' ``profile`` column (JSON text or 168 numbers each) as a places × 168 array."""
    if "profile" not in places.columns:
        raise ValueError("without reports, places need a 'profile' column (168 floats, weekday*24 + hour)")
    rows = []
    for i, p in enumerate(places["profile"]):
        arr = np.asarray(json.loads(p) if isinstance(p, str) else p, dtype="float64")
        if arr.shape != (168,) or not np.isfinite(arr).all() or (arr < 0).any():
            raise ValueError(f"place {i}: 'profile' must be 168 finite numbers >= 0")
        rows.append(arr)
    return np.vstack(rows) if rows else np.zeros((0, 168))


def history_window(
    reports: Reports, *, week_start: pd.Timestamp, history_days: int
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the history window: `history_days` before the planning week (or the data's end if earlier).

    The window starts no earlier than the day of the first report: a four-week run does not claim a year.

    Parameters
    ----------
    reports
        Validated reports.
    week_start
        Local midnight of the planning week's Monday.
    history_days
        Length of the window in days.

    Raises
    ------
    ValueError
        If `history_days` is below 1.
    """
    if history_days < 1:
        raise ValueError(f"history_days must be >= 1, got {history_days}")
    last = reports["occurred_at"].max()
    end = week_start
    if pd.notna(last) and last < week_start:
        end = (last + pd.Timedelta(days=1)).normalize()
    start = end - pd.Timedelta(days=history_days)
    first = reports["occurred_at"].min()
    if pd.notna(first) and first.normalize() > start:  # never claim history the data does not hold
        start = first.normalize()
    return start, end


def assign_places(reports: Reports, places: gpd.GeoDataFrame, *, point_radius_m: float) -> np.ndarray:
    """Return the index of the place each report lies in (-1 for none).

    The first place listed wins where places overlap.

    Parameters
    ----------
    reports
        Point reports in the places' CRS.
    places
        Polygons, or points widened to `point_radius_m` metres.
    point_radius_m
        Radius given to point places.
    """
    geoms = places.geometry.to_numpy()
    is_point = shapely.get_type_id(geoms) == 0
    if is_point.any():
        geoms = np.where(is_point, shapely.buffer(geoms, point_radius_m), geoms)
    tree = shapely.STRtree(geoms)
    ri, pi = tree.query(reports.geometry.to_numpy(), predicate="intersects")
    out = np.full(len(reports), -1, dtype="int64")
    order = np.lexsort((pi, ri))
    ri, pi = ri[order], pi[order]
    first = np.r_[True, ri[1:] != ri[:-1]] if len(ri) else np.zeros(0, dtype=bool)
    out[ri[first]] = pi[first]
    return out


def patrollable(reports: Reports) -> Reports:
    """Return the point reports (:func:`geo.model.point_reports`): those a patrol can go to.

    Raises
    ------
    ValueError
        If no report has a point position (e.g. only the Police events feed, placed at municipality centres).
    """
    pts = point_reports(reports)
    if len(pts) == 0:
        raise ValueError(
            f"none of the {len(reports):,} reports has a point position "
            "(exact, address or intersection); "
            "events placed only at a municipality or county centre (the Police events feed) "
            "cannot be patrolled"
        )
    return pts


def _activity_from_reports(
    places: gpd.GeoDataFrame,
    reports: Reports,
    *,
    week_start: pd.Timestamp,
    history_days: int,
    point_radius_m: float,
) -> Activity:
    """Count each place's point incidents of the history window by hour of the week."""
    pts = patrollable(reports)
    start, end = history_window(pts, week_start=week_start, history_days=history_days)
    hist = pts[(pts["occurred_at"] >= start) & (pts["occurred_at"] < end)]
    hist = hist.to_crs(places.crs) if hist.crs != places.crs else hist
    if len(hist) == 0:
        raise ValueError(
            f"no point incidents between {start:%Y-%m-%d} and {end:%Y-%m-%d}; "
            "increase history_days or give older data"
        )
    where = (
        assign_places(Reports(hist), places, point_radius_m=point_radius_m)
        if len(places)
        else np.zeros(0, "int64")
    )
    profiles = np.zeros((len(places), 168))
    for i in np.unique(where[where >= 0]):
        profiles[i] = hour_week_profile(hist.iloc[np.flatnonzero(where == i)])
    notes: list[str] = []
    if end < week_start:
        last = f"{end - pd.Timedelta(days=1):%Y-%m-%d}"
        notes.append(lazy_gettext("Data slutar %(last)s; historiken räknas fram till dess.", last=last))
    return Activity(profiles, float(len(hist)), start, end, notes)


def place_activity(
    places: gpd.GeoDataFrame,
    reports: Reports | None,
    *,
    week_start: pd.Timestamp,
    history_days: int,
    point_radius_m: float,
    total: float | None = None,
) -> Activity:
    """Return each place's activity by hour of the week and the denominator of the shares.

    Parameters
    ----------
    places
        The places, metric CRS.
    reports
        Reports; their point incidents in the history window (:func:`history_window`) are counted. When
        ``None``, the places' ``profile`` column is used and the denominator is `total`.
    week_start
        Local midnight of the planning week's Monday.
    history_days
        Days of history counted.
    point_radius_m
        Radius in metres given to point places.
    total
        Denominator when `reports` is ``None`` (default: the sum of the profiles).

    Raises
    ------
    ValueError
        If no report has a point position, the history window holds no incident, or the profiles are
        missing, malformed or sum to 0 without a `total`.
    """
    if reports is not None:
        return _activity_from_reports(
            places, reports, week_start=week_start, history_days=history_days, point_radius_m=point_radius_m
        )
    profiles = _profiles_from_column(places)
    n_hist = float(total) if total is not None else float(profiles.sum())
    if n_hist <= 0:
        raise ValueError("the profiles sum to 0 and no total was given")
    return Activity(profiles, n_hist)


@dataclass
class Candidates:
    """The places planned over.

    Attributes
    ----------
    profiles
        Candidates × 168: activity by hour of the week.
    points
        A point inside each candidate (the visit's position), the places' CRS.
    info
        ``place_id``, ``place`` (label), ``lat``, ``lon`` (WGS84, 6 decimals) per candidate.
    """

    profiles: np.ndarray
    points: gpd.GeoSeries
    info: dict[str, np.ndarray]


def candidates(places: gpd.GeoDataFrame, profiles: np.ndarray, *, max_places: int) -> Candidates:
    """Keep the `max_places` places with most activity (and any at all), busiest first.

    Parameters
    ----------
    places
        The places, metric CRS.
    profiles
        Their activity (places × 168, :attr:`Activity.profiles`).
    max_places
        Most candidates.
    """
    pid_col, label_col = place_columns(places)
    counts = profiles.sum(axis=1)
    order = np.argsort(-counts, kind="stable")[:max_places]
    order = order[counts[order] > 0]
    cand = places.iloc[order].reset_index(drop=True)
    points = gpd.GeoSeries(shapely.point_on_surface(cand.geometry.to_numpy()), crs=places.crs)
    wgs = points.to_crs("EPSG:4326")
    info = {
        "place_id": cand[pid_col].astype(str).to_numpy(),
        "place": cand[label_col].astype(str).to_numpy(),
        "lat": wgs.y.round(6).to_numpy(),
        "lon": wgs.x.round(6).to_numpy(),
    }
    return Candidates(profiles[order], points, info)


def _shape(profile: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """`profile` scaled to sum 1, or `fallback` when it is all zero."""
    return profile / profile.sum() if profile.sum() > 0 else fallback


def forecast_places(
    cells: gpd.GeoDataFrame,
    reports: Reports,
    *,
    top: int = 40,
    history_days: int = 365,
) -> tuple[gpd.GeoDataFrame, float]:
    """Turn forecast cells into places with profiles, to plan without reports.

    Each of the `top` riskiest cells gets a 168-bin profile: its forecast ``risk`` spread over the hours of
    the week as the cell's own incidents were in the last `history_days` (the whole area's pattern when
    the cell had fewer than 20).

    Parameters
    ----------
    cells
        Forecast cells with ``cell_id``, ``risk`` and polygon geometry (e.g. ``geo.forecast`` output).
    reports
        The reports the forecast was made from (for the hour-of-week pattern).
    top
        Number of cells kept.
    history_days
        Days of history for the pattern, ending at the last report.

    Returns
    -------
    places, total
        Places (``place_id``, ``place``, ``profile``, geometry) and the forecast total over all cells, the
        denominator to pass to :func:`geo.plan.patrol.plan_patrols` (``total=total``, no reports).
    """
    for col in ("cell_id", "risk"):
        if col not in cells.columns:
            raise ValueError(f"forecast cells need a '{col}' column; they have {list(cells.columns)}")
    risk = pd.to_numeric(cells["risk"], errors="coerce").fillna(0.0).clip(lower=0.0)
    total = float(risk.sum())
    keep = cells.assign(_risk=risk.to_numpy()).sort_values("_risk", ascending=False).head(top)
    keep = keep[keep["_risk"] > 0]
    pts = point_reports(reports)
    if len(pts):
        pts = pts[pts["occurred_at"] > pts["occurred_at"].max() - pd.Timedelta(days=history_days)]
    pts = pts.to_crs(cells.crs) if len(pts) and pts.crs != cells.crs else pts
    overall = _shape(hour_week_profile(pts) if len(pts) else np.ones(168), np.full(168, 1 / 168))
    where = (
        assign_places(Reports(pts), keep, point_radius_m=0.0)
        if len(pts) and len(keep)
        else np.zeros(0, "int64")
    )
    profiles = []
    for i in range(len(keep)):
        own = pts.iloc[np.flatnonzero(where == i)] if len(where) else pts.iloc[:0]
        shape = _shape(hour_week_profile(own) if len(own) >= 20 else overall, overall)
        profiles.append(json.dumps([round(float(v), 6) for v in shape * float(keep["_risk"].iloc[i])]))
    places = gpd.GeoDataFrame(
        {
            "place_id": keep["cell_id"].astype(str).to_numpy(),
            "place": [f"Ruta {c}" for c in keep["cell_id"].astype(str)],
            "profile": profiles,
        },
        geometry=keep.geometry.to_numpy(),
        crs=cells.crs,
    )
    return places, total
