"""When the demo world happens: three years in Stockholm time, and drawing days, hours and minutes in them.

Times are naive local datetimes (``datetime64[ns]``) until the writer formats them; :func:`fix_dst` moves the
few that fall into a daylight-saving gap or overlap.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

__all__ = [
    "DIURNAL",
    "PERIOD_END",
    "PERIOD_START",
    "TZ",
    "YEAR_STARTS",
    "background_hours",
    "days",
    "fix_dst",
    "hours_from",
    "pick",
    "pick_by_year",
    "times",
    "year_index",
]

TZ = "Europe/Stockholm"
"""Time zone of every demo time."""
PERIOD_START = dt.date(2023, 11, 1)
"""First day of the three demo years."""
PERIOD_END = dt.date(2026, 10, 31)
"""Last day (inclusive) of the three demo years."""
YEAR_STARTS = (dt.date(2023, 11, 1), dt.date(2024, 11, 1), dt.date(2025, 11, 1))
"""First day of each demo year."""

DIURNAL = np.array([3, 2, 2, 1, 1, 1, 2, 3, 4, 5, 5, 6, 6, 6, 6, 6, 7, 7, 7, 7, 6, 5, 4, 4], dtype=float)
"""Relative background incidents per local hour."""


def days() -> pd.DatetimeIndex:
    """Return every day of the demo period."""
    return pd.date_range(PERIOD_START, PERIOD_END, freq="D")


def year_index(day_index: pd.DatetimeIndex) -> np.ndarray:
    """Return the demo year (0, 1 or 2) of each day."""
    d = day_index.date
    return np.select([d >= YEAR_STARTS[2], d >= YEAR_STARTS[1]], [2, 1], 0)


def pick(rng: np.random.Generator, n: int, weights: np.ndarray) -> np.ndarray:
    """Pick `n` indices with probability proportional to `weights`."""
    w = np.asarray(weights, dtype=float)
    return rng.choice(len(w), size=n, p=w / w.sum())


def pick_by_year(rng: np.random.Generator, n: int, weights: np.ndarray, year: np.ndarray) -> np.ndarray:
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


def times(day_index: pd.DatetimeIndex, idx: np.ndarray, hours: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """Naive local datetimes: day + hours (may exceed 23, rolling into the next day) + minutes."""
    base = day_index.to_numpy()[idx]
    return base + hours.astype("timedelta64[h]") + minutes.astype("timedelta64[m]")


def fix_dst(t: np.ndarray) -> np.ndarray:
    """Move naive local times that do not exist or are ambiguous in Stockholm two hours on."""
    s = pd.Series(pd.to_datetime(t))
    ok = s.dt.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT").notna() | s.isna()
    s[~ok] = s[~ok] + pd.Timedelta(hours=2)
    return s.to_numpy(dtype="datetime64[ns]")


def hours_from(rng: np.random.Generator, n: int, hours: tuple[int, ...]) -> np.ndarray:
    """Draw `n` hours uniformly from `hours`."""
    return rng.choice(np.array(hours), size=n)


def background_hours(rng: np.random.Generator, n: int) -> np.ndarray:
    """Draw `n` hours of the day with the background's daily rhythm (:data:`DIURNAL`)."""
    return pick(rng, n, DIURNAL)
