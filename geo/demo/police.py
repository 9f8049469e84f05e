"""Three years of police reports: planted hot-spots, background in town and villages, planted bad rows.

Each report gets an address (the nearest street and a house number), an id like ``5000-K000123-24`` and a
description. With ``noise > 0`` four background rows are marked ``bad``: the writer spoils them the way real
exports are spoilt, and the truth lists them as rows the reader must reject or repair.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from shapely import STRtree
from shapely.geometry import LineString, Point

from geo.demo.hotspots import HOTSPOTS, hotspot_incidents, incident_frame
from geo.demo.network import Segment
from geo.demo.period import background_hours, days, pick, times
from geo.demo.places import Proj, along

__all__ = ["BACKGROUND_N", "CATEGORIES", "DESCRIPTIONS", "VILLAGES", "police_reports"]

DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "misshandel": (
        "Misshandel utomhus, bråk mellan flera personer",
        "Man slagen i ansiktet",
        "Bråk i kö utanför krog",
    ),
    "rån": ("Rån av mobiltelefon", "Personrån, hot med kniv", "Rån av plånbok"),
    "inbrott": ("Inbrott i lokal, dörr uppbruten", "Inbrott i förråd", "Inbrott i bostad"),
    "stöld": ("Stöld av cykel", "Snatteri i butik", "Stöld ur bil"),
    "skadegörelse": ("Klotter på fasad", "Krossad ruta", "Skadegörelse på busskur"),
    "narkotikabrott": ("Innehav av narkotika", "Misstänkt narkotikaförsäljning", "Eget bruk av narkotika"),
    "ofredande": (
        "Ofredande, kvinna förföljd",
        "Ofredande vid hållplats",
        "Hotfullt beteende mot förbipasserande",
    ),
    "trafikbrott": ("Hastighetsöverträdelse", "Olovlig körning", "Rattfylleri"),
}
CATEGORIES = tuple(DESCRIPTIONS)
"""Offence categories of the police reports."""

BACKGROUND_N = 2400
"""Background incidents (at noise = 1)."""

VILLAGES: dict[str, tuple[float, float]] = {
    "Forsheda": (57.1639, 13.8336),
    "Bredaryd": (57.1717, 13.7403),
    "Rydaholm": (56.9850, 14.2700),
}
"""Villages of the municipality (lat, lon) that get a little background."""

_BACKGROUND_SHARES = {
    "stöld": 0.30,
    "skadegörelse": 0.16,
    "inbrott": 0.10,
    "trafikbrott": 0.14,
    "misshandel": 0.08,
    "ofredande": 0.08,
    "narkotikabrott": 0.08,
    "rån": 0.03,
}
"""Share of each offence among the background incidents."""

_PLANTED_BAD = (
    (120, "Latitud", "missing coordinate", "rejected"),
    (1900, "Latitud", "position outside the study area", "rejected"),
    (2600, "occurred_from", "local time does not exist (daylight-saving change)", "rejected"),
    (3300, "Latitud", "latitude and longitude were swapped", "warning"),
)
"""(first row position, field, reason, status) of the bad rows planted in the background."""


def _background_positions(
    rng: np.random.Generator, cats: np.ndarray, segs: list[Segment], proj: Proj
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return positions (traffic along main roads, the rest along town streets, a few in villages)."""
    n = len(cats)
    main = [s.line for s in segs if s.street.highway in {"primary", "secondary", "tertiary"}]
    urban = [s.line for s in segs if s.line.centroid.distance(Point(0, 0)) < 2600]
    village = rng.random(n) < 0.04
    traffic = cats == "trafikbrott"
    xs = np.empty(n)
    ys = np.empty(n)
    m1 = traffic & ~village
    xs[m1], ys[m1] = along(rng, int(m1.sum()), main, jitter_m=5)
    m2 = ~traffic & ~village
    xs[m2], ys[m2] = along(rng, int(m2.sum()), urban, jitter_m=14)
    names = list(VILLAGES)
    vi = rng.integers(0, len(names), n)
    vj = rng.normal(0, 250, (n, 2))
    address = np.array([None] * n, dtype=object)
    for i in np.flatnonzero(village):
        vx, vy = proj.local(*VILLAGES[names[vi[i]]])
        xs[i], ys[i] = vx + vj[i, 0], vy + vj[i, 1]
        address[i] = names[vi[i]]
    return xs, ys, address


def _background(
    rng: np.random.Generator, n: int, segs: list[Segment], day_index: pd.DatetimeIndex, proj: Proj
) -> pd.DataFrame:
    """Return `n` background incidents on any day; half the burglaries known only as a working-day window."""
    p = np.array(list(_BACKGROUND_SHARES.values()))
    cats = rng.choice(np.array(list(_BACKGROUND_SHARES)), size=n, p=p / p.sum())
    xs, ys, address = _background_positions(rng, cats, segs, proj)
    idx = pick(rng, n, np.ones(len(day_index)))
    h = background_hours(rng, n)
    minutes = rng.integers(0, 60, n)
    start = times(day_index, idx, h, minutes)
    end = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    # residential burglaries found in the evening: known only as a working-day window
    win = (cats == "inbrott") & (rng.random(n) < 0.5)
    base = day_index.to_numpy()[idx]
    start[win] = (
        base[win] + np.timedelta64(7, "h") + rng.integers(30, 90, int(win.sum())).astype("timedelta64[m]")
    )
    end[win] = (
        base[win] + np.timedelta64(16, "h") + rng.integers(0, 120, int(win.sum())).astype("timedelta64[m]")
    )
    frame = incident_frame(start, end, xs, ys, cats, np.array(["exact"] * n, dtype=object), address, None)
    frame["in_window"] = False
    return frame


def _addresses(frame: pd.DataFrame, segs: list[Segment]) -> list[str]:
    """Return an address per incident: the nearest street and a house number from the position along it."""
    lines = [s.line for s in segs]
    tree = STRtree(lines)
    pts = [Point(x, y) for x, y in zip(frame["ex"], frame["ny"], strict=True)]
    nearest = tree.nearest(pts)
    out = []
    for p, j, given in zip(pts, nearest, frame["address"], strict=True):
        if isinstance(given, str):
            out.append(f"{given}, Värnamo")
            continue
        seg = segs[int(j)]
        street_line = LineString(seg.street.points)
        if p.distance(street_line) > 120:
            out.append("Värnamo")
            continue
        number = int(street_line.project(p) // 15) + 1
        out.append(f"{seg.street.name} {number}, Värnamo")
    return out


def _plant_bad_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Mark a background row at or after each planted position as ``bad``; return the rows as the truth."""
    bad: list[dict[str, Any]] = []
    background = np.flatnonzero(frame["hotspot"].isna().to_numpy())
    for pos, fld, reason, status in _PLANTED_BAD:
        later = background[background >= pos]
        if len(later):
            row = int(later[0])
            frame.loc[row, "bad"] = reason
            bad.append(
                {
                    "file": "polisanmalningar.csv",
                    "row": row + 2,
                    "field": fld,
                    "reason": reason,
                    "status": status,
                    "report_id": frame.loc[row, "report_id"],
                }
            )
    return bad


def police_reports(
    rng: np.random.Generator, segs: list[Segment], proj: Proj, *, noise: float
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Return the police reports (in time order) and ``{"bad_rows": [...]}``, the planted bad rows.

    Parameters
    ----------
    rng
        The world's random generator.
    segs
        Street segments (for positions and addresses).
    proj
        Local metres -> WGS84.
    noise
        Multiplier of the background incidents; 0 also plants no bad rows.
    """
    day_index = days()
    parts = [hotspot_incidents(rng, spec, day_index, proj) for spec in HOTSPOTS]
    parts.append(_background(rng, int(round(BACKGROUND_N * noise)), segs, day_index, proj))
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True)
    frame = frame.sort_values(["start", "ex", "ny"], kind="stable").reset_index(drop=True)
    frame["address"] = _addresses(frame, segs)
    years = pd.to_datetime(frame["start"]).dt.year.to_numpy() % 100
    frame["report_id"] = [f"5000-K{i + 1:06d}-{y:02d}" for i, y in enumerate(years)]
    frame["description"] = [
        DESCRIPTIONS[c][int(k)]
        for c, k in zip(frame["category"], rng.integers(0, 3, len(frame)), strict=True)
    ]
    frame["lat"], frame["lon"] = proj.wgs(frame["ex"].to_numpy(), frame["ny"].to_numpy())
    frame["bad"] = ""
    # planted bad rows that the reader must reject with a reason (and one it repairs with a warning)
    bad = _plant_bad_rows(frame) if noise > 0 else []
    return frame, {"bad_rows": bad}
