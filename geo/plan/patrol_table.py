"""The patrol plan's tables: visits laid out in local time (:func:`visits_frame`), routes (:func:`routes`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.plan.patrol_places import Candidates
from geo.texts import WEEKDAYS
from geo.time.weeks import Shift, local_time

__all__ = ["empty_visits", "routes", "visits_frame"]

_WEEKDAYS_SV = WEEKDAYS["sv"]


def empty_visits(crs: object, columns: Sequence[str]) -> gpd.GeoDataFrame:
    """Return a visit table without rows: `columns` and an empty geometry in `crs`."""
    empty = {c: pd.Series(dtype="object") for c in columns}
    return gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs=crs), crs=crs)


def visits_frame(
    rows: list[dict[str, object]],
    cand: Candidates,
    minutes: np.ndarray,
    metres: np.ndarray,
    *,
    monday: dt.date,
    tz: str,
    columns: Sequence[str],
) -> gpd.GeoDataFrame:
    """Turn chosen visits into the plan table: local dates and times, order and travel within each shift.

    Parameters
    ----------
    rows
        Chosen visits (:mod:`geo.plan.patrol_greedy`).
    cand
        The candidate places the rows' ``p`` index.
    minutes, metres
        Travel between candidates (whole minutes; metres).
    monday
        The planning week's Monday.
    tz
        Local zone.
    columns
        The table's columns, in order (:class:`geo.plan.patrol.PatrolPlan` ``visits``).
    """
    crs = cand.points.crs
    if not rows:
        return empty_visits(crs, columns)
    info = cand.info
    recs: list[dict[str, object]] = []
    geoms = []
    df = pd.DataFrame(rows)
    if "unit" not in df.columns:
        df["unit"] = 1
    df = df.sort_values(["shift_no", "unit", "offset"], kind="stable")
    for _, g in df.groupby(["shift_no", "unit"], sort=True):
        prev: int | None = None
        for order, r in enumerate(g.itertuples(index=False), start=1):
            s: Shift = r.shift
            p = int(r.p)
            shift_day = monday + dt.timedelta(days=int(r.day))
            start_at = local_time(shift_day, s.start_min + int(r.offset), tz)
            end_at = local_time(shift_day, s.start_min + int(r.offset) + int(r.visit_min), tz)
            recs.append(
                {
                    "date": start_at.strftime("%Y-%m-%d"),
                    "weekday": _WEEKDAYS_SV[start_at.weekday()],
                    "start": start_at.strftime("%H:%M"),
                    "end": end_at.strftime("%H:%M"),
                    "place_id": info["place_id"][p],
                    "place": info["place"][p],
                    "lat": float(info["lat"][p]),
                    "lon": float(info["lon"][p]),
                    "order": order,
                    "expected_share": float(r.share),
                    "shift": f"{_WEEKDAYS_SV[shift_day.weekday()]} {s.label}",
                    "shift_no": int(r.shift_no),
                    "unit": int(r.unit),
                    "travel_min": int(minutes[prev, p]) if prev is not None else 0,
                    "travel_m": float(metres[prev, p]) if prev is not None else 0.0,
                    "start_at": start_at,
                    "end_at": end_at,
                }
            )
            geoms.append(cand.points.iloc[p])
            prev = p
    frame = pd.DataFrame(recs, columns=list(columns))
    frame["start_at"] = pd.to_datetime(frame["start_at"]).dt.tz_convert(tz)
    frame["end_at"] = pd.to_datetime(frame["end_at"]).dt.tz_convert(tz)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=crs).to_numpy(), crs=crs)


def routes(
    visits: gpd.GeoDataFrame, crs: object, *, paths: Sequence[np.ndarray | None] | None = None
) -> gpd.GeoDataFrame:
    """Return one line per shift and unit through its visits in order (one visit: a point-like line).

    Parameters
    ----------
    visits
        The plan's visits.
    crs
        Their CRS.
    paths
        Per visit (aligned to `visits`), the street path from the previous visit of its route (``n × 2``
        coordinates), or ``None`` for a straight line (:func:`geo.plan.travel.street_paths`).

    Returns
    -------
    routes
        Columns ``shift_no``, ``unit``, ``shift``, ``date`` (of the first visit), ``visits``, ``travel_min``,
        ``expected_share``; LineString geometry in `crs`.
    """
    recs = []
    units = visits["unit"] if "unit" in visits.columns else pd.Series(1, index=visits.index)
    for (shift_no, unit), g in visits.assign(_unit=units).groupby(["shift_no", "_unit"], sort=True):
        pts: list[tuple[float, float]] = []
        for k, (i, p) in enumerate(zip(g.index, g.geometry, strict=True)):
            path = paths[visits.index.get_loc(i)] if paths is not None and k > 0 else None
            if path is not None and len(path):
                pts.extend((float(x), float(y)) for x, y in path)
            pts.append((p.x, p.y))
        if len(pts) == 1:
            pts = pts * 2
        recs.append(
            {
                "shift_no": int(shift_no),
                "unit": int(unit),
                "shift": g["shift"].iloc[0],
                "date": g["date"].iloc[0],
                "visits": len(g),
                "travel_min": int(g["travel_min"].sum()),
                "expected_share": float(g["expected_share"].sum()),
                "geometry": shapely.LineString(pts),
            }
        )
    if not recs:
        return gpd.GeoDataFrame(
            {
                "shift_no": [],
                "unit": [],
                "shift": [],
                "date": [],
                "visits": [],
                "travel_min": [],
                "expected_share": [],
            },
            geometry=gpd.GeoSeries([], crs=crs),
            crs=crs,
        )
    return gpd.GeoDataFrame(recs, geometry="geometry", crs=crs)
