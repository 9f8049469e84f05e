"""One parser for times: report files, the HTTP service and command-line/config dates.

The same rules hold at every entry point:

- **Forms.** ISO 8601 with or without an offset (``2024-03-05T22:10``, ``2024-03-05 22:10:00+01:00``,
  ``...Z``), the Swedish forms (``2024-03-05 kl. 22.10``, ``05.03.2024 22:10``) and a few other common export
  forms (:data:`FALLBACK_FORMATS`).
- **Zone.** A time with an offset is converted to the zone; a naive time is a wall-clock time in the zone.
- **Daylight saving.** A local time that does not exist (the hour skipped in spring) is refused with a reason;
  an ambiguous one (the hour repeated in autumn) becomes the earlier instant (summer time) and is warned.
- **Plausible range.** :data:`EARLIEST` <= local time < :data:`LATEST` (1900-01-01 to 2099-12-31); anything
  else is refused as a typo. Times of things that *happened* (report files, the service) may in addition
  lie at most a few minutes after the present (:func:`in_future`); dates given to commands may lie ahead.
- **Dates.** A date without a time of day means the first instant of that local day (:func:`local_midnight`).

:func:`parse_times` works on whole columns and returns masks of the problems; :func:`parse_time` (one value,
ISO 8601 through the standard library) and :func:`parse_date` (a command-line or config date) follow the
same rules and raise :class:`TimeError`. Nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import overload
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from geo.errors import InputError

__all__ = [
    "EARLIEST",
    "FALLBACK_FORMATS",
    "FUTURE_SLACK_MIN",
    "LATEST",
    "ParsedTimes",
    "TimeError",
    "in_future",
    "local_midnight",
    "parse_date",
    "parse_time",
    "parse_times",
    "time_reasons",
]

_log = logging.getLogger(__name__)

FALLBACK_FORMATS: tuple[str, ...] = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H.%M",
    "%d.%m.%Y",
    "%Y-%m-%d kl. %H.%M",
    "%Y-%m-%d kl %H.%M",
    "%Y-%m-%d kl. %H:%M",
    "%Y-%m-%d %H.%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%Y%m%d %H%M",
    "%Y%m%dT%H%M%S",
)
"""Forms tried, in order, for naive times that are not ISO 8601."""

EARLIEST = pd.Timestamp("1900-01-01")
"""Earliest plausible local time (inclusive)."""

LATEST = pd.Timestamp("2100-01-01")
"""Latest plausible local time (exclusive)."""

FUTURE_SLACK_MIN = 10.0
"""Minutes a time of something that happened may lie after the present (clocks differ)."""

_OFFSET_RE = r"(?:Z|[+-]\d{2}:?\d{2})$"
_DATE_RE = r"\d{4}-\d{2}-\d{2}"
_NS_BOUNDS = (pd.Timestamp("1678-01-01"), pd.Timestamp("2261-12-31"))


class TimeError(ValueError):
    """A time that cannot be used; the message is the reason, in the words the rejection table uses."""


def time_reasons(tz: str, *, what: str = "time") -> dict[str, str]:
    """Return the reason for each kind of problem, as the rejection table and the service say it.

    Parameters
    ----------
    tz
        IANA zone the times are read in.
    what
        What the value is (``"time"``, ``"end time"``).

    Returns
    -------
    reasons
        Keys ``blank``, ``unparseable``, ``nonexistent``, ``ambiguous``, ``early``, ``late``.
    """
    span = f"outside the plausible range {EARLIEST.year}–{LATEST.year - 1}"
    return {
        "blank": f"missing {what}",
        "unparseable": f"cannot parse {what} (expected ISO 8601, e.g. 2024-03-05 22:10, or DD.MM.YYYY HH:MM)",
        "nonexistent": f"local {what} does not exist in {tz} "
        "(skipped at the daylight-saving change in spring)",
        "ambiguous": f"local {what} is ambiguous in {tz} (repeated hour at the daylight-saving change in "
        "autumn); the earlier instant is kept",
        "early": f"{what} is before {EARLIEST.year} ({span})",
        "late": f"{what} is after {LATEST.year - 1} ({span})",
    }


@dataclass
class ParsedTimes:
    """Times parsed from one column.

    Attributes
    ----------
    times
        Timezone-aware local times (NaT where blank, unparseable or nonexistent).
    unparseable, nonexistent, ambiguous, blank
        Boolean masks of the problems found.
    early, late
        Boolean masks of parsed times outside the plausible range (the time itself is kept).
    """

    times: pd.Series
    unparseable: np.ndarray
    nonexistent: np.ndarray
    ambiguous: np.ndarray
    blank: np.ndarray
    early: np.ndarray
    late: np.ndarray

    @property
    def refused(self) -> np.ndarray:
        """Rows whose time cannot be used."""
        return self.blank | self.unparseable | self.nonexistent | self.early | self.late


def _blank(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return values.isna().to_numpy()
    s = values.astype("string")
    return (s.isna() | (s.str.strip() == "")).to_numpy(dtype=bool)


def _storable(parsed: pd.Series, where: np.ndarray, early: np.ndarray, late: np.ndarray) -> pd.Series:
    """Return parsed times in nanoseconds; those a nanosecond clock cannot hold (year 24) are early/late.

    `parsed` holds the rows of `where` (a mask over the column); `early` and `late` are updated in place.
    """
    lo, hi = _NS_BOUNDS
    if parsed.dt.tz is not None:
        lo, hi = lo.tz_localize("UTC"), hi.tz_localize("UTC")
    too_early = (parsed < lo).to_numpy(dtype=bool)
    too_late = (parsed > hi).to_numpy(dtype=bool)
    if too_early.any() or too_late.any():
        pos = np.flatnonzero(where)
        early[pos[too_early]] = True
        late[pos[too_late]] = True
        parsed = parsed.where(~(too_early | too_late))
    return parsed.dt.as_unit("ns")


def _parse_naive(text: pd.Series, todo: np.ndarray, early: np.ndarray, late: np.ndarray) -> pd.Series:
    """Parse the `todo` rows of `text` as naive times: ISO 8601 first, then each fallback form."""
    naive = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    left = todo
    for fmt in ("ISO8601", *FALLBACK_FORMATS):
        if not left.any():
            break
        parsed = pd.to_datetime(text[left], format=fmt, errors="coerce")
        naive.loc[parsed.index] = _storable(parsed, left, early, late).to_numpy()
        left = todo & naive.isna().to_numpy() & ~early & ~late
    return naive


def _localize(naive: pd.Series, tz: str) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Localize naive wall times: the earlier instant when ambiguous, NaT when nonexistent (with masks)."""
    strict = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    earlier = naive.dt.tz_localize(tz, ambiguous=np.ones(len(naive), dtype=bool), nonexistent="NaT")
    amb = strict.isna().to_numpy() & earlier.notna().to_numpy()
    gap = strict.isna().to_numpy() & earlier.isna().to_numpy()
    return strict.where(~amb, earlier), amb, gap


def _range_masks(
    times: pd.Series, tz: str, early: np.ndarray, late: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return the masks of times before :data:`EARLIEST` or from :data:`LATEST` on (local time)."""
    early = early | (times < EARLIEST.tz_localize(tz)).fillna(False).to_numpy(dtype=bool)
    late = late | (times >= LATEST.tz_localize(tz)).fillna(False).to_numpy(dtype=bool)
    return early, late


def parse_times(values: pd.Series, *, tz: str) -> ParsedTimes:
    """Parse a column of times into timezone-aware local times, by the rules of this module.

    Parameters
    ----------
    values
        Raw values (strings, or datetimes).
    tz
        IANA zone, e.g. ``"Europe/Stockholm"``.

    Returns
    -------
    parsed
        The times and a mask per problem (see :class:`ParsedTimes`); :func:`time_reasons` words them.
    """
    n = len(values)
    blank = _blank(values)
    out = pd.Series(pd.NaT, index=values.index, dtype=f"datetime64[ns, {tz}]")
    unparseable, nonexistent, ambiguous = (np.zeros(n, dtype=bool) for _ in range(3))
    early, late = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        out = _storable(values, np.ones(n, dtype=bool), early, late).dt.tz_convert(tz)
        return ParsedTimes(
            out, unparseable, nonexistent, ambiguous, blank, *_range_masks(out, tz, early, late)
        )
    if pd.api.types.is_datetime64_any_dtype(values):
        naive = _storable(values, np.ones(n, dtype=bool), early, late)
        has_offset = np.zeros(n, dtype=bool)
    else:
        text = values.astype("string").str.strip()
        has_offset = text.str.contains(_OFFSET_RE, regex=True).fillna(False).to_numpy(dtype=bool)
        naive = _parse_naive(text, ~blank & ~has_offset, early, late)
        if has_offset.any():
            aware = pd.to_datetime(text[has_offset], format="ISO8601", errors="coerce", utc=True)
            out.loc[aware.index] = _storable(aware, has_offset, early, late).dt.tz_convert(tz)
            unparseable |= has_offset & out.isna().to_numpy() & ~early & ~late
    is_naive = ~blank & ~has_offset
    naive_ok = is_naive & naive.notna().to_numpy()
    unparseable |= is_naive & ~naive_ok & ~early & ~late
    if naive_ok.any():
        sub = naive[naive_ok]
        local, amb, gap = _localize(sub, tz)
        out.loc[sub.index] = local.dt.as_unit("ns")
        idx = np.flatnonzero(naive_ok)
        ambiguous[idx[amb]] = True
        nonexistent[idx[gap]] = True
    return ParsedTimes(out, unparseable, nonexistent, ambiguous, blank, *_range_masks(out, tz, early, late))


def in_future(
    times: pd.Series, *, now: dt.datetime, future_slack_min: float = FUTURE_SLACK_MIN
) -> np.ndarray:
    """Tell which times of things that happened lie too far after the present.

    Parameters
    ----------
    times
        Timezone-aware times.
    now
        The present, timezone-aware.
    future_slack_min
        Minutes a time may lie after `now` (clocks differ).

    Returns
    -------
    future
        Boolean mask, False where the time is missing.
    """
    limit = pd.Timestamp(now) + pd.Timedelta(minutes=future_slack_min)
    return (times > limit).fillna(False).to_numpy(dtype=bool)


def _iso_one(text: str, tz: str, warn: Callable[[str], None] | None) -> tuple[pd.Timestamp, bool] | None:
    """Parse one ISO 8601 value by the same rules, fast (the service's path); ``None``: not ISO 8601."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    zone, reasons = ZoneInfo(tz), time_reasons(tz)
    if value.tzinfo is not None:
        local = value.astimezone(zone)
    else:
        local = value.replace(tzinfo=zone, fold=0)
        if local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != value:
            raise TimeError(f"{reasons['nonexistent']}: '{text}'")
        if local.utcoffset() != value.replace(tzinfo=zone, fold=1).utcoffset():
            (warn or _log.warning)(f"{reasons['ambiguous']}: '{text}'")
    naive = local.replace(tzinfo=None)
    if not EARLIEST <= naive < LATEST:
        raise TimeError(f"{reasons['early' if naive < EARLIEST else 'late']}: '{text}'")
    return pd.Timestamp(local).tz_convert(tz), value.tzinfo is not None


def _parse_one(text: str, tz: str, warn: Callable[[str], None] | None) -> tuple[pd.Timestamp, bool]:
    """Parse one value; return the time and whether it carried an offset. Raise :class:`TimeError`."""
    if isinstance(text, str) and (fast := _iso_one(text, tz, warn)) is not None:
        return fast
    values = pd.Series([text], dtype=object)
    pt = parse_times(values, tz=tz)
    reasons = time_reasons(tz)
    for problem in ("blank", "unparseable", "nonexistent", "early", "late"):
        if getattr(pt, problem)[0]:
            raise TimeError(f"{reasons[problem]}: '{text}'")
    if pt.ambiguous[0]:
        (warn or _log.warning)(f"{reasons['ambiguous']}: '{text}'")
    offset = bool(pd.Series([str(text).strip()]).str.contains(_OFFSET_RE, regex=True).iloc[0])
    return pd.Timestamp(pt.times.iloc[0]), offset


def parse_time(text: str, *, tz: str, warn: Callable[[str], None] | None = None) -> pd.Timestamp:
    """Parse one time by the rules of this module (the file reader's rules, for one value).

    Parameters
    ----------
    text
        The time as given.
    tz
        IANA zone of a naive time, and of the result.
    warn
        Called with the reason when the time is ambiguous (default: a logging warning).

    Returns
    -------
    time
        Timezone-aware time in `tz`.

    Raises
    ------
    TimeError
        If the text is blank, cannot be parsed, does not exist in `tz` or lies outside the plausible range.
    """
    return _parse_one(text, tz, warn)[0]


def local_midnight(date: dt.date | str, tz: str) -> pd.Timestamp:
    """Return the first instant of a local calendar date.

    Parameters
    ----------
    date
        The local date (a ``datetime.date``, or ``"YYYY-MM-DD"``); a time of day in it is ignored.
    tz
        IANA zone.

    Returns
    -------
    start
        Timezone-aware midnight in `tz`; where midnight falls in a daylight-saving gap, the first instant
        that exists, and where it is repeated, the earlier one.
    """
    day = pd.Timestamp(date).normalize()
    if day.tzinfo is not None:
        day = day.tz_localize(None)
    return day.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")


@overload
def parse_date(value: str, *, tz: str, name: str, date_only: bool = False) -> pd.Timestamp: ...
@overload
def parse_date(value: None, *, tz: str, name: str, date_only: bool = False) -> None: ...
def parse_date(value: str | None, *, tz: str, name: str, date_only: bool = False) -> pd.Timestamp | None:
    """Parse a command-line or config date by the rules of this module.

    A date alone (``2024-01-31``) is the first instant of that local day (:func:`local_midnight`); a date
    with a time of day is parsed by :func:`parse_time` (nonexistent local times refused, ambiguous warned).

    Parameters
    ----------
    value
        The option's value; ``None`` gives ``None``.
    tz
        IANA zone of the data.
    name
        The option, for messages (``"--since"``).
    date_only
        Refuse a naive time of day (the option means a whole day); a time with an offset is taken to the
        start of its local day.

    Raises
    ------
    InputError
        Naming the option, when the value cannot be used.
    """
    if value is None:
        return None
    if re.fullmatch(_DATE_RE, value.strip()):
        day = pd.to_datetime(value.strip(), format="ISO8601", errors="coerce")
        if pd.notna(day) and EARLIEST <= day < LATEST:
            return local_midnight(day.date(), tz)
    try:
        ts, offset = _parse_one(value, tz, None)
    except TimeError as err:
        raise InputError(f"{name} must be a date like 2024-01-31: {err}") from err
    if not date_only:
        return ts
    if not offset and ts != ts.normalize():
        raise InputError(f"{name} is a date (local midnight), got a time of day in '{value}'")
    return local_midnight(ts.date(), tz)
