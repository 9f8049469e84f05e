"""The planted truth of the demo world as a JSON-ready dict: what an analysis of the files should find.

Hot-spots (centre, radius, time signature, trend, member ids), dark stretches, speeding segments, the planted
bad rows and counts of every table. Positions are given in WGS84 and SWEREF 99 TM.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from shapely.geometry import LineString, Point

from geo.demo.hotspots import HOTSPOTS, HotspotSpec, active_windows
from geo.demo.network import CENTRE_LAT, CENTRE_LON, PLACES, Segment
from geo.demo.period import PERIOD_END, PERIOD_START, YEAR_STARTS
from geo.demo.places import Proj
from geo.demo.residents import ROWDY_PLACES
from geo.demo.speed import NIGHT_HOURS, SPEED_WEEK_START

__all__ = [
    "centre_truth",
    "dark_truth",
    "hotspot_truth",
    "insecurity_truth",
    "period_truth",
    "point_truth",
    "speed_truth",
]


def point_truth(proj: Proj, ex: float, ny: float) -> dict[str, float]:
    """Return a local point as ``lat``, ``lon`` (6 decimals) and SWEREF ``x``, ``y`` (0.1 m)."""
    lat, lon = proj.wgs(np.array([ex]), np.array([ny]))
    x, y = proj.sweref(np.array([ex]), np.array([ny]))
    return {
        "lat": round(float(lat[0]), 6),
        "lon": round(float(lon[0]), 6),
        "x": round(float(x[0]), 1),
        "y": round(float(y[0]), 1),
    }


def _address_truth(proj: Proj, spec: HotspotSpec, members: pd.DataFrame) -> dict[str, Any] | None:
    """Return the hot-spot's repeated address and how many of its reports are placed there."""
    if not spec.address:
        return None
    return {
        "address": f"{spec.address[0]}, Värnamo",
        **point_truth(proj, *spec.address[1]),
        "n_reports": int((members["precision"] == "address").sum()),
    }


def _one_hotspot(proj: Proj, spec: HotspotSpec, police: pd.DataFrame, years: np.ndarray) -> dict[str, Any]:
    """Return the truth of one planted hot-spot."""
    members = police[police["hotspot"] == spec.key]
    ex, ny = PLACES[spec.place]
    yearly = [int(((years == y) & (police["hotspot"] == spec.key)).sum()) for y in range(3)]
    return {
        "id": spec.key,
        "name": spec.name,
        **point_truth(proj, ex, ny),
        "radius_m": spec.radius_m,
        "n_reports": int(len(members)),
        "categories": {k: int(v) for k, v in members["category"].value_counts().sort_index().items()},
        "main_category": max(spec.categories, key=lambda c: spec.categories[c]),
        "pattern": spec.pattern,
        "weekdays": list(spec.weekdays),
        "hours": list(spec.hours),
        "months": list(spec.months),
        "peak_window": spec.window_label,
        "active_windows": active_windows(spec),
        "in_window_share": spec.in_window,
        "at_dusk": spec.pattern == "dusk",
        "dusk_offset_min": [-15, 75] if spec.pattern == "dusk" else None,
        "trend": spec.trend,
        "emerging": spec.pattern == "emerging",
        "fading": spec.pattern == "fading",
        "yearly_counts": yearly,
        "windowed_reports": int(members["end"].notna().sum()),
        "address_repeats": _address_truth(proj, spec, members),
        "member_ids": members["report_id"].tolist(),
    }


def hotspot_truth(proj: Proj, police: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the truth of every planted hot-spot, with its members' counts per demo year."""
    years = np.select(
        [police["start"].dt.date >= YEAR_STARTS[2], police["start"].dt.date >= YEAR_STARTS[1]], [2, 1], 0
    )
    return [_one_hotspot(proj, spec, police, years) for spec in HOTSPOTS]


def dark_truth(
    proj: Proj, dark: dict[str, list[Segment]], lamps: pd.DataFrame, residents: pd.DataFrame
) -> list[dict[str, Any]]:
    """Return each dark stretch: segments, middle, length, lamps (broken) and residents' reports nearby."""
    out = []
    for kind, group in dark.items():
        line = LineString([c for s in group for c in s.line.coords])
        mid = line.interpolate(0.5, normalized=True)
        in_group = lamps["segment_id"].isin(set(s.segment_id for s in group))
        near = sum(
            1
            for x, y in zip(residents["ex"], residents["ny"], strict=True)
            if min(s.line.distance(Point(x, y)) for s in group) <= 30
        )
        out.append(
            {
                "kind": kind,
                "name": group[0].street.name,
                "segment_ids": [s.segment_id for s in group],
                **point_truth(proj, mid.x, mid.y),
                "length_m": round(sum(s.line.length for s in group), 1),
                "lamps": int(in_group.sum()),
                "lamps_broken": int((in_group & (lamps["status"] == "broken")).sum()),
                "resident_reports_within_30m": int(near),
            }
        )
    return out


def period_truth() -> dict[str, Any]:
    """Return the demo period and its three years (first and last day of each)."""
    years = [
        [
            YEAR_STARTS[i].isoformat(),
            (YEAR_STARTS[i + 1] - dt.timedelta(days=1)).isoformat() if i < 2 else PERIOD_END.isoformat(),
        ]
        for i in range(3)
    ]
    return {"start": PERIOD_START.isoformat(), "end": PERIOD_END.isoformat(), "years": years}


def centre_truth(proj: Proj) -> dict[str, float]:
    """Return the town centre in WGS84 and SWEREF 99 TM."""
    return {
        "lat": CENTRE_LAT,
        "lon": CENTRE_LON,
        **{k: v for k, v in point_truth(proj, 0, 0).items() if k in "xy"},
    }


def speed_truth(speed_info: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the speed week, its night hours, and the speeding and control sites."""
    return {
        "speed_week": [SPEED_WEEK_START.isoformat(), (SPEED_WEEK_START + dt.timedelta(days=6)).isoformat()],
        "speed_night_hours": list(NIGHT_HOURS),
        "speeding_segments": [i for i in speed_info if i["planted"]],
        "speed_controls": [i for i in speed_info if not i["planted"]],
    }


def insecurity_truth(proj: Proj, dark: dict[str, list[Segment]]) -> list[dict[str, Any]]:
    """Return the planted places of felt insecurity against recorded crime, each with its expected class.

    By construction: a police hot-spot where residents also report rowdiness, or that a dark path runs
    through, is ``both``; the other hot-spots are ``recorded_not_felt``; a dark stretch away from every
    hot-spot (residents' and safety walks' reports, police background only) is ``felt_not_recorded``. Each
    place's point is the hot-spot's centre or the stretch's middle; over the whole demo period the cell
    holding it (250 m, ``geo insecurity``'s default) has that class.
    """
    lines = [s.line for group in dark.values() for s in group]
    out = []
    for spec in HOTSPOTS:
        ex, ny = PLACES[spec.place]
        felt = spec.place in ROWDY_PLACES or min(ln.distance(Point(ex, ny)) for ln in lines) <= 60
        cls = "both" if felt else "recorded_not_felt"
        out.append(
            {"name": spec.name, "kind": f"hotspot:{spec.key}", "class": cls, **point_truth(proj, ex, ny)}
        )
    for kind, group in dark.items():
        line = LineString([c for s in group for c in s.line.coords])
        mid = line.interpolate(0.5, normalized=True)
        if min(Point(PLACES[h.place]).distance(mid) for h in HOTSPOTS) <= 300:
            continue  # the path through the park: the park's hot-spot above is "both"
        out.append(
            {
                "name": group[0].street.name,
                "kind": f"dark:{kind}",
                "class": "felt_not_recorded",
                **point_truth(proj, mid.x, mid.y),
            }
        )
    return out
