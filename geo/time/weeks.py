"""Shifts and ISO weeks in local wall-clock time: parsing, week starts and the minutes that do not exist.

A :class:`Shift` is a daily span of local wall-clock time (``"23-07"`` passes midnight). A planning week is an
ISO week ``YYYY-Www``; its minutes are counted from local midnight of its Monday. On the night the clocks
change, a wall-clock time keeps its meaning: a time in the hour skipped in spring moves forward to the hour
after (:func:`local_time`), and :func:`skipped_minutes` marks those minutes so a plan can avoid them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "MIN_PER_WEEK",
    "Shift",
    "local_time",
    "next_iso_week",
    "parse_shift",
    "parse_week",
    "skipped_minutes",
    "week_start",
    "week_windows",
]

MIN_PER_WEEK = 7 * 24 * 60
"""Minutes in a week."""

_SHIFT_RE = re.compile(r"^\s*(\d{1,2})(?::?(\d{2}))?\s*[-–]\s*(\d{1,2})(?::?(\d{2}))?\s*$")
_WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Shift:
    """A daily shift in local wall-clock time.

    Attributes
    ----------
    start_min
        Minutes after local midnight the shift starts.
    length_min
        Length in minutes (a shift from 23 to 07 is 480 minutes and ends the next day).
    """

    start_min: int
    length_min: int

    @property
    def label(self) -> str:
        """``"23:00–07:00"``."""
        end = (self.start_min + self.length_min) % 1440
        return f"{self.start_min // 60:02d}:{self.start_min % 60:02d}–{end // 60:02d}:{end % 60:02d}"


def parse_shift(text: str) -> Shift:
    """Parse a shift like ``"15-23"``, ``"23-07"`` (past midnight) or ``"07:30-16:00"``.

    Parameters
    ----------
    text
        ``HH-HH`` or ``HH:MM-HH:MM``; an end at or before the start means the next day; ``"00-24"`` and
        ``"07-07"`` are 24 hours.

    Raises
    ------
    ValueError
        If the text is not a shift.
    """
    m = _SHIFT_RE.match(str(text))
    if not m:
        raise ValueError(f"shift must look like 15-23 or 07:30-16:00, got '{text}'")
    h0, m0, h1, m1 = int(m.group(1)), int(m.group(2) or 0), int(m.group(3)), int(m.group(4) or 0)
    if h0 > 23 or h1 > 24 or m0 > 59 or m1 > 59 or (h1 == 24 and m1):
        raise ValueError(f"shift '{text}' has an hour or minute out of range")
    start, end = h0 * 60 + m0, h1 * 60 + m1
    length = (end - start) % 1440 or 1440
    return Shift(start, length)


def parse_week(text: str) -> dt.date:
    """Return the Monday of an ISO week given as ``YYYY-Www`` (``2026-W45``).

    Raises
    ------
    ValueError
        If the text is not an ISO week or the week does not exist in that year.
    """
    m = _WEEK_RE.match(str(text))
    if not m:
        raise ValueError(f"week must be an ISO week like 2026-W45, got '{text}'")
    year, week = int(m.group(1)), int(m.group(2))
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError as err:
        raise ValueError(f"week {year}-W{week:02d} does not exist") from err


def next_iso_week(today: dt.date) -> str:
    """Return the ISO week after the one holding `today`, as ``YYYY-Www``."""
    y, w, _ = (today + dt.timedelta(days=7)).isocalendar()
    return f"{y}-W{w:02d}"


def week_start(week: str, tz: str) -> pd.Timestamp:
    """Return local midnight of the Monday of ISO week `week` (``YYYY-Www``) in zone `tz`."""
    return pd.Timestamp(parse_week(week)).tz_localize(tz)


def week_windows(t_week: np.ndarray, length_min: int) -> np.ndarray:
    """Return the minute-of-week indices (n × `length_min`) of windows starting at minutes `t_week`.

    Windows that run past the end of the week wrap to its start (Sunday night into Monday morning).
    """
    return (np.asarray(t_week)[:, None] + np.arange(length_min)[None, :]) % MIN_PER_WEEK


def local_time(day: dt.date, minute: int, tz: str) -> pd.Timestamp:
    """Return the local time `minute` wall-clock minutes after midnight of `day` in zone `tz`.

    A wall-clock time that occurs twice (autumn) is the first (summer time); one that does not exist
    (spring) moves forward to the first time that does.
    """
    naive = pd.Timestamp(day) + pd.Timedelta(minutes=int(minute))
    return naive.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")


def skipped_minutes(monday: dt.date, tz: str) -> np.ndarray:
    """Mark the wall-clock minutes of the week from `monday` and two days after that do not exist in `tz`.

    Returns
    -------
    skipped
        Booleans, one per wall-clock minute from local midnight of `monday` (9 days), true in the hour the
        clocks skip in spring.
    """
    hours = pd.Series(pd.Timestamp(monday) + pd.to_timedelta(np.arange(9 * 24), unit="h"))
    local = hours.dt.tz_localize(tz, ambiguous=np.ones(len(hours), dtype=bool), nonexistent="NaT")
    return np.repeat(local.isna().to_numpy(), 60)
