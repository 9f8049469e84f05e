"""Darkness from the sun's real position: civil dawn and dusk, dark or not per moment."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from geo.time.sun import dark_mask, sun_window

TZ = "Europe/Stockholm"


def test_sun_window_normal_polar_and_midnight_sun() -> None:
    dawn, dusk, kind = sun_window(57.18, 14.05, dt.date(2024, 12, 16), TZ)
    assert kind == "normal" and dawn is not None and dusk is not None
    assert dawn.hour in (7, 8) and dusk.hour == 16
    assert sun_window(68.35, 18.83, dt.date(2024, 6, 21), TZ)[2] == "never_dark"  # Abisko, midsummer
    assert sun_window(68.35, 18.83, dt.date(2024, 12, 21), TZ)[2] in {"always_dark", "normal"}


def test_dark_mask_per_moment_and_place() -> None:
    times = pd.Series(pd.to_datetime(["2024-12-16 16:30", "2024-06-21 22:30", "2024-06-21 01:30", None]))
    times = times.dt.tz_localize(TZ)
    lat = np.full(4, 57.1832)
    lon = np.full(4, 14.0478)
    assert list(dark_mask(times, lat, lon)) == [True, False, True, False]
    assert dark_mask(times.iloc[:0], lat[:0], lon[:0]).size == 0


def _dark_by_astral(times: pd.Series, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """The reference: astral's dawn and dusk for every report's date and 0.25° cell, one at a time."""
    out = np.zeros(len(times), dtype=bool)
    tz = str(times.dt.tz)
    for i, (t, la, lo) in enumerate(zip(times, lat, lon, strict=True)):
        if pd.isna(t):
            continue
        cell = (round(la / 0.25) * 0.25, round(lo / 0.25) * 0.25)
        d0, d1, kind = sun_window(cell[0], cell[1], t.date(), tz)
        if kind == "always_dark":
            out[i] = True
        elif kind == "normal" and d0 is not None and d1 is not None:
            v = t.value
            out[i] = (v < d0.value or v >= d1.value) if d1 >= d0 else (d1.value <= v < d0.value)
    return out


def test_dark_mask_in_arrays_is_astrals_answer_everywhere_and_at_the_edges() -> None:
    rng = np.random.default_rng(7)
    n = 4000
    lat, lon = rng.uniform(55.0, 69.5, n), rng.uniform(10.5, 24.5, n)
    start = pd.Timestamp("2024-01-01", tz=TZ)
    times = pd.Series(start + pd.to_timedelta(rng.integers(0, 2 * 365 * 86400, n), unit="s"))
    # a quarter of them at a dawn or dusk of their own cell, to the microsecond and just around it
    for i in range(0, n, 4):
        cell = (round(lat[i] / 0.25) * 0.25, round(lon[i] / 0.25) * 0.25)
        d0, d1, kind = sun_window(cell[0], cell[1], times[i].date(), TZ)
        if kind == "normal" and d0 is not None and d1 is not None:
            edge = (d0, d1)[i % 8 // 4] + pd.Timedelta(microseconds=int(rng.integers(-2, 3)))
            times[i] = edge.tz_convert(TZ)
    times[5] = pd.NaT
    np.testing.assert_array_equal(dark_mask(times, lat, lon), _dark_by_astral(times, lat, lon))


def test_dawn_and_dusk_in_arrays_equal_astrals_to_the_nanosecond() -> None:
    from geo.time.sun import _windows

    rng = np.random.default_rng(3)
    n = 600
    days = pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 731, n), unit="D")).dt.date
    cells = pd.DataFrame(
        {
            "day": days,
            "lat": np.round(rng.uniform(55, 69.5, n) * 4) / 4,
            "lon": np.round(rng.uniform(10, 24.5, n) * 4) / 4,
        }
    )
    d0, d1, sure = _windows(cells, TZ)
    assert 0.5 * n < sure.sum() < n  # most are computed in arrays; polar days and nights are left to astral
    for i in np.flatnonzero(sure):
        dawn, dusk, kind = sun_window(cells["lat"][i], cells["lon"][i], cells["day"][i], TZ)
        assert kind == "normal" and dawn is not None and dusk is not None
        assert (dawn.value, dusk.value) == (d0[i], d1[i])
