"""Residents' reports of places that feel unsafe: mostly on dark stretches, at rowdy places, by speeders.

The last two demo years only; dark-place reports come after the day's dusk, the others in the evening.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from shapely.geometry import Point

from geo.demo.network import CENTRE_LAT, CENTRE_LON, PLACES, Segment
from geo.demo.period import PERIOD_END, TZ, YEAR_STARTS, fix_dst
from geo.demo.places import Proj, along, disc
from geo.time.sun import sun_window

__all__ = ["RESIDENT_TEXT", "ROWDY_PLACES", "resident_reports"]

RESIDENT_TEXT: dict[str, tuple[str, ...]] = {
    "mörkt": (
        "Kolsvart på kvällen, jag undviker att gå här",
        "Ingen belysning alls längs stigen",
        "Väldigt mörkt och öde",
    ),
    "trasig belysning": ("Flera lampor har varit släckta länge", "Gatlyktorna fungerar inte"),
    "otrygg passage": ("Smal passage där man inte ser vem som kommer", "Känns otryggt att gå här ensam"),
    "stökigt": (
        "Stökigt med ungdomsgäng på kvällarna",
        "Fulla personer som bråkar",
        "Högljutt och hotfull stämning",
    ),
    "hög hastighet": ("Bilar kör alldeles för fort", "Fartdårar på kvällarna", "Farligt att korsa gatan"),
    "nedskräpat": ("Mycket skräp och glas", "Nedskräpat, känns övergivet"),
    "skymd sikt": ("Buskarna skymmer sikten", "Man ser inte runt hörnet"),
}
"""Descriptions residents write, per category (also used by the safety walks)."""

_N = 380
"""Residents' reports."""

ROWDY_PLACES = ["Stortorget", "Resecentrum", "Bredasten", "Handelsplats Mossle"]
"""Places where residents report rowdiness (the police hot-spots of the same name get felt insecurity too)."""


def _dark_reports(
    rng: np.random.Generator, k: int, dark: dict[str, list[Segment]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return `k` positions and categories on the dark stretches (a third about broken lamps)."""
    dark_lines = [s.line for group in dark.values() for s in group]
    broken_lines = [s.line for s in dark["broken_lamps"]]
    on_broken = rng.random(k) < 0.3
    dx, dy = along(rng, k, dark_lines, jitter_m=8)
    bx, by = along(rng, k, broken_lines, jitter_m=8)
    cats = np.where(
        on_broken,
        "trasig belysning",
        rng.choice(np.array(["mörkt", "mörkt", "mörkt", "otrygg passage"]), size=k),
    )
    return np.where(on_broken, bx, dx), np.where(on_broken, by, dy), cats


def _rowdy_positions(rng: np.random.Generator, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Return `k` positions around the rowdy places."""
    which = rng.integers(0, len(ROWDY_PLACES), k)
    rx = np.empty(k)
    ry = np.empty(k)
    for i, s in enumerate(ROWDY_PLACES):
        sel = which == i
        rx[sel], ry[sel] = disc(rng, int(sel.sum()), PLACES[s], 120)
    return rx, ry


def _positions(
    rng: np.random.Generator,
    kind: np.ndarray,
    segs: list[Segment],
    dark: dict[str, list[Segment]],
    speeding: list[Segment],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return positions and categories for each report's kind (dark, rowdy, speed, other)."""
    n = len(kind)
    xs = np.empty(n)
    ys = np.empty(n)
    cats = np.empty(n, dtype=object)
    m = kind == "dark"
    xs[m], ys[m], cats[m] = _dark_reports(rng, int(m.sum()), dark)
    m = kind == "rowdy"
    xs[m], ys[m] = _rowdy_positions(rng, int(m.sum()))
    cats[m] = "stökigt"
    m = kind == "speed"
    xs[m], ys[m] = along(rng, int(m.sum()), [s.line for s in speeding], jitter_m=12)
    cats[m] = "hög hastighet"
    m = kind == "other"
    k = int(m.sum())
    urban = [s.line for s in segs if s.line.centroid.distance(Point(0, 0)) < 2000]
    xs[m], ys[m] = along(rng, k, urban, jitter_m=15)
    cats[m] = rng.choice(np.array(["nedskräpat", "skymd sikt", "stökigt", "otrygg passage"]), size=k)
    return xs, ys, cats


def _times(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """Return a time per report: after dusk for dark places, otherwise in the evening (naive local)."""
    n = len(kind)
    day_index = pd.date_range(YEAR_STARTS[1], PERIOD_END, freq="D")
    idx = rng.integers(0, len(day_index), n)
    start = np.empty(n, dtype="datetime64[ns]")
    after_dusk = rng.uniform(10, 200, n)
    evening_h = rng.integers(17, 23, n)
    minutes = rng.integers(0, 60, n)
    for i in range(n):
        day = day_index[int(idx[i])]
        if kind[i] == "dark":
            _, dusk, _ = sun_window(CENTRE_LAT, CENTRE_LON, day.date(), TZ)
            if dusk is None:  # never at Värnamo's latitude
                raise ValueError(f"no dusk in Värnamo on {day.date()}")
            start[i] = np.datetime64(
                dusk.tz_localize(None).floor("min").to_datetime64(), "ns"
            ) + np.timedelta64(int(after_dusk[i]), "m")
        else:
            start[i] = (
                np.datetime64(day.to_datetime64(), "ns")
                + np.timedelta64(int(evening_h[i]), "h")
                + np.timedelta64(int(minutes[i]), "m")
            )
    return start


def resident_reports(
    rng: np.random.Generator,
    segs: list[Segment],
    dark: dict[str, list[Segment]],
    speeding: list[Segment],
    proj: Proj,
) -> pd.DataFrame:
    """Return the residents' reports in time order, ids ``T-0001`` ...

    Parameters
    ----------
    rng
        The world's random generator.
    segs
        Street segments.
    dark
        The planted dark stretches (:func:`geo.demo.lamps.dark_segments`).
    speeding
        The segments with planted speeding.
    proj
        Local metres -> WGS84.
    """
    kind = rng.choice(np.array(["dark", "rowdy", "speed", "other"]), size=_N, p=[0.45, 0.2, 0.15, 0.2])
    xs, ys, cats = _positions(rng, kind, segs, dark, speeding)
    lat, lon = proj.wgs(xs, ys)
    start = _times(rng, kind)
    text = [
        RESIDENT_TEXT[str(c)][int(j) % len(RESIDENT_TEXT[str(c)])]
        for c, j in zip(cats, rng.integers(0, 3, _N), strict=True)
    ]
    frame = pd.DataFrame(
        {
            "start": fix_dst(start),
            "ex": xs,
            "ny": ys,
            "lat": lat,
            "lon": lon,
            "category": cats,
            "description": text,
            "kind": kind,
        }
    )
    frame = frame.sort_values(["start", "ex"], kind="stable").reset_index(drop=True)
    frame.insert(0, "report_id", [f"T-{i + 1:04d}" for i in range(len(frame))])
    return frame
