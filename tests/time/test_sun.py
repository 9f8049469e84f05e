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
