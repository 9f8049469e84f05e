"""When a measure can act: ``dark``, a daily shift ``22-03``, or a shift on some days ``fre-lör 22-03``.

A report belongs to a shift on a day when the shift that *started* on that day covers it: with
``fre-lör 22-03`` a report on Saturday at 01:30 counts (Friday's shift), one on Monday at 01:30 does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.time.weeks import parse_shift

__all__ = ["Hours", "parse_hours"]

_DAYS = {
    "mån": 0,
    "man": 0,
    "mon": 0,
    "tis": 1,
    "tue": 1,
    "ons": 2,
    "wed": 2,
    "tor": 3,
    "thu": 3,
    "fre": 4,
    "fri": 4,
    "lör": 5,
    "lor": 5,
    "sat": 5,
    "sön": 6,
    "son": 6,
    "sun": 6,
}
_DARK = {"dark", "mörker", "mörkt", "morker"}


@dataclass(frozen=True)
class Hours:
    """A parsed ``hours`` value.

    Attributes
    ----------
    dark
        Only reports in darkness (``is_dark``).
    start_min, length_min
        The daily shift in local minutes after midnight (``None``: all day).
    days
        Weekdays (Monday = 0) the shift starts on.
    """

    dark: bool = False
    start_min: int | None = None
    length_min: int | None = None
    days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)

    @property
    def all_day(self) -> bool:
        """True when the value restricts nothing."""
        return not self.dark and self.start_min is None and len(self.days) == 7

    def mask(self, reports: pd.DataFrame) -> np.ndarray:
        """Return which rows of `reports` (``occurred_at``, ``is_dark``) fall in these hours."""
        keep = np.ones(len(reports), dtype=bool)
        if self.dark:
            keep &= reports["is_dark"].to_numpy(dtype=bool)
        if self.start_min is not None and self.length_min is not None:
            t = reports["occurred_at"]
            minute = (t.dt.hour * 60 + t.dt.minute).to_numpy()
            weekday = t.dt.day_of_week.to_numpy()
            offset = (minute - self.start_min) % 1440
            started = np.where(minute >= self.start_min, weekday, (weekday - 1) % 7)
            keep &= (offset < self.length_min) & np.isin(started, self.days)
        return keep


def _days(text: str) -> tuple[int, ...]:
    out: list[int] = []
    for part in text.split(","):
        ends = [p.strip()[:3] for p in part.split("-")]
        if not all(e in _DAYS for e in ends) or len(ends) > 2:
            raise ValueError(f"unknown day in '{text}' (use mån, tis, ons, tor, fre, lör, sön)")
        a, b = _DAYS[ends[0]], _DAYS[ends[-1]]
        out.extend((a + i) % 7 for i in range((b - a) % 7 + 1))
    return tuple(sorted(set(out)))


def parse_hours(text: str | None) -> Hours:
    """Parse an ``hours`` value: ``""``, ``dark``/``mörker``, ``22-03``, ``fre-lör 22-03``, ``dark 22-03``.

    Raises
    ------
    ValueError
        With what was expected.
    """
    words = str(text or "").strip().lower().split()
    dark = bool(words) and words[0] in _DARK
    words = words[1:] if dark else words
    if not words:
        return Hours(dark=dark)
    shift_text = words[-1]
    if not re.match(r"^\d", shift_text):
        raise ValueError(f"hours must look like dark, 22-03 or fre-lör 22-03, got '{text}'")
    shift = parse_shift(shift_text)
    days = _days(" ".join(words[:-1]).replace(" ", "")) if len(words) > 1 else (0, 1, 2, 3, 4, 5, 6)
    return Hours(dark=dark, start_min=shift.start_min, length_min=shift.length_min, days=days)
