"""The time columns of a raw table: when it happened, and the end of the window when only a window is known.

Times are parsed by :func:`geo.time.parse.parse_times`, the one parser the service and the command line use
too; this module turns its findings into rejections and warnings with the input's row and column.
"""

from __future__ import annotations

import pandas as pd

from geo.errors import InputError
from geo.io.rejects import RawTable
from geo.time.parse import FUTURE_SLACK_MIN, ParsedTimes, in_future, parse_times, time_reasons

__all__ = ["read_times"]


def _account(t: RawTable, pt: ParsedTimes, *, field: str, tz: str, what: str) -> None:
    """Reject the rows whose time cannot be used and warn about ambiguous ones."""
    reasons = time_reasons(tz, what=what)
    values = t.raw[field]
    t.reject(pt.blank, field=field, reason=reasons["blank"])
    t.reject(pt.unparseable, field=field, reason=reasons["unparseable"], value=values)
    t.reject(pt.nonexistent, field=field, reason=reasons["nonexistent"], value=values)
    t.warn(pt.ambiguous, field=field, reason=reasons["ambiguous"], value=values)


def _start_times(t: RawTable, *, tz: str) -> tuple[pd.Series, str, ParsedTimes]:
    """Return ``occurred_at``, its field and what parsing found (from the reader's preset or the column)."""
    if "occurred_at" in t.preset:
        field = t.cols.get("time") or "occurred_at"
        pt = parse_times(t.preset["occurred_at"], tz=tz)
        t.reject(pt.blank, field=field, reason="no time found")
        return pt.times, field, pt
    field_or_none = t.cols.get("time")
    if not field_or_none:
        raise InputError(
            f"no time column found among {list(t.raw.columns)}; name it with --time-col", path=t.file
        )
    pt = parse_times(t.raw[field_or_none], tz=tz)
    _account(t, pt, field=field_or_none, tz=tz, what="time")
    return pt.times, field_or_none, pt


def _end_times(t: RawTable, occurred_at: pd.Series, *, tz: str, now: pd.Timestamp) -> pd.Series:
    """Return ``occurred_to`` (NaT where exact); an end before the start or in the future is rejected."""
    field = t.cols.get("time_to")
    if not field:
        return pd.Series(pd.NaT, index=occurred_at.index, dtype=f"datetime64[ns, {tz}]")
    pt = parse_times(t.raw[field], tz=tz)
    reasons = time_reasons(tz, what="end time")
    t.reject(pt.unparseable, field=field, reason=reasons["unparseable"], value=t.raw[field])
    t.reject(pt.nonexistent, field=field, reason=reasons["nonexistent"], value=t.raw[field])
    t.warn(pt.ambiguous, field=field, reason=reasons["ambiguous"], value=t.raw[field])
    occurred_to = pt.times
    before = (occurred_to < occurred_at).fillna(False).to_numpy(dtype=bool)
    t.reject(before, field=field, reason="end time is before start time", value=t.raw[field])
    future = in_future(occurred_to, now=now, future_slack_min=FUTURE_SLACK_MIN)
    t.reject(future, field=field, reason="end time is in the future", value=t.raw[field])
    same = (occurred_to == occurred_at).fillna(False).to_numpy(dtype=bool)
    return occurred_to.where(~same)


def read_times(t: RawTable, *, tz: str, now: pd.Timestamp) -> tuple[pd.Series, pd.Series, str]:
    """Read ``occurred_at`` and ``occurred_to``, rejecting every row whose time cannot be used.

    Refused: a missing or unparseable time, a local time that does not exist in `tz` (the spring change), a
    time more than :data:`~geo.time.parse.FUTURE_SLACK_MIN` minutes after `now`, a time outside the
    plausible range; an end before its start or in the future. An ambiguous local time (the autumn change)
    is kept as the earlier instant with a warning.

    Parameters
    ----------
    t
        The raw table.
    tz
        The local zone of naive times.
    now
        The present moment (timezone-aware).

    Returns
    -------
    occurred_at, occurred_to, time_field
        Local times in `tz`, and the input column named in messages about the time.
    """
    occurred_at, field, pt = _start_times(t, tz=tz)
    occurred_at = occurred_at.dt.tz_convert(tz)
    now_local = now.tz_convert(tz)
    future = in_future(occurred_at, now=now_local, future_slack_min=FUTURE_SLACK_MIN)
    hit = t.keep & future
    t.log.add(
        t.rows[hit],
        field=field,
        reason=f"time is in the future (after {now_local:%Y-%m-%d %H:%M})",
        value=occurred_at[hit].astype(str),
    )
    t.keep &= ~hit
    reasons = time_reasons(tz)
    stamps = occurred_at.astype(str) if (pt.early | pt.late).any() else None
    t.reject(pt.early, field=field, reason=reasons["early"], value=stamps)
    t.reject(pt.late, field=field, reason=reasons["late"], value=stamps)
    return occurred_at, _end_times(t, occurred_at, tz=tz, now=now), field
