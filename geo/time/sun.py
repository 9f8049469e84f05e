"""Darkness from the sun's real position: civil dawn and dusk at a place and date, dark or not per moment.

Pure functions: they take times and positions and return new values; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from astral import Observer
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


def dark_mask(times: pd.Series, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Tell, for each moment and place, whether it was dark (sun below civil twilight).

    Dawn and dusk are looked up once per local date and 0.25° cell (a minute of sun time at most), so a
    million reports cost a few thousand sun computations.

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
    for (day, la, lo), idx in keys.groupby(["day", "lat", "lon"], sort=False).indices.items():
        rows = keys.index.to_numpy()[idx]
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
