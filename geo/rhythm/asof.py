"""Resolve a run's period: ``--as-of DATE`` and ``[period] weeks = N`` become a first and a last day."""

from __future__ import annotations

import datetime as dt

from geo.config import RunConfig
from geo.rhythm.period import DEFAULT_WEEKS, weeks_before

__all__ = ["resolve_period"]


def resolve_period(
    config: RunConfig, *, as_of: dt.date | None = None, today: dt.date | None = None
) -> RunConfig:
    """Return `config` with ``period.start`` and ``period.end`` set from `as_of` and ``period.weeks``.

    Parameters
    ----------
    config
        The run configuration.
    as_of
        ``geo run --as-of``: the period is the ``period.weeks`` (default 4) whole ISO weeks before this date,
        whatever ``start``/``end`` say, and the patrol plan is for the week holding this date.
    today
        The date used when ``period.weeks`` is given without `as_of`, ``start`` or ``end`` (default today).

    Returns
    -------
    config
        A copy with the first and last day set (unchanged when neither `as_of` nor ``weeks`` is given).
    """
    p = config.period
    weeks = p.weeks
    if as_of is None and weeks is None:
        return config
    n = weeks if weeks is not None else DEFAULT_WEEKS
    if as_of is not None:
        start, end = weeks_before(as_of, n)
    elif p.end is not None:
        start, end = p.end - dt.timedelta(days=7 * n - 1), p.end
    elif p.start is not None:
        start, end = p.start, p.start + dt.timedelta(days=7 * n - 1)
    else:
        start, end = weeks_before(today or dt.date.today(), n)
    update: dict[str, object] = {"period": p.model_copy(update={"start": start, "end": end, "weeks": n})}
    if as_of is not None and config.patrol.week is not None:
        week = end + dt.timedelta(days=1)
        iso = week.isocalendar()
        update["patrol"] = config.patrol.model_copy(update={"week": f"{iso.year}-W{iso.week:02d}"})
    return config.model_copy(update=update)
