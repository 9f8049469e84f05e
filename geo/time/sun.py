"""Darkness from the sun's real position: civil dawn and dusk at a place and date, dark or not per moment.

Pure functions: they take times and positions and return new values; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from astral import Observer, refraction_at_zenith
from astral.sun import dawn, dusk, elevation

__all__ = ["CIVIL_TWILIGHT_DEG", "dark_mask", "sun_window"]

CIVIL_TWILIGHT_DEG = 6.0
"""Depression of the sun below the horizon (degrees) at which it counts as dark (civil twilight)."""

_GRID_DEG = 0.25
"""Positions are grouped to this many degrees when looking up dawn and dusk (about 1 minute of sun time)."""


def sun_window(
    lat: float, lon: float, day: dt.date, tz: str
) -> tuple[pd.Timestamp | None, pd.Timestamp | None, str]:
    """Return civil dawn and dusk at a place on a local date.

    Parameters
    ----------
    lat, lon
        Position in degrees (WGS84).
    day
        Local calendar date.
    tz
        IANA zone of the local date.

    Returns
    -------
    dawn, dusk, kind
        ``kind`` is ``"normal"`` (dark before dawn and after dusk), ``"never_dark"`` (midsummer far north)
        or ``"always_dark"`` (polar night); dawn and dusk are ``None`` unless ``kind`` is ``"normal"``.
    """
    obs = Observer(latitude=lat, longitude=lon)
    try:
        d0 = dawn(obs, date=day, tzinfo=tz, depression=CIVIL_TWILIGHT_DEG)
        d1 = dusk(obs, date=day, tzinfo=tz, depression=CIVIL_TWILIGHT_DEG)
    except ValueError:
        noon = pd.Timestamp(dt.datetime.combine(day, dt.time(12)), tz=tz).to_pydatetime()
        up = elevation(obs, noon) > -CIVIL_TWILIGHT_DEG
        return None, None, "never_dark" if up else "always_dark"
    return pd.Timestamp(d0), pd.Timestamp(d1), "normal"


_EXACT_NS = 1_000_000
"""Moments this close (1 ms) to a dawn or dusk computed in arrays are decided by astral itself."""


def _transit_ns(
    lat: np.ndarray, lon: np.ndarray, jd: np.ndarray, days_ns: np.ndarray, *, rising: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Return when the sun crosses civil twilight (UTC ns): astral's ``time_of_transit`` in arrays.

    The same formulas and steps as :func:`astral.sun.time_of_transit` (observer at sea level, refraction
    included), for many places and dates at once: a float copy (NaN where the sun never reaches the
    depression) and the exact nanoseconds (0 there).
    """
    zenith = 90.0 + CIVIL_TWILIGHT_DEG
    zenith_rad = np.radians(zenith + float(refraction_at_zenith(zenith)))
    latitude = np.radians(np.clip(lat, -89.8, 89.8))
    adjustment = np.zeros(len(lat))
    time_utc = np.zeros(len(lat))
    for _ in range(2):
        jc = (jd + adjustment - 2451545.0) / 36525.0
        l0 = (280.46646 + jc * (36000.76983 + 0.0003032 * jc)) % 360.0
        m = 357.52911 + jc * (35999.05029 - 0.0001537 * jc)
        e = 0.016708634 - jc * (0.000042037 + 0.0000001267 * jc)
        mrad = np.radians(m)
        c = (
            np.sin(mrad) * (1.914602 - jc * (0.004817 + 0.000014 * jc))
            + np.sin(mrad + mrad) * (0.019993 - 0.000101 * jc)
            + np.sin(mrad + mrad + mrad) * 0.000289
        )
        omega = 125.04 - 1934.136 * jc
        apparent = l0 + c - 0.00569 - 0.00478 * np.sin(np.radians(omega))
        seconds = 21.448 - jc * (46.815 + jc * (0.00059 - jc * 0.001813))
        obliquity = 23.0 + (26.0 + (seconds / 60.0)) / 60.0 + 0.00256 * np.cos(np.radians(omega))
        declination = np.arcsin(np.sin(np.radians(obliquity)) * np.sin(np.radians(apparent)))
        with np.errstate(invalid="ignore"):
            h = np.arccos(
                (np.cos(zenith_rad) - np.sin(latitude) * np.sin(declination))
                / (np.cos(latitude) * np.cos(declination))
            )
        hour_angle = h if rising else -h
        y = np.tan(np.radians(obliquity) / 2.0) ** 2
        eqtime = 4.0 * np.degrees(
            y * np.sin(2.0 * np.radians(l0))
            - 2.0 * e * np.sin(mrad)
            + 4.0 * e * y * np.sin(mrad) * np.cos(2.0 * np.radians(l0))
            - 0.5 * y * y * np.sin(4.0 * np.radians(l0))
            - 1.25 * e * e * np.sin(2.0 * mrad)
        )
        offset = (-lon - np.degrees(hour_angle)) * 4.0 - eqtime
        offset = np.where(offset < -720.0, offset + 1440, offset)
        time_utc = 720.0 + offset
        adjustment = time_utc / 1440.0
    days = np.trunc(time_utc / 1440)  # astral's minutes_to_timedelta: whole days, seconds, microseconds
    rest = (time_utc - days * 1440) * 60
    whole = np.trunc(rest)
    micro = np.trunc((rest - whole) * 1_000_000)
    micros = (days * 86400 + whole) * 1_000_000 + micro  # whole numbers, exact in float64
    finite = np.isfinite(micros)
    ns = days_ns + np.where(finite, micros, 0).astype("int64") * 1000
    return np.where(finite, ns.astype("float64"), np.nan), ns


def _windows(uniques: pd.DataFrame, tz: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return dawn and dusk (UTC ns) per (day, lat, lon) row, and where they are astral's own for sure.

    Not sure (left to astral): where the sun never reaches the depression, and where the crossing falls on
    another local date than asked (astral then searches the next or previous day).
    """
    day = pd.to_datetime(pd.Series(uniques["day"].to_numpy()))
    day_ns = day.to_numpy(dtype="datetime64[ns]").astype("int64")
    y = day.dt.year.to_numpy() - (day.dt.month.to_numpy() <= 2)
    mo = day.dt.month.to_numpy() + 12 * (day.dt.month.to_numpy() <= 2)
    a = np.trunc(y / 100)
    jd = (
        np.trunc(365.25 * (y + 4716))
        + np.trunc(30.6001 * (mo + 1))
        + day.dt.day.to_numpy()
        + (2 - a + np.trunc(a / 4))
        - 1524.5
    )
    la, lo = uniques["lat"].to_numpy(float), uniques["lon"].to_numpy(float)
    f0, d0 = _transit_ns(la, lo, jd, day_ns, rising=True)
    f1, d1 = _transit_ns(la, lo, jd, day_ns, rising=False)
    sure = np.isfinite(f0) & np.isfinite(f1)
    for d in (d0, d1):
        local = pd.to_datetime(np.where(sure, d, 0), utc=True).tz_convert(tz)
        sure &= local.normalize().tz_localize(None).to_numpy(dtype="datetime64[ns]").astype("int64") == day_ns
    return np.where(sure, d0, 0), np.where(sure, d1, 0), sure


def dark_mask(times: pd.Series, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Tell, for each moment and place, whether it was dark (sun below civil twilight).

    Dawn and dusk are looked up once per local date and 0.25° cell (a minute of sun time at most), so a
    million reports cost a few thousand sun computations; they are computed for all cells and dates at once
    with astral's own formulas in arrays, and astral itself decides where that could differ (polar days and
    nights, a crossing on another date, a moment within a millisecond of dawn or dusk).

    Parameters
    ----------
    times
        Timezone-aware local times.
    lat, lon
        Positions in degrees, aligned with `times`.

    Returns
    -------
    is_dark
        Boolean array; False where the time is missing.
    """
    n = len(times)
    out = np.zeros(n, dtype=bool)
    if n == 0:
        return out
    tz = str(times.dt.tz)
    valid = times.notna().to_numpy()
    days = times.dt.date.to_numpy()
    glat = np.round(np.asarray(lat, dtype=float) / _GRID_DEG) * _GRID_DEG
    glon = np.round(np.asarray(lon, dtype=float) / _GRID_DEG) * _GRID_DEG
    keys = pd.DataFrame({"day": days, "lat": glat, "lon": glon})[valid]
    instants = (
        times.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").astype("int64")
    )
    rows_all = keys.index.to_numpy()
    codes = keys.groupby(["day", "lat", "lon"], sort=False, dropna=False).ngroup().to_numpy()
    u = keys.drop_duplicates().reset_index(drop=True)  # in the order ngroup numbers them: first seen
    w0, w1, sure = _windows(u, tz)
    t_all = instants[rows_all]
    r0, r1 = w0[codes], w1[codes]
    near = (np.abs(t_all - r0) < _EXACT_NS) | (np.abs(t_all - r1) < _EXACT_NS)
    sure[np.unique(codes[near])] = False  # a moment at the edge: astral decides
    fast = sure[codes]
    rows, t = rows_all[fast], t_all[fast]
    r0, r1 = r0[fast], r1[fast]
    out[rows] = np.where(r1 >= r0, (t < r0) | (t >= r1), (t >= r1) & (t < r0))
    slow = pd.DataFrame({"code": codes[~fast]}, index=keys.index[~fast])
    for code, idx in slow.groupby("code", sort=False).indices.items():
        rows = slow.index.to_numpy()[idx]
        day, la, lo = u.iloc[int(code)]
        d0, d1, kind = sun_window(float(la), float(lo), day, tz)
        if kind == "always_dark":
            out[rows] = True
        elif kind == "normal" and d0 is not None and d1 is not None:
            t = instants[rows]
            if d1.value >= d0.value:
                out[rows] = (t < d0.value) | (t >= d1.value)
            else:
                # near midsummer far north the evening's dusk falls after midnight: on this date the dusk
                # astral gives belongs to the evening before, and it is dark only between it and dawn
                out[rows] = (t >= d1.value) & (t < d0.value)
    return out
