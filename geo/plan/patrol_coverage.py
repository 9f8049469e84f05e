"""The check of a patrol plan against incidents.

:func:`coverage_of` gives the share of incidents that fell in a visited place during a visit's weekly time
window, e.g. on held-out weeks the plan was not fitted on.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.model import Reports, point_reports
from geo.plan.patrol_places import assign_places, place_columns
from geo.time.weeks import MIN_PER_WEEK, week_windows

__all__ = ["coverage_of"]


def _visit_mask(visits: pd.DataFrame, places: gpd.GeoDataFrame) -> np.ndarray:
    """Places × minutes of the week: true where a visit covers the place."""
    pid_col, _ = place_columns(places)
    index = {v: i for i, v in enumerate(places[pid_col].astype(str).to_numpy())}
    mask = np.zeros((len(places), MIN_PER_WEEK), dtype=bool)
    for v in visits.itertuples(index=False):
        p = index.get(str(v.place_id))
        if p is None:
            raise ValueError(f"visit place_id '{v.place_id}' is not among the places")
        start = v.start_at
        length = int(round((v.end_at - v.start_at).total_seconds() / 60))
        mow = start.weekday() * 1440 + start.hour * 60 + start.minute
        mask[p, week_windows(np.array([mow]), length)[0]] = True
    return mask


def _window_share(mask: np.ndarray, p: np.ndarray, start_min: np.ndarray, dur_min: np.ndarray) -> np.ndarray:
    """Covered share of each incident's time window (minutes of the week from `start_min`, `dur_min` long)."""
    cum = np.cumsum(mask, axis=1)
    total_w = mask.sum(axis=1)

    def covered_until(t: np.ndarray) -> np.ndarray:
        whole, rest = np.divmod(np.floor(t).astype("int64"), MIN_PER_WEEK)
        before = np.where(rest > 0, cum[p, np.maximum(rest - 1, 0)], 0)
        return whole * total_w[p] + before

    end = start_min + dur_min
    return (covered_until(end) - covered_until(start_min)) / np.maximum(
        np.floor(end) - np.floor(start_min), 1
    )


def _covered(mask: np.ndarray, p: np.ndarray, inc: Reports, *, time_precision: str) -> np.ndarray:
    """Each incident's covered weight (0..1): its minute, its hour or its time window."""
    t0 = inc["occurred_at"]
    mow0 = (t0.dt.day_of_week * 1440 + t0.dt.hour * 60 + t0.dt.minute).to_numpy(dtype="int64")
    to = inc["occurred_to"] if "occurred_to" in inc.columns else pd.Series(pd.NaT, index=inc.index)
    dur = ((to - t0).dt.total_seconds() / 60.0).to_numpy(dtype="float64")
    windowed = np.isfinite(dur) & (dur >= 1)
    got = mask[p, mow0].astype("float64")
    hour_only = time_precision == "hour" or (
        time_precision == "auto" and bool((t0.dt.minute == 0).all() and (t0.dt.second == 0).all())
    )
    if hour_only:
        # times known to the hour: the incident lies anywhere in its hour with equal chance
        hour_start = mow0 - mow0 % 60
        got = mask[p[:, None], (hour_start[:, None] + np.arange(60)[None, :]) % MIN_PER_WEEK].mean(axis=1)
    if windowed.any():
        got[windowed] = _window_share(mask, p[windowed], mow0[windowed].astype("float64"), dur[windowed])
    return got


def coverage_of(
    visits: pd.DataFrame,
    places: gpd.GeoDataFrame,
    reports: Reports,
    *,
    point_radius_m: float = 100.0,
    time_precision: str = "auto",
) -> float:
    """Share of `reports` that fall in a visited place during a visit's weekly time window.

    The check of a plan against incidents it was not fitted on: each visit covers its place from ``start_at``
    to ``end_at`` in the same weekday and wall-clock minutes of every week. An incident known to the minute
    counts 1 when covered; one known only within a window counts the covered share of the window's minutes.

    Parameters
    ----------
    visits
        Plan visits with ``place_id``, ``start_at``, ``end_at`` (:attr:`geo.plan.patrol.PatrolPlan.visits`).
    places
        The places the plan was made from (same id column).
    reports
        Reports to count (e.g. a held-out period); only point reports count.
    point_radius_m
        Radius in metres given to point places.
    time_precision
        ``"minute"``, ``"hour"`` (times known only to the hour, as in many police exports: an incident then
        counts the covered share of its hour) or ``"auto"`` (hour when every time is on the hour).

    Returns
    -------
    share
        Covered incidents / all point incidents in `reports` (NaN when there are none).

    Raises
    ------
    ValueError
        If `time_precision` is unknown or a visit's place is not among `places`.
    """
    if time_precision not in {"auto", "minute", "hour"}:
        raise ValueError(f"time_precision must be auto, minute or hour, got '{time_precision}'")
    pts = point_reports(reports)
    if len(pts) == 0:
        return math.nan
    mask = _visit_mask(visits, places)
    pts = pts.to_crs(places.crs) if pts.crs != places.crs else pts
    where = assign_places(pts, places, point_radius_m=point_radius_m)
    inside = where >= 0
    if not inside.any():
        return 0.0
    got = _covered(
        mask, where[inside], Reports(pts.iloc[np.flatnonzero(inside)]), time_precision=time_precision
    )
    return float(got.sum() / len(pts))
