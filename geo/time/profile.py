"""Time of week and of day: hour-of-week bins, the report model's time parts, aoristic profiles, peak windows.

**Time-of-week bins.** 168 bins, index ``weekday * 24 + hour`` (Monday 00–01 first) in local wall-clock time:
:func:`hour_of_week`, :func:`minute_of_week`. The report model's ``hour``/``weekday``/``iso_*``/``month`` and
``is_dark`` columns come from :func:`add_time_parts`.

**Profiles.** :func:`hour_week_profile`: a report known to the minute adds 1 to its bin; one known only
within a window (``occurred_to`` set, e.g. a burglary found in the morning) is spread *aoristically*: each bin
receives the share of the window's minutes in it, so the profile sums to the number of reports.

**Peak windows.** :func:`peak_window_list` finds the busiest hours of the day and the days they belong to;
:func:`peak_windows` says them in Swedish (``"fre–lör 22–03"``) or English (``"Fri–Sat 22–03"``). A window
that passes midnight belongs to the day it starts on: ``fre 22–03`` is Friday night into Saturday.

``is_dark`` comes from the sun's real position (:mod:`geo.time.sun`).

Pure functions; nothing here reads the clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.texts import WEEKDAYS_SHORT
from geo.time.sun import dark_mask

__all__ = [
    "DAY_NAMES",
    "HOURS_PER_WEEK",
    "PeakWindow",
    "add_time_parts",
    "format_window",
    "hour_of_week",
    "hour_week_profile",
    "minute_of_week",
    "peak_window_list",
    "peak_windows",
]

HOURS_PER_WEEK = 168
_MIN_PER_WEEK = 7 * 24 * 60

DAY_NAMES = WEEKDAYS_SHORT
"""Short weekday names, Monday first."""

_EVERY_DAY = {"sv": "alla dagar", "en": "every day"}
_NO_PEAK = {"sv": "ingen tydlig topp", "en": "no clear peak"}


def hour_of_week(times: pd.Series) -> np.ndarray:
    """Local hour-of-week bin (``weekday * 24 + hour``, Monday 00–01 = 0) of timezone-aware times."""
    return times.dt.day_of_week.to_numpy(dtype="int64") * 24 + times.dt.hour.to_numpy(dtype="int64")


def minute_of_week(times: pd.Series) -> np.ndarray:
    """Local minute of the week (Monday 00:00 = 0) of timezone-aware times (wall clock)."""
    return hour_of_week(times) * 60 + times.dt.minute.to_numpy(dtype="int64")


def _covered(t: np.ndarray, bins: np.ndarray) -> np.ndarray:
    """Minutes of each hour-of-week bin lying in ``[0, t)`` on the unrolled time axis (``t`` in minutes)."""
    t = t[:, None]
    whole, rest = np.divmod(t, _MIN_PER_WEEK)
    return whole * 60.0 + np.clip(rest - bins[None, :] * 60.0, 0.0, 60.0)


def hour_week_profile(reports: pd.DataFrame, *, chunk: int = 20_000) -> np.ndarray:
    """Count reports per local hour of the week, spreading windows aoristically.

    Parameters
    ----------
    reports
        Reports (the model's ``occurred_at`` and, when present, ``occurred_to``; timezone-aware local
        times). Only these columns are read.
    chunk
        Windows handled per vectorised step (memory: ``chunk × 168`` floats).

    Returns
    -------
    profile
        Float array of 168 bins, index ``weekday * 24 + hour``; sums to ``len(reports)``.
    """
    out = np.zeros(HOURS_PER_WEEK, dtype="float64")
    if len(reports) == 0:
        return out
    start = reports["occurred_at"]
    if "occurred_to" in reports.columns:
        end = reports["occurred_to"]
        has_window = (end.notna() & (end > start)).to_numpy()
    else:
        end = None
        has_window = np.zeros(len(reports), dtype=bool)
    if (~has_window).any():
        out += np.bincount(hour_of_week(start[~has_window]), minlength=HOURS_PER_WEEK).astype("float64")
    if end is not None and has_window.any():
        out += _spread_windows(start[has_window], end[has_window], chunk=chunk)
    return out


def _spread_windows(start: pd.Series, end: pd.Series, *, chunk: int) -> np.ndarray:
    """Spread windows over the 168 bins by the share of their minutes in each (each window sums to 1)."""
    out = np.zeros(HOURS_PER_WEEK, dtype="float64")
    s0 = minute_of_week(start).astype("float64") + start.dt.second.to_numpy() / 60.0
    dur = ((end - start).dt.total_seconds().to_numpy() / 60.0).astype("float64")
    bins = np.arange(HOURS_PER_WEEK, dtype="float64")
    for a in range(0, len(s0), chunk):
        ss, dd = s0[a : a + chunk], dur[a : a + chunk]
        out += ((_covered(ss + dd, bins) - _covered(ss, bins)) / dd[:, None]).sum(axis=0)
    return out


@dataclass(frozen=True)
class PeakWindow:
    """One peak window: some days, one span of hours.

    Attributes
    ----------
    days
        Weekdays the window starts on (Monday = 0), in week order.
    start_hour, end_hour
        Hours of the day; ``end_hour`` is exclusive and may be smaller than ``start_hour`` (past midnight).
    share
        Share (0..1) of the profile's total that falls in the window on those days.
    """

    days: tuple[int, ...]
    start_hour: int
    end_hour: int
    share: float

    @property
    def hours(self) -> int:
        """Length of the window in hours."""
        return (self.end_hour - self.start_hour) % 24 or 24

    def bins(self) -> np.ndarray:
        """Hour-of-week bin indices the window covers."""
        hours = {
            (d * 24 + self.start_hour + k) % HOURS_PER_WEEK for d in self.days for k in range(self.hours)
        }
        return np.array(sorted(hours), dtype="int64")


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """Circular runs of True as ``(start, length)``; one run of full length when all True."""
    n = len(flags)
    if flags.all():
        return [(0, n)]
    if not flags.any():
        return []
    first_false = int(np.argmin(flags))
    runs: list[tuple[int, int]] = []
    i = 0
    while i < n:
        j = (first_false + i) % n
        if flags[j]:
            length = 0
            while length < n and flags[(j + length) % n]:
                length += 1
            runs.append((j, length))
            i += length
        else:
            i += 1
    return runs


def _stands_out(share: float, expected: float, n: float, *, min_lift: float, max_p: float) -> bool:
    """Whether `share` of `n` is at least `min_lift` × `expected` and unlikely (< `max_p`) by chance."""
    if expected >= 1 or expected <= 0 or n <= 0:
        return False
    z = (share - expected) * math.sqrt(n) / math.sqrt(expected * (1 - expected))
    return share >= min_lift * expected and 0.5 * math.erfc(z / math.sqrt(2)) < max_p


def peak_window_list(
    profile: np.ndarray,
    *,
    max_windows: int = 2,
    min_share: float = 0.15,
    day_ratio: float = 0.5,
    min_lift: float = 1.5,
    max_p: float = 1e-4,
) -> list[PeakWindow]:
    """Find the busiest spans of hours and the days they happen on.

    Method: the hour-of-day profile (the 168 bins summed over weekdays) is compared with its mean; circular
    runs of above-mean hours, joined across a single below-mean hour when that hour still reaches half the
    mean, are the candidate spans. For each span, the days are those whose mass in the span (counting
    past midnight as the starting day) is at least `day_ratio` times the busiest day's. Spans are ranked
    by their share of the total; those holding less than `min_share` are left out (except the first).
    A span is only reported when its hours stand out over all days together: their share is at least
    `min_lift` times the span's share of the day, and a flat day would give that much with probability
    below `max_p` (one-sided, normal approximation to the binomial); the chosen days are kept only when
    they in turn stand out within the span (lift 1.25, same `max_p`), else the window is every day. A
    profile with no hour structure can still have a day window (``"lör–sön hela dygnet"``). Random times
    therefore give no window.

    Parameters
    ----------
    profile
        168 bins, index ``weekday * 24 + hour``.
    max_windows
        At most this many windows.
    min_share
        A second window must hold at least this share of the total.
    day_ratio
        A day joins a window when its mass in the span is at least this share of the busiest day's.
    min_lift
        Least ratio of the window's share to its share under a flat week.
    max_p
        Largest chance probability of the window's share under a flat week.

    Returns
    -------
    windows
        Best first; empty when the profile is empty or flat.
    """
    p = np.asarray(profile, dtype="float64")
    if p.shape != (HOURS_PER_WEEK,):
        raise ValueError(f"profile must have {HOURS_PER_WEEK} bins, got shape {p.shape}")
    total = float(p.sum())
    if total <= 0:
        return []
    found = [
        w
        for start, length in _candidate_spans(p)
        if (w := _span_window(p, start, length, day_ratio=day_ratio, min_lift=min_lift, max_p=max_p))
    ]
    found.sort(key=lambda w: -w.share)
    keep = found[:1] + [w for w in found[1:] if w.share >= min_share]
    return keep[:max_windows]


def _candidate_spans(p: np.ndarray) -> list[tuple[int, int]]:
    """Return circular runs ``(start, length)`` of above-mean hours; single dips to half the mean bridged."""
    by_hour = p.reshape(7, 24).sum(axis=0)
    mean = by_hour.mean()
    above = by_hour > mean * (1 + 1e-9)
    if not above.any():  # no hour rhythm: the whole day is the span, days may still stand out
        above = np.ones(24, dtype=bool)
    bridged = above.copy()
    for h in range(24):
        if not above[h] and above[(h - 1) % 24] and above[(h + 1) % 24] and by_hour[h] >= 0.5 * mean:
            bridged[h] = True
    return [(0, 24) if length >= 24 else (start, length) for start, length in _runs(bridged)]


def _span_window(
    p: np.ndarray, start: int, length: int, *, day_ratio: float, min_lift: float, max_p: float
) -> PeakWindow | None:
    """Return the window of one span with its days, or ``None`` when its hours or days do not stand out."""
    total = float(p.sum())
    day_mass = np.roll(p, -start).reshape(7, 24)[:, :length].sum(axis=1)
    span_mass = float(day_mass.sum())
    if span_mass <= 0:
        return None
    days = tuple(int(d) for d in np.flatnonzero(day_mass >= day_ratio * day_mass.max()))
    days_mass = float(day_mass[list(days)].sum())
    if length < 24:
        # the hours must stand out on their own (all days together) ...
        if not _stands_out(span_mass / total, length / 24, total, min_lift=min_lift, max_p=max_p):
            return None
        # ... and a choice of days only when those days stand out within the hours
        if len(days) < 7 and not _stands_out(
            days_mass / span_mass, len(days) / 7, span_mass, min_lift=1.25, max_p=max_p
        ):
            days = tuple(range(7))
            days_mass = span_mass
    elif len(days) == 7 or not _stands_out(
        days_mass / total, len(days) / 7, total, min_lift=min_lift, max_p=max_p
    ):
        return None
    return PeakWindow(
        days=days, start_hour=int(start), end_hour=int((start + length) % 24), share=days_mass / total
    )


def _day_text(days: tuple[int, ...], lang: str) -> str:
    names = DAY_NAMES[lang]
    if len(days) == 7:
        return _EVERY_DAY[lang]
    flags = np.zeros(7, dtype=bool)
    flags[list(days)] = True
    parts = []
    for start, length in sorted(_runs(flags)):
        end = (start + length - 1) % 7
        parts.append(names[start] if length == 1 else f"{names[start]}–{names[end]}")
    return ", ".join(parts)


def format_window(window: PeakWindow, *, lang: str = "sv") -> str:
    """Say one window in words: ``"fre–lör 22–03"`` (sv) or ``"Fri–Sat 22–03"`` (en).

    Parameters
    ----------
    window
        The window.
    lang
        ``"sv"`` or ``"en"``.
    """
    if lang not in DAY_NAMES:
        raise ValueError(f"lang must be 'sv' or 'en', got '{lang}'")
    if window.hours == 24:
        hours = "hela dygnet" if lang == "sv" else "all day"
    else:
        hours = f"{window.start_hour:02d}–{window.end_hour:02d}"
    return f"{_day_text(window.days, lang)} {hours}"


def peak_windows(profile: np.ndarray, lang: str = "sv", *, max_windows: int = 2) -> str:
    """Say the peak windows of a profile in words, best first, joined by ``"; "``.

    Parameters
    ----------
    profile
        168 bins, index ``weekday * 24 + hour``.
    lang
        ``"sv"`` (``"fre–lör 22–03"``) or ``"en"`` (``"Fri–Sat 22–03"``).
    max_windows
        At most this many windows.

    Returns
    -------
    text
        ``""`` for an empty profile; ``"ingen tydlig topp"`` / ``"no clear peak"`` for a flat one.
    """
    if lang not in DAY_NAMES:
        raise ValueError(f"lang must be 'sv' or 'en', got '{lang}'")
    p = np.asarray(profile, dtype="float64")
    if p.sum() <= 0:
        return ""
    windows = peak_window_list(p, max_windows=max_windows)
    if not windows:
        return _NO_PEAK[lang]
    return "; ".join(format_window(w, lang=lang) for w in windows)


def add_time_parts(
    frame: pd.DataFrame, *, lat: np.ndarray, lon: np.ndarray, time_col: str = "occurred_at"
) -> pd.DataFrame:
    """Return a copy of `frame` with the local time parts and ``is_dark`` (the model's derived columns).

    For incidents known only within a window (``occurred_to`` set), darkness is judged at the window's
    midpoint; ``hour``, ``weekday``, ``iso_year``, ``iso_week`` and ``month`` stay those of ``occurred_at``
    (profiles spread windows aoristically instead).

    Parameters
    ----------
    frame
        Frame with a timezone-aware `time_col` (and optionally ``occurred_to``).
    lat, lon
        WGS84 positions aligned with `frame`, in degrees.
    time_col
        Column holding the local time.
    """
    out = frame.copy()
    t = out[time_col]
    iso = t.dt.isocalendar()
    out["hour"] = t.dt.hour.astype("int8")
    out["weekday"] = t.dt.day_of_week.astype("int8")
    out["iso_year"] = iso["year"].astype("int16")
    out["iso_week"] = iso["week"].astype("int8")
    out["month"] = t.dt.month.astype("int8")
    when = t
    if "occurred_to" in out.columns and out["occurred_to"].notna().any():
        to = out["occurred_to"]
        mid = t + (to - t) / 2
        when = mid.where(to.notna(), t)
    out["is_dark"] = dark_mask(when, lat, lon)
    return out
