"""Build the Värnamo demo world in memory: streets, lamps, incidents, residents' reports, speeds, truth.

Everything is drawn from one :class:`numpy.random.Generator` seeded with `seed`, in a fixed order, so the same
seed gives the same world. Nothing here touches files; :mod:`geo.demo.write` writes the world.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pyproj import Transformer
from shapely import STRtree
from shapely.geometry import LineString, Point

from geo.demo.network import CENTRE_LAT, CENTRE_LON, PLACES, Segment, centre_sweref, segments
from geo.texts import MONTHS
from geo.time.sun import sun_window

__all__ = [
    "DEMO_LABEL",
    "PERIOD_END",
    "PERIOD_START",
    "TZ",
    "World",
    "build_world",
]

DEMO_LABEL = "syntetiska demodata"
"""Written in every file of the demo world."""

TZ = "Europe/Stockholm"
PERIOD_START = dt.date(2023, 11, 1)
"""First day of the three demo years."""
PERIOD_END = dt.date(2026, 10, 31)
"""Last day (inclusive) of the three demo years."""
YEAR_STARTS = (dt.date(2023, 11, 1), dt.date(2024, 11, 1), dt.date(2025, 11, 1))
SPEED_WEEK_START = dt.date(2026, 9, 14)
"""Monday of the week the speed measurements were taken."""
NIGHT_HOURS = (22, 23, 0, 1, 2, 3, 4)
"""Hours counted as night for speeds."""

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


@dataclass(frozen=True)
class HotspotSpec:
    """One planted hot-spot: where, how big, how many, which offences and which time signature."""

    key: str
    name: str
    place: str
    radius_m: float
    n: int
    categories: dict[str, float]
    pattern: str
    weekdays: tuple[int, ...]
    hours: tuple[int, ...]
    window_label: str
    trend: str
    months: tuple[int, ...] = tuple(range(1, 13))
    address: tuple[str, tuple[float, float], float] | None = None  # (text, local xy, share of rows there)
    in_window: float = 0.9


HOTSPOTS: tuple[HotspotSpec, ...] = (
    HotspotSpec(
        "centrum",
        "Stortorget, nöjesstråket",
        "Stortorget",
        150,
        520,
        {"misshandel": 0.4, "ofredande": 0.2, "skadegörelse": 0.2, "stöld": 0.1, "narkotikabrott": 0.1},
        "weekend_nights",
        (4, 5, 6),
        (22, 23, 0, 1, 2),
        "fre–lör 22–03",
        "persistent",
        address=("Storgatan 12", (60.0, 5.0), 0.15),
    ),
    HotspotSpec(
        "resecentrum",
        "Resecentrum",
        "Resecentrum",
        120,
        330,
        {"stöld": 0.35, "rån": 0.15, "ofredande": 0.25, "skadegörelse": 0.25},
        "evenings",
        tuple(range(7)),
        (17, 18, 19, 20, 21),
        "mån–sön 17–22",
        "persistent",
        address=("Järnvägsgatan 5", (-430.0, -330.0), 0.2),
    ),
    HotspotSpec(
        "skolan",
        "Gröndalsskolan",
        "Gröndalsskolan",
        120,
        230,
        {"skadegörelse": 0.35, "stöld": 0.3, "ofredande": 0.2, "misshandel": 0.15},
        "school",
        (0, 1, 2, 3, 4),
        (13, 14, 15, 16),
        "mån–fre 13–17",
        "persistent",
    ),
    HotspotSpec(
        "industri",
        "Industriområde Nydala",
        "Industriområde Nydala",
        250,
        190,
        {"inbrott": 0.85, "stöld": 0.15},
        "winter_nights",
        tuple(range(7)),
        (22, 23, 0, 1, 2, 3, 4),
        "mån–sön 22–05",
        "persistent",
        months=(11, 12, 1, 2),
    ),
    HotspotSpec(
        "parken",
        "Stadsparken",
        "Stadsparken",
        120,
        210,
        {"narkotikabrott": 0.8, "ofredande": 0.1, "misshandel": 0.1},
        "dusk",
        tuple(range(7)),
        (),
        "vid skymning",
        "persistent",
    ),
    HotspotSpec(
        "mossle",
        "Handelsplats Mossle",
        "Handelsplats Mossle",
        150,
        160,
        {"rån": 0.3, "stöld": 0.4, "ofredande": 0.3},
        "emerging",
        (3, 4, 5),
        (18, 19, 20, 21, 22),
        "tor–lör 18–23",
        "new",
    ),
    HotspotSpec(
        "bredasten",
        "Bredasten",
        "Bredasten",
        150,
        230,
        {"skadegörelse": 0.6, "inbrott": 0.2, "stöld": 0.2},
        "fading",
        tuple(range(7)),
        (20, 21, 22, 23, 0),
        "mån–sön 20–01",
        "diminishing",
    ),
)
"""The planted hot-spots."""

BACKGROUND_N = 2400
"""Background incidents (at noise = 1)."""

DIURNAL = np.array([3, 2, 2, 1, 1, 1, 2, 3, 4, 5, 5, 6, 6, 6, 6, 6, 7, 7, 7, 7, 6, 5, 4, 4], dtype=float)
"""Relative background incidents per local hour."""

VILLAGES: dict[str, tuple[float, float]] = {
    "Forsheda": (57.1639, 13.8336),
    "Bredaryd": (57.1717, 13.7403),
    "Rydaholm": (56.9850, 14.2700),
}
"""Villages of the municipality (lat, lon) that get a little background."""

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
DAILY_VOLUME = {"primary": 420, "secondary": 280, "tertiary": 210, "residential": 110}


@dataclass
class World:
    """The demo world as tables in memory (local metres converted to WGS84 and SWEREF 99 TM on output).

    Attributes
    ----------
    seed
        The seed it was built from.
    segments
        Street segments.
    lamps, police, residents, walks, passes, hourly
        Tables (pandas) ready to be written.
    truth
        The planted truth as a JSON-ready dict.
    """

    seed: int
    segments: list[Segment]
    lamps: pd.DataFrame
    police: pd.DataFrame
    residents: pd.DataFrame
    walks: pd.DataFrame
    passes: pd.DataFrame
    hourly: pd.DataFrame
    truth: dict[str, Any] = field(default_factory=dict)
    feed: list[dict[str, Any]] = field(default_factory=list)


class _Proj:
    """Local metres -> SWEREF 99 TM and WGS84."""

    def __init__(self) -> None:
        self.x0, self.y0 = centre_sweref()
        self._to_wgs = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
        self._from_wgs = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)

    def sweref(self, ex: np.ndarray, ny: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(ex, dtype=float) + self.x0, np.asarray(ny, dtype=float) + self.y0

    def wgs(self, ex: np.ndarray, ny: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (lat, lon) in degrees."""
        x, y = self.sweref(ex, ny)
        lon, lat = self._to_wgs.transform(x, y)
        return np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)

    def local(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = self._from_wgs.transform(lon, lat)
        return float(x - self.x0), float(y - self.y0)


# --------------------------------------------------------------------------------------------- time helpers
def _days() -> pd.DatetimeIndex:
    return pd.date_range(PERIOD_START, PERIOD_END, freq="D")


def _year_index(days: pd.DatetimeIndex) -> np.ndarray:
    d = days.date
    return np.select([d >= YEAR_STARTS[2], d >= YEAR_STARTS[1]], [2, 1], 0)


def _pick(rng: np.random.Generator, n: int, weights: np.ndarray) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return rng.choice(len(w), size=n, p=w / w.sum())


def _pick_by_year(rng: np.random.Generator, n: int, weights: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Pick `n` days with `weights`, the same number in each of the three years (a persistent hot-spot)."""
    w = np.asarray(weights, dtype=float)
    counts = [n // 3 + (1 if y < n % 3 else 0) for y in range(3)]
    parts = []
    for y, k in enumerate(counts):
        wy = np.where(year == y, w, 0.0)
        parts.append(rng.choice(len(w), size=k, p=wy / wy.sum()))
    out = np.concatenate(parts)
    rng.shuffle(out)
    return out


def _times(days: pd.DatetimeIndex, idx: np.ndarray, hours: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """Naive local datetimes: day + hours (may exceed 23, rolling into the next day) + minutes."""
    base = days.to_numpy()[idx]
    return base + hours.astype("timedelta64[h]") + minutes.astype("timedelta64[m]")


def _fix_dst(t: np.ndarray) -> np.ndarray:
    """Move naive local times that do not exist or are ambiguous in Stockholm two hours on."""
    s = pd.Series(pd.to_datetime(t))
    ok = s.dt.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT").notna() | s.isna()
    s[~ok] = s[~ok] + pd.Timedelta(hours=2)
    return s.to_numpy(dtype="datetime64[ns]")


def _hours_from(rng: np.random.Generator, n: int, hours: tuple[int, ...]) -> np.ndarray:
    return rng.choice(np.array(hours), size=n)


def _background_hours(rng: np.random.Generator, n: int) -> np.ndarray:
    return _pick(rng, n, DIURNAL)


# --------------------------------------------------------------------------------------------- places
def _disc(
    rng: np.random.Generator, n: int, centre: tuple[float, float], radius_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Points around a centre, normal with sigma = radius/2, all within the radius."""
    xs = np.empty(n)
    ys = np.empty(n)
    todo = np.arange(n)
    while len(todo):
        dx = rng.normal(0, radius_m / 2, len(todo))
        dy = rng.normal(0, radius_m / 2, len(todo))
        ok = np.hypot(dx, dy) <= radius_m * 0.95
        xs[todo[ok]] = centre[0] + dx[ok]
        ys[todo[ok]] = centre[1] + dy[ok]
        todo = todo[~ok]
    return xs, ys


def _along(
    rng: np.random.Generator, n: int, lines: list[LineString], *, jitter_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Points uniformly along lines (by length), jittered by a normal of `jitter_m`."""
    lengths = np.array([ln.length for ln in lines])
    which = _pick(rng, n, lengths)
    frac = rng.random(n)
    jx = rng.normal(0, jitter_m, n)
    jy = rng.normal(0, jitter_m, n)
    xs = np.empty(n)
    ys = np.empty(n)
    for i in range(n):
        p = lines[which[i]].interpolate(frac[i], normalized=True)
        xs[i], ys[i] = p.x + jx[i], p.y + jy[i]
    return xs, ys


# --------------------------------------------------------------------------------------------- the world
def _dark_segments(segs: list[Segment]) -> dict[str, list[Segment]]:
    """Return the planted dark stretches: the unlit park and station paths and a broken-lamp stretch."""
    broken = [s for s in segs if s.street.key == "lonngatan" and -520 <= s.line.centroid.x <= 220]
    return {
        "unlit_park_path": [s for s in segs if s.street.key == "parkstigen"],
        "unlit_station_path": [s for s in segs if s.street.key == "stationsstigen"],
        "broken_lamps": broken,
    }


def _lamps(rng: np.random.Generator, segs: list[Segment], broken_ids: set[str]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for seg in segs:
        st = seg.street
        if st.lit != "yes":
            continue
        spacing = 40.0 if st.highway in {"primary", "secondary"} else 33.0
        n = max(1, int(seg.line.length // spacing))
        for k in range(n):
            d = (k + 0.5) * seg.line.length / n
            p = seg.line.interpolate(d)
            q = seg.line.interpolate(min(seg.line.length, d + 1.0))
            r = seg.line.interpolate(max(0.0, d - 1.0))
            dx, dy = q.x - r.x, q.y - r.y
            norm = math.hypot(dx, dy) or 1.0
            ox, oy = -dy / norm * 6.0, dx / norm * 6.0  # six metres to the left of the way
            if seg.segment_id in broken_ids:
                status = "broken"
            elif st.highway == "secondary" and len(rows) % 7 == 0:
                status = "part_night"
            else:
                status = "broken" if rng.random() < 0.01 else "ok"
            rows.append(
                {
                    "ex": p.x + ox,
                    "ny": p.y + oy,
                    "status": status,
                    "street": st.name,
                    "segment_id": seg.segment_id,
                }
            )
    frame = pd.DataFrame(rows)
    frame.insert(0, "lamp_id", [f"L{i + 1:05d}" for i in range(len(frame))])
    return frame


def _hotspot_incidents(
    rng: np.random.Generator, spec: HotspotSpec, days: pd.DatetimeIndex, proj: _Proj
) -> pd.DataFrame:
    n = spec.n
    centre = PLACES[spec.place]
    xs, ys = _disc(rng, n, centre, spec.radius_m)
    precision = np.array(["exact"] * n, dtype=object)
    address = np.array([None] * n, dtype=object)
    if spec.address is not None:
        text, axy, share = spec.address
        at = rng.random(n) < share
        xs[at], ys[at] = axy
        precision[at] = "address"
        address[at] = text
    cats = rng.choice(np.array(list(spec.categories)), size=n, p=np.array(list(spec.categories.values())))
    wd = days.day_of_week.to_numpy()
    month = days.month.to_numpy()
    year = _year_index(days)
    in_win = rng.random(n) < spec.in_window
    end = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    minutes = rng.integers(0, 60, n)
    if spec.pattern == "weekend_nights":
        w = np.isin(wd, (4, 5)).astype(float)
        idx = _pick_by_year(rng, n, w, year)
        h = rng.choice(np.array([22, 23, 24, 25, 26]), size=n, p=np.array([2, 3, 3, 2, 1]) / 11)
    elif spec.pattern == "evenings":
        w = np.where(np.isin(wd, (4, 5)), 1.3, 1.0)
        idx = _pick_by_year(rng, n, w, year)
        h = _hours_from(rng, n, spec.hours)
    elif spec.pattern == "school":
        holiday = (
            (month == 7)
            | ((month == 6) & (days.day.to_numpy() > 15))
            | ((month == 8) & (days.day.to_numpy() < 18))
            | ((month == 12) & (days.day.to_numpy() > 21))
            | ((month == 1) & (days.day.to_numpy() < 8))
        )
        w = (wd < 5).astype(float) * ~holiday
        idx = _pick_by_year(rng, n, w, year)
        h = _hours_from(rng, n, spec.hours)
    elif spec.pattern == "winter_nights":
        w = np.where(np.isin(month, spec.months), 1.0, 0.06)
        idx = _pick_by_year(rng, n, w, year)
        h = rng.choice(np.array([22, 23, 24, 25, 26, 27, 28]), size=n)
        windowed = rng.random(n) < 0.7
        # found in the morning: from closing time the evening before, to opening time (Monday after a weekend)
        start_h = rng.integers(16, 20, n)
        start_m = rng.integers(0, 60, n)
        end_days = np.where(wd[idx] == 4, 3, 1)
        end_h = rng.integers(6, 8, n)
        end_m = rng.integers(0, 60, n)
        base = days.to_numpy()[idx]
        s_win = base + start_h.astype("timedelta64[h]") + start_m.astype("timedelta64[m]")
        e_win = base + (end_days * 24 + end_h).astype("timedelta64[h]") + end_m.astype("timedelta64[m]")
        start = _times(days, idx, h, minutes)
        start[windowed] = s_win[windowed]
        end[windowed] = e_win[windowed]
        # the months outside winter get a small weight above instead of a separate off-window share
        frame = _frame_from(start, end, xs, ys, cats, precision, address, spec.key)
        frame["in_window"] = True
        return frame
    elif spec.pattern == "dusk":
        idx = _pick_by_year(rng, n, np.ones(len(days)), year)
        lat, lon = proj.wgs(np.array([centre[0]]), np.array([centre[1]]))
        offsets = rng.uniform(-15, 75, n)
        start = np.empty(n, dtype="datetime64[ns]")
        cache: dict[int, np.datetime64] = {}
        for i in range(n):
            j = int(idx[i])
            if j not in cache:
                _, dusk, _ = sun_window(float(lat[0]), float(lon[0]), days[j].date(), TZ)
                if dusk is None:  # never at Värnamo's latitude
                    raise ValueError(f"no dusk at the park on {days[j].date()}")
                cache[j] = np.datetime64(dusk.tz_localize(None).floor("min").to_datetime64(), "ns")
            start[i] = cache[j] + np.timedelta64(int(round(offsets[i])), "m")
        frame = _frame_from(start, end, xs, ys, cats, precision, address, spec.key)
        frame["in_window"] = True
        return frame
    elif spec.pattern == "emerging":
        ramp = np.where(year == 2, 0.3 + 0.7 * np.linspace(0, 1, len(days)) ** 0.5, 0.0)
        w = ramp * np.isin(wd, spec.weekdays)
        idx = _pick(rng, n, w)
        h = _hours_from(rng, n, spec.hours)
        in_win[:] = True
    elif spec.pattern == "fading":
        w = np.array([1.0, 0.42, 0.12])[year]
        idx = _pick(rng, n, w)
        h = rng.choice(np.array([20, 21, 22, 23, 24]), size=n)
    else:
        raise ValueError(f"unknown time pattern '{spec.pattern}' of hot-spot '{spec.key}'")
    # off-window share: any day, hours as the background
    off = ~in_win
    if off.any():
        idx = idx.copy()
        if spec.pattern == "fading":
            idx[off] = _pick(rng, int(off.sum()), np.array([1.0, 0.42, 0.12])[year])
        else:
            idx[off] = _pick_by_year(rng, int(off.sum()), np.ones(len(days)), year)
        h = h.copy()
        h[off] = _background_hours(rng, int(off.sum()))
    start = _times(days, idx, h, minutes)
    frame = _frame_from(start, end, xs, ys, cats, precision, address, spec.key)
    frame["in_window"] = in_win
    return frame


def _frame_from(
    start: np.ndarray,
    end: np.ndarray,
    xs: np.ndarray,
    ys: np.ndarray,
    cats: np.ndarray,
    precision: np.ndarray,
    address: np.ndarray,
    key: str | None,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "start": _fix_dst(start),
            "end": _fix_dst(end),
            "ex": xs,
            "ny": ys,
            "category": cats,
            "precision": precision,
            "address": address,
            "hotspot": key,
        }
    )


def _background(
    rng: np.random.Generator, n: int, segs: list[Segment], days: pd.DatetimeIndex, proj: _Proj
) -> pd.DataFrame:
    p = np.array([0.30, 0.16, 0.10, 0.14, 0.08, 0.08, 0.08, 0.03])
    cat_names = np.array(
        [
            "stöld",
            "skadegörelse",
            "inbrott",
            "trafikbrott",
            "misshandel",
            "ofredande",
            "narkotikabrott",
            "rån",
        ]
    )
    cats = rng.choice(cat_names, size=n, p=p / p.sum())
    main = [s.line for s in segs if s.street.highway in {"primary", "secondary", "tertiary"}]
    urban = [s.line for s in segs if s.line.centroid.distance(Point(0, 0)) < 2600]
    village = rng.random(n) < 0.04
    traffic = cats == "trafikbrott"
    xs = np.empty(n)
    ys = np.empty(n)
    m1 = traffic & ~village
    xs[m1], ys[m1] = _along(rng, int(m1.sum()), main, jitter_m=5)
    m2 = ~traffic & ~village
    xs[m2], ys[m2] = _along(rng, int(m2.sum()), urban, jitter_m=14)
    names = list(VILLAGES)
    vi = rng.integers(0, len(names), n)
    vj = rng.normal(0, 250, (n, 2))
    address = np.array([None] * n, dtype=object)
    for i in np.flatnonzero(village):
        vx, vy = proj.local(*VILLAGES[names[vi[i]]])
        xs[i], ys[i] = vx + vj[i, 0], vy + vj[i, 1]
        address[i] = names[vi[i]]
    idx = _pick(rng, n, np.ones(len(days)))
    h = _background_hours(rng, n)
    minutes = rng.integers(0, 60, n)
    start = _times(days, idx, h, minutes)
    end = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    # residential burglaries found in the evening: known only as a working-day window
    win = (cats == "inbrott") & (rng.random(n) < 0.5)
    base = days.to_numpy()[idx]
    start[win] = (
        base[win] + np.timedelta64(7, "h") + rng.integers(30, 90, int(win.sum())).astype("timedelta64[m]")
    )
    end[win] = (
        base[win] + np.timedelta64(16, "h") + rng.integers(0, 120, int(win.sum())).astype("timedelta64[m]")
    )
    frame = _frame_from(start, end, xs, ys, cats, np.array(["exact"] * n, dtype=object), address, None)
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


def _police(
    rng: np.random.Generator, segs: list[Segment], proj: _Proj, *, noise: float
) -> tuple[pd.DataFrame, dict[str, Any]]:
    days = _days()
    parts = [_hotspot_incidents(rng, spec, days, proj) for spec in HOTSPOTS]
    parts.append(_background(rng, int(round(BACKGROUND_N * noise)), segs, days, proj))
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
    bad: list[dict[str, Any]] = []
    if noise > 0:
        # planted bad rows that the reader must reject with a reason (and one it repairs with a warning)
        plants = [
            (120, "Latitud", "missing coordinate", "rejected"),
            (1900, "Latitud", "position outside the study area", "rejected"),
            (2600, "occurred_from", "local time does not exist (daylight-saving change)", "rejected"),
            (3300, "Latitud", "latitude and longitude were swapped", "warning"),
        ]
        background = np.flatnonzero(frame["hotspot"].isna().to_numpy())
        for pos, fld, reason, status in plants:
            later = background[background >= pos]
            if len(later):
                pos = int(later[0])
                frame.loc[pos, "bad"] = reason
                bad.append(
                    {
                        "file": "polisanmalningar.csv",
                        "row": pos + 2,
                        "field": fld,
                        "reason": reason,
                        "status": status,
                        "report_id": frame.loc[pos, "report_id"],
                    }
                )
    return frame, {"bad_rows": bad}


def _residents(
    rng: np.random.Generator,
    segs: list[Segment],
    dark: dict[str, list[Segment]],
    speeding: list[Segment],
    proj: _Proj,
) -> pd.DataFrame:
    n = 380
    days = pd.date_range(YEAR_STARTS[1], PERIOD_END, freq="D")
    kind = rng.choice(np.array(["dark", "rowdy", "speed", "other"]), size=n, p=[0.45, 0.2, 0.15, 0.2])
    xs = np.empty(n)
    ys = np.empty(n)
    cats = np.empty(n, dtype=object)
    dark_lines = [s.line for group in dark.values() for s in group]
    broken_lines = [s.line for s in dark["broken_lamps"]]
    m = kind == "dark"
    k = int(m.sum())
    on_broken = rng.random(k) < 0.3
    dx, dy = _along(rng, k, dark_lines, jitter_m=8)
    bx, by = _along(rng, k, broken_lines, jitter_m=8)
    xs[m] = np.where(on_broken, bx, dx)
    ys[m] = np.where(on_broken, by, dy)
    cats[m] = np.where(
        on_broken,
        "trasig belysning",
        rng.choice(np.array(["mörkt", "mörkt", "mörkt", "otrygg passage"]), size=k),
    )
    m = kind == "rowdy"
    k = int(m.sum())
    spots = ["Stortorget", "Resecentrum", "Bredasten", "Handelsplats Mossle"]
    which = rng.integers(0, len(spots), k)
    rx = np.empty(k)
    ry = np.empty(k)
    for i, s in enumerate(spots):
        sel = which == i
        rx[sel], ry[sel] = _disc(rng, int(sel.sum()), PLACES[s], 120)
    xs[m], ys[m] = rx, ry
    cats[m] = "stökigt"
    m = kind == "speed"
    k = int(m.sum())
    xs[m], ys[m] = _along(rng, k, [s.line for s in speeding], jitter_m=12)
    cats[m] = "hög hastighet"
    m = kind == "other"
    k = int(m.sum())
    urban = [s.line for s in segs if s.line.centroid.distance(Point(0, 0)) < 2000]
    xs[m], ys[m] = _along(rng, k, urban, jitter_m=15)
    cats[m] = rng.choice(np.array(["nedskräpat", "skymd sikt", "stökigt", "otrygg passage"]), size=k)
    idx = rng.integers(0, len(days), n)
    lat, lon = proj.wgs(xs, ys)
    start = np.empty(n, dtype="datetime64[ns]")
    after_dusk = rng.uniform(10, 200, n)
    evening_h = rng.integers(17, 23, n)
    minutes = rng.integers(0, 60, n)
    for i in range(n):
        day = days[int(idx[i])]
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
    text = [
        RESIDENT_TEXT[str(c)][int(j) % len(RESIDENT_TEXT[str(c)])]
        for c, j in zip(cats, rng.integers(0, 3, n), strict=True)
    ]
    frame = pd.DataFrame(
        {
            "start": _fix_dst(start),
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


def _walks(rng: np.random.Generator, dark: dict[str, list[Segment]], proj: _Proj) -> pd.DataFrame:
    rows = []
    for year, day in (
        (2024, dt.date(2024, 10, 16)),
        (2025, dt.date(2025, 10, 15)),
        (2026, dt.date(2026, 10, 14)),
    ):
        n = 20
        on_dark = rng.random(n) < 0.7
        group = rng.choice(np.array(list(dark)), size=n)
        for i in range(n):
            if on_dark[i]:
                lines = [s.line for s in dark[str(group[i])]]
                (x,), (y,) = _along(rng, 1, lines, jitter_m=6)
                cat = (
                    "trasig belysning"
                    if group[i] == "broken_lamps"
                    else str(rng.choice(np.array(["mörkt", "mörkt", "skymd sikt", "otrygg passage"])))
                )
            else:
                place = ["Stortorget", "Resecentrum", "Stadsparken"][int(rng.integers(0, 3))]
                (x,), (y,) = _disc(rng, 1, PLACES[place], 150)
                cat = str(rng.choice(np.array(["otrygg passage", "nedskräpat", "skymd sikt"])))
            t = dt.datetime.combine(day, dt.time(18, 30)) + dt.timedelta(minutes=6 * i)
            rows.append(
                {
                    "walk": f"Trygghetsvandring {year}",
                    "start": np.datetime64(t, "ns"),
                    "ex": x,
                    "ny": y,
                    "category": cat,
                    "description": RESIDENT_TEXT[cat][i % len(RESIDENT_TEXT[cat])],
                }
            )
    frame = pd.DataFrame(rows)
    frame["lat"], frame["lon"] = proj.wgs(frame["ex"].to_numpy(), frame["ny"].to_numpy())
    frame.insert(0, "report_id", [f"V-{i + 1:03d}" for i in range(len(frame))])
    return frame


def _direction(line: LineString) -> tuple[str, str]:
    (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
    if abs(x1 - x0) >= abs(y1 - y0):
        return ("E", "W") if x1 >= x0 else ("W", "E")
    return ("N", "S") if y1 >= y0 else ("S", "N")


def _speeds(
    rng: np.random.Generator, segs: list[Segment], proj: _Proj
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict[str, Any]]]:
    hourly_share = np.array(
        [1, 0.6, 0.4, 0.4, 0.6, 1.5, 4, 7, 7, 5, 4.5, 5, 5.5, 5, 5, 6, 7.5, 8, 6, 4.5, 3.5, 2.5, 2, 1.5]
    )
    hourly_share = hourly_share / hourly_share.sum()
    rows = []
    info: list[dict[str, Any]] = []
    for key, piece, planted, up_day, up_night in SPEED_SITES:
        seg = [s for s in segs if s.street.key == key][piece]
        limit = float(seg.street.maxspeed_kmh or 0)
        mid = seg.line.interpolate(0.5, normalized=True)
        lat, lon = proj.wgs(np.array([mid.x]), np.array([mid.y]))
        dirs = _direction(seg.line)
        volume = DAILY_VOLUME[seg.street.highway]
        for d in range(7):
            day = SPEED_WEEK_START + dt.timedelta(days=d)
            weekend = day.weekday() >= 5
            for h in range(24):
                lam = volume * hourly_share[h] * (0.75 if weekend else 1.0)
                k = int(rng.poisson(lam))
                if k == 0:
                    continue
                night = h in NIGHT_HOURS
                mean = limit + (up_night if night else up_day)
                sd = 6.0 if night else 5.0
                v = np.round(np.clip(rng.normal(mean, sd, k), 5, None), 1)
                sec = np.sort(rng.integers(0, 3600, k))
                dirn = rng.integers(0, 2, k)
                t0 = np.datetime64(dt.datetime.combine(day, dt.time(h)), "s")
                for j in range(k):
                    rows.append(
                        (
                            t0 + np.timedelta64(int(sec[j]), "s"),
                            seg.segment_id,
                            dirs[int(dirn[j])],
                            float(v[j]),
                            float(lat[0]),
                            float(lon[0]),
                            night,
                            limit,
                        )
                    )
        info.append(
            {
                "segment_id": seg.segment_id,
                "street": seg.street.name,
                "planted": planted,
                "limit_kmh": int(limit),
                "lat": round(float(lat[0]), 6),
                "lon": round(float(lon[0]), 6),
            }
        )
    passes = pd.DataFrame(
        rows, columns=["measured_at", "segment_id", "direction", "speed_kmh", "lat", "lon", "night", "limit"]
    )
    passes = passes.sort_values(["measured_at", "segment_id"], kind="stable").reset_index(drop=True)
    for item in info:
        sub = passes[passes["segment_id"] == item["segment_id"]]
        for label, part in (("day", sub[~sub["night"]]), ("night", sub[sub["night"]]), ("all", sub)):
            item[f"passes_{label}"] = int(len(part))
            item[f"share_over_limit_{label}"] = round(float((part["speed_kmh"] > part["limit"]).mean()), 4)
            item[f"share_over_limit_10_{label}"] = round(
                float((part["speed_kmh"] > part["limit"] + 10).mean()), 4
            )
            item[f"p85_kmh_{label}"] = round(float(np.percentile(part["speed_kmh"], 85)), 1)
    hour = passes["measured_at"].dt.floor("h")
    g = passes.assign(hour_start=hour).groupby(["hour_start", "segment_id", "direction"], sort=True)[
        "speed_kmh"
    ]
    hourly = g.agg(
        count="count", mean_kmh="mean", p85_kmh=lambda s: float(np.percentile(s, 85))
    ).reset_index()
    hourly = hourly.merge(
        passes.drop_duplicates("segment_id")[["segment_id", "lat", "lon"]], on="segment_id", how="left"
    )
    return passes, hourly, info


def _active_windows(spec: HotspotSpec) -> list[dict[str, int]]:
    """Return the planted windows as (weekday the window starts, start hour, end hour exclusive, mod 24).

    A window from 22 to 3 on Friday runs into Saturday morning. The dusk hot-spot has none: its window moves
    with the season (``dusk_offset_min`` in the truth).
    """
    if spec.pattern == "dusk" or not spec.hours:
        return []
    days = (4, 5) if spec.pattern == "weekend_nights" else spec.weekdays
    start, end = spec.hours[0], (spec.hours[-1] + 1) % 24
    return [{"weekday": int(d), "start_hour": int(start), "end_hour": int(end)} for d in days]


def _point_truth(proj: _Proj, ex: float, ny: float) -> dict[str, float]:
    lat, lon = proj.wgs(np.array([ex]), np.array([ny]))
    x, y = proj.sweref(np.array([ex]), np.array([ny]))
    return {
        "lat": round(float(lat[0]), 6),
        "lon": round(float(lon[0]), 6),
        "x": round(float(x[0]), 1),
        "y": round(float(y[0]), 1),
    }


FEED_TYPES: dict[str, str] = {
    "misshandel": "Misshandel",
    "rån": "Rån",
    "inbrott": "Stöld/inbrott",
    "stöld": "Stöld",
    "skadegörelse": "Skadegörelse",
    "narkotikabrott": "Narkotikabrott",
    "ofredande": "Ofredande/förargelse",
    "trafikbrott": "Trafikbrott",
}
"""Police-feed event type for each offence category."""

FEED_GPS = {"Värnamo": "57.183161,14.047821", "Jönköpings län": "57.370843,14.343917"}
"""The points the Police feed gives for the municipality and the county (both inside Värnamo)."""


def _offset(t: pd.Timestamp) -> str:
    off = int(t.utcoffset().total_seconds() // 60)
    return f"{'+' if off >= 0 else '-'}{abs(off) // 60:02d}:{abs(off) % 60:02d}"


def _feed(
    rng: np.random.Generator, police: pd.DataFrame
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return a synthetic Police events feed (polisen.se JSON shape) and the rows its reader must reject.

    A few per cent of the police incidents are published, plus traffic accidents, two night summaries and one
    county-level event; the feed places them all at the municipality point, as the real feed does.
    """
    exact = police[police["end"].isna() & (police["bad"] == "")]
    chosen = exact[rng.random(len(exact)) < 0.04]
    events = [
        (t, FEED_TYPES[c], "Värnamo", f"{d}")
        for t, c, d in zip(chosen["start"], chosen["category"], chosen["description"], strict=True)
    ]
    days = _days()
    n_acc = 70
    acc_days = rng.integers(0, len(days), n_acc)
    acc_h = _background_hours(rng, n_acc)
    acc_m = rng.integers(0, 60, n_acc)
    acc_t = _fix_dst(_times(days, acc_days, acc_h, acc_m))
    kinds = ("Trafikolycka", "Trafikolycka, singel", "Trafikolycka, vilt", "Trafikolycka, personskada")
    for t, k in zip(acc_t, rng.integers(0, len(kinds), n_acc), strict=True):
        events.append((t, kinds[int(k)], "Värnamo", "Trafikolycka på väg i kommunen"))
    for t in (np.datetime64("2024-03-09T07:40"), np.datetime64("2025-09-13T07:35")):
        events.append(
            (t, "Sammanfattning natt", "Jönköpings län", "Ett urval av nattens händelser i polisområdet")
        )
    events.append(
        (np.datetime64("2025-01-18T16:05"), "Trafikolycka", "Jönköpings län", "Flera olyckor i länet")
    )
    events.sort(key=lambda e: (e[0], e[1]))
    delays = rng.integers(5, 120, len(events))
    out: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    months = MONTHS["sv"]
    for i, ((t, kind, place, text), delay) in enumerate(zip(events, delays, strict=True)):
        local = pd.Timestamp(t).tz_localize(TZ)
        published = local + pd.Timedelta(minutes=int(delay))
        name = f"{local.day} {months[local.month - 1]} {local:%H:%M}, {kind}, {place}"
        slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower())
        out.append(
            {
                "id": 900001 + i,
                "datetime": f"{published:%Y-%m-%d %H:%M:%S} {_offset(published)}",
                "name": name,
                "summary": f"{text} (syntetiska demodata)",
                "url": f"/aktuellt/handelser/demo/{slug}/",
                "type": kind,
                "location": {"name": place, "gps": FEED_GPS[place]},
            }
        )
        if place != "Värnamo":
            summary = kind.startswith("Sammanfattning")
            rejected.append(
                {
                    "file": "polisen_handelser.json",
                    "row": i + 1,
                    "field": "type" if summary else "location",
                    "reason": "summary, not an incident" if summary else "county point, not the area",
                    "status": "rejected",
                }
            )
    return out, rejected


def build_world(seed: int, *, noise: float = 1.0) -> World:
    """Build the demo world.

    Parameters
    ----------
    seed
        Seed of the random generator; the same seed gives the same world.
    noise
        Multiplier of the background incidents (1 = the committed demo; 0 = planted hot-spots only, and no
        planted bad rows).

    Returns
    -------
    world
        Every table and the planted truth.
    """
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    proj = _Proj()
    segs = segments()
    dark = _dark_segments(segs)
    broken_ids = {s.segment_id for s in dark["broken_lamps"]}
    lamps = _lamps(rng, segs, broken_ids)
    police, extra = _police(rng, segs, proj, noise=noise)
    passes, hourly, speed_info = _speeds(rng, segs, proj)
    speeding = [s for s in segs if s.segment_id in {i["segment_id"] for i in speed_info if i["planted"]}]
    residents = _residents(rng, segs, dark, speeding, proj)
    walks = _walks(rng, dark, proj)
    feed, feed_rejected = _feed(rng, police)

    # ---- truth ----
    years = np.select(
        [police["start"].dt.date >= YEAR_STARTS[2], police["start"].dt.date >= YEAR_STARTS[1]], [2, 1], 0
    )
    hs_truth = []
    for spec in HOTSPOTS:
        members = police[police["hotspot"] == spec.key]
        ex, ny = PLACES[spec.place]
        yearly = [int(((years == y) & (police["hotspot"] == spec.key)).sum()) for y in range(3)]
        hs_truth.append(
            {
                "id": spec.key,
                "name": spec.name,
                **_point_truth(proj, ex, ny),
                "radius_m": spec.radius_m,
                "n_reports": int(len(members)),
                "categories": {k: int(v) for k, v in members["category"].value_counts().sort_index().items()},
                "main_category": max(spec.categories, key=lambda c: spec.categories[c]),
                "pattern": spec.pattern,
                "weekdays": list(spec.weekdays),
                "hours": list(spec.hours),
                "months": list(spec.months),
                "peak_window": spec.window_label,
                "active_windows": _active_windows(spec),
                "in_window_share": spec.in_window,
                "at_dusk": spec.pattern == "dusk",
                "dusk_offset_min": [-15, 75] if spec.pattern == "dusk" else None,
                "trend": spec.trend,
                "emerging": spec.pattern == "emerging",
                "fading": spec.pattern == "fading",
                "yearly_counts": yearly,
                "windowed_reports": int(members["end"].notna().sum()),
                "address_repeats": (
                    {
                        "address": f"{spec.address[0]}, Värnamo",
                        **_point_truth(proj, *spec.address[1]),
                        "n_reports": int((members["precision"] == "address").sum()),
                    }
                    if spec.address
                    else None
                ),
                "member_ids": members["report_id"].tolist(),
            }
        )
    dark_truth = []
    for kind, group in dark.items():
        line = LineString([c for s in group for c in s.line.coords])
        mid = line.interpolate(0.5, normalized=True)
        in_group = set(s.segment_id for s in group)
        dark_truth.append(
            {
                "kind": kind,
                "name": group[0].street.name,
                "segment_ids": [s.segment_id for s in group],
                **_point_truth(proj, mid.x, mid.y),
                "length_m": round(sum(s.line.length for s in group), 1),
                "lamps": int(lamps["segment_id"].isin(in_group).sum()),
                "lamps_broken": int(
                    (lamps["segment_id"].isin(in_group) & (lamps["status"] == "broken")).sum()
                ),
                "resident_reports_within_30m": int(
                    sum(
                        1
                        for x, y in zip(residents["ex"], residents["ny"], strict=True)
                        if min(s.line.distance(Point(x, y)) for s in group) <= 30
                    )
                ),
            }
        )
    truth = {
        "data": DEMO_LABEL,
        "seed": seed,
        "noise": noise,
        "crs": "EPSG:3006",
        "tz": TZ,
        "centre": {
            "lat": CENTRE_LAT,
            "lon": CENTRE_LON,
            **{k: v for k, v in _point_truth(proj, 0, 0).items() if k in "xy"},
        },
        "area": {"municipality": "Värnamo", "code": "0683"},
        "period": {
            "start": PERIOD_START.isoformat(),
            "end": PERIOD_END.isoformat(),
            "years": [
                [
                    YEAR_STARTS[i].isoformat(),
                    (YEAR_STARTS[i + 1] - dt.timedelta(days=1)).isoformat()
                    if i < 2
                    else PERIOD_END.isoformat(),
                ]
                for i in range(3)
            ],
        },
        "hotspots": hs_truth,
        "dark_segments": dark_truth,
        "speed_week": [SPEED_WEEK_START.isoformat(), (SPEED_WEEK_START + dt.timedelta(days=6)).isoformat()],
        "speed_night_hours": list(NIGHT_HOURS),
        "speeding_segments": [i for i in speed_info if i["planted"]],
        "speed_controls": [i for i in speed_info if not i["planted"]],
        "planted_bad_rows": extra["bad_rows"],
        "feed_rejected_rows": feed_rejected,
        "counts": {
            "police": int(len(police)),
            "police_background": int(police["hotspot"].isna().sum()),
            "residents": int(len(residents)),
            "safety_walk": int(len(walks)),
            "lamps": int(len(lamps)),
            "segments": len(segs),
            "speed_passes": int(len(passes)),
            "speed_hours": int(len(hourly)),
            "polisen_feed": len(feed),
        },
    }
    return World(
        seed=seed,
        segments=segs,
        lamps=lamps,
        police=police,
        residents=residents,
        walks=walks,
        passes=passes,
        hourly=hourly,
        truth=truth,
        feed=feed,
    )
