"""The planted hot-spots: where, how big, which offences and which time signature, and their incidents.

Each :class:`HotspotSpec` has a time pattern; :func:`hotspot_incidents` draws its reports. Most patterns pick
days and hours (a share ``1 - in_window`` of them at any time, as the background); the winter-night burglaries
(known as a time window) and the dusk drug dealing (moving with sunset) draw whole times themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.demo.network import PLACES
from geo.demo.period import TZ, background_hours, fix_dst, hours_from, pick, pick_by_year, times, year_index
from geo.demo.places import Proj, disc
from geo.time.sun import sun_window

__all__ = ["HOTSPOTS", "HotspotSpec", "active_windows", "hotspot_incidents", "incident_frame"]


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

_FADING_YEARS = np.array([1.0, 0.42, 0.12])
"""Weight of each demo year for the fading hot-spot."""


def active_windows(spec: HotspotSpec) -> list[dict[str, int]]:
    """Return the planted windows as (weekday the window starts, start hour, end hour exclusive, mod 24).

    A window from 22 to 3 on Friday runs into Saturday morning. The dusk hot-spot has none: its window moves
    with the season (``dusk_offset_min`` in the truth).
    """
    if spec.pattern == "dusk" or not spec.hours:
        return []
    weekdays = (4, 5) if spec.pattern == "weekend_nights" else spec.weekdays
    start, end = spec.hours[0], (spec.hours[-1] + 1) % 24
    return [{"weekday": int(d), "start_hour": int(start), "end_hour": int(end)} for d in weekdays]


def incident_frame(
    start: np.ndarray,
    end: np.ndarray,
    xs: np.ndarray,
    ys: np.ndarray,
    cats: np.ndarray,
    precision: np.ndarray,
    address: np.ndarray,
    key: str | None,
) -> pd.DataFrame:
    """Return incidents as a frame (times moved out of daylight-saving gaps); `key` names the hot-spot."""
    return pd.DataFrame(
        {
            "start": fix_dst(start),
            "end": fix_dst(end),
            "ex": xs,
            "ny": ys,
            "category": cats,
            "precision": precision,
            "address": address,
            "hotspot": key,
        }
    )


@dataclass
class _Draw:
    """What every time pattern starts from: the positions, offences and calendar of one hot-spot's reports."""

    spec: HotspotSpec
    days: pd.DatetimeIndex
    xs: np.ndarray
    ys: np.ndarray
    cats: np.ndarray
    precision: np.ndarray
    address: np.ndarray
    in_win: np.ndarray
    end: np.ndarray
    minutes: np.ndarray

    @property
    def n(self) -> int:
        return self.spec.n

    @property
    def weekday(self) -> np.ndarray:
        return self.days.day_of_week.to_numpy()

    @property
    def month(self) -> np.ndarray:
        return self.days.month.to_numpy()

    @property
    def year(self) -> np.ndarray:
        return year_index(self.days)

    def frame(self, start: np.ndarray, end: np.ndarray) -> pd.DataFrame:
        return incident_frame(
            start, end, self.xs, self.ys, self.cats, self.precision, self.address, self.spec.key
        )


def _draw(rng: np.random.Generator, spec: HotspotSpec, days: pd.DatetimeIndex) -> _Draw:
    """Draw positions (some at the repeated address), offences, in-window flags and minutes."""
    n = spec.n
    xs, ys = disc(rng, n, PLACES[spec.place], spec.radius_m)
    precision = np.array(["exact"] * n, dtype=object)
    address = np.array([None] * n, dtype=object)
    if spec.address is not None:
        text, axy, share = spec.address
        at = rng.random(n) < share
        xs[at], ys[at] = axy
        precision[at] = "address"
        address[at] = text
    cats = rng.choice(np.array(list(spec.categories)), size=n, p=np.array(list(spec.categories.values())))
    in_win = rng.random(n) < spec.in_window
    end = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    minutes = rng.integers(0, 60, n)
    return _Draw(spec, days, xs, ys, cats, precision, address, in_win, end, minutes)


# ------------------------------------------------------------------ patterns that pick days and hours
DayHours = tuple[np.ndarray, np.ndarray]


def _weekend_nights(rng: np.random.Generator, d: _Draw) -> DayHours:
    w = np.isin(d.weekday, (4, 5)).astype(float)
    idx = pick_by_year(rng, d.n, w, d.year)
    h = rng.choice(np.array([22, 23, 24, 25, 26]), size=d.n, p=np.array([2, 3, 3, 2, 1]) / 11)
    return idx, h


def _evenings(rng: np.random.Generator, d: _Draw) -> DayHours:
    w = np.where(np.isin(d.weekday, (4, 5)), 1.3, 1.0)
    idx = pick_by_year(rng, d.n, w, d.year)
    return idx, hours_from(rng, d.n, d.spec.hours)


def _school(rng: np.random.Generator, d: _Draw) -> DayHours:
    month, day = d.month, d.days.day.to_numpy()
    holiday = (
        (month == 7)
        | ((month == 6) & (day > 15))
        | ((month == 8) & (day < 18))
        | ((month == 12) & (day > 21))
        | ((month == 1) & (day < 8))
    )
    w = (d.weekday < 5).astype(float) * ~holiday
    idx = pick_by_year(rng, d.n, w, d.year)
    return idx, hours_from(rng, d.n, d.spec.hours)


def _emerging(rng: np.random.Generator, d: _Draw) -> DayHours:
    year = d.year
    ramp = np.where(year == 2, 0.3 + 0.7 * np.linspace(0, 1, len(d.days)) ** 0.5, 0.0)
    w = ramp * np.isin(d.weekday, d.spec.weekdays)
    idx = pick(rng, d.n, w)
    h = hours_from(rng, d.n, d.spec.hours)
    d.in_win[:] = True
    return idx, h


def _fading(rng: np.random.Generator, d: _Draw) -> DayHours:
    idx = pick(rng, d.n, _FADING_YEARS[d.year])
    h = rng.choice(np.array([20, 21, 22, 23, 24]), size=d.n)
    return idx, h


_DAY_HOURS: dict[str, Callable[[np.random.Generator, _Draw], DayHours]] = {
    "weekend_nights": _weekend_nights,
    "evenings": _evenings,
    "school": _school,
    "emerging": _emerging,
    "fading": _fading,
}


def _off_window(rng: np.random.Generator, d: _Draw, idx: np.ndarray, h: np.ndarray) -> DayHours:
    """Move the off-window share to any day, at the background's hours."""
    off = ~d.in_win
    if not off.any():
        return idx, h
    idx = idx.copy()
    if d.spec.pattern == "fading":
        idx[off] = pick(rng, int(off.sum()), _FADING_YEARS[d.year])
    else:
        idx[off] = pick_by_year(rng, int(off.sum()), np.ones(len(d.days)), d.year)
    h = h.copy()
    h[off] = background_hours(rng, int(off.sum()))
    return idx, h


# ------------------------------------------------------------------ patterns that draw whole times
def _winter_nights(rng: np.random.Generator, d: _Draw, proj: Proj) -> pd.DataFrame:
    """Burglaries on winter nights, most known only as the window between closing and opening time."""
    n, wd = d.n, d.weekday
    w = np.where(np.isin(d.month, d.spec.months), 1.0, 0.06)
    idx = pick_by_year(rng, n, w, d.year)
    h = rng.choice(np.array([22, 23, 24, 25, 26, 27, 28]), size=n)
    windowed = rng.random(n) < 0.7
    # found in the morning: from closing time the evening before, to opening time (Monday after a weekend)
    start_h = rng.integers(16, 20, n)
    start_m = rng.integers(0, 60, n)
    end_days = np.where(wd[idx] == 4, 3, 1)
    end_h = rng.integers(6, 8, n)
    end_m = rng.integers(0, 60, n)
    base = d.days.to_numpy()[idx]
    s_win = base + start_h.astype("timedelta64[h]") + start_m.astype("timedelta64[m]")
    e_win = base + (end_days * 24 + end_h).astype("timedelta64[h]") + end_m.astype("timedelta64[m]")
    start = times(d.days, idx, h, d.minutes)
    start[windowed] = s_win[windowed]
    end = d.end
    end[windowed] = e_win[windowed]
    # the months outside winter get a small weight above instead of a separate off-window share
    frame = d.frame(start, end)
    frame["in_window"] = True
    return frame


def _dusk(rng: np.random.Generator, d: _Draw, proj: Proj) -> pd.DataFrame:
    """Drug dealing in the park from a quarter of an hour before to 75 minutes after the day's dusk."""
    n = d.n
    idx = pick_by_year(rng, n, np.ones(len(d.days)), d.year)
    centre = PLACES[d.spec.place]
    lat, lon = proj.wgs(np.array([centre[0]]), np.array([centre[1]]))
    offsets = rng.uniform(-15, 75, n)
    start = np.empty(n, dtype="datetime64[ns]")
    cache: dict[int, np.datetime64] = {}
    for i in range(n):
        j = int(idx[i])
        if j not in cache:
            _, dusk, _ = sun_window(float(lat[0]), float(lon[0]), d.days[j].date(), TZ)
            if dusk is None:  # never at Värnamo's latitude
                raise ValueError(f"no dusk at the park on {d.days[j].date()}")
            cache[j] = np.datetime64(dusk.tz_localize(None).floor("min").to_datetime64(), "ns")
        start[i] = cache[j] + np.timedelta64(int(round(offsets[i])), "m")
    frame = d.frame(start, d.end)
    frame["in_window"] = True
    return frame


_WHOLE_TIMES: dict[str, Callable[[np.random.Generator, _Draw, Proj], pd.DataFrame]] = {
    "winter_nights": _winter_nights,
    "dusk": _dusk,
}


def hotspot_incidents(
    rng: np.random.Generator, spec: HotspotSpec, days: pd.DatetimeIndex, proj: Proj
) -> pd.DataFrame:
    """Draw the reports of one planted hot-spot over `days` (column ``in_window``: inside its signature)."""
    d = _draw(rng, spec, days)
    if spec.pattern in _WHOLE_TIMES:
        return _WHOLE_TIMES[spec.pattern](rng, d, proj)
    if spec.pattern not in _DAY_HOURS:
        raise ValueError(f"unknown time pattern '{spec.pattern}' of hot-spot '{spec.key}'")
    idx, h = _DAY_HOURS[spec.pattern](rng, d)
    idx, h = _off_window(rng, d, idx, h)
    frame = d.frame(times(days, idx, h, d.minutes), d.end)
    frame["in_window"] = d.in_win
    return frame
