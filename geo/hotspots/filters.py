"""Which reports a hot-spot analysis looks at: period, categories, sources, darkness, weekday and hour."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from geo.texts import WEEKDAYS, WEEKDAYS_SHORT

__all__ = ["filter_reports", "parse_hours", "parse_weekdays"]


def parse_weekdays(text: str) -> tuple[int, ...]:
    """Parse weekdays: ``"fre,lör"``, ``"Fri-Sun"``, ``"mån–fre"`` or numbers ``"0,4"`` (Monday = 0).

    Parameters
    ----------
    text
        Comma-separated days or day ranges, Swedish or English short names (or full names), or numbers.

    Raises
    ------
    ValueError
        Naming the part that is not a day.
    """
    names = {}
    for day_names in (*WEEKDAYS_SHORT.values(), *WEEKDAYS.values()):
        for i, n in enumerate(day_names):
            names[n.casefold()] = i

    def one(part: str) -> int:
        p = part.strip().casefold()
        if p.isdigit() and 0 <= int(p) <= 6:
            return int(p)
        if p in names:
            return names[p]
        raise ValueError(
            f"'{part.strip()}' is not a weekday (use mån..sön, Mon..Sun or 0..6 with Monday = 0)"
        )

    days: list[int] = []
    for part in text.replace("–", "-").split(","):
        if not part.strip():
            continue
        if "-" in part:
            a, b = (one(x) for x in part.split("-", 1))
            k = a
            while True:
                days.append(k)
                if k == b:
                    break
                k = (k + 1) % 7
        else:
            days.append(one(part))
    if not days:
        raise ValueError(f"no weekday in '{text}'")
    return tuple(sorted(set(days)))


def parse_hours(text: str) -> tuple[int, int]:
    """Parse an hour window ``"22-03"`` (22:00 to 03:00, past midnight) into ``(start, end)``, end exclusive.

    Parameters
    ----------
    text
        ``"H-H"`` with hours 0..24.

    Raises
    ------
    ValueError
        If it is not two hours separated by a dash.
    """
    parts = text.replace("–", "-").split("-")
    try:
        a, b = (int(p.strip().split(":")[0]) for p in parts)
    except ValueError as err:
        raise ValueError(f"hours must look like 22-03, got '{text}'") from err
    if not (0 <= a <= 24 and 0 <= b <= 24) or a % 24 == b % 24:
        raise ValueError(f"hours must be two different hours 0-24 like 22-03, got '{text}'")
    return a % 24, b % 24


def filter_reports(
    reports: pd.DataFrame,
    *,
    since: pd.Timestamp | str | None = None,
    until: pd.Timestamp | str | None = None,
    categories: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
    dark_only: bool = False,
    weekdays: Iterable[int] | None = None,
    hours: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Return the reports that pass every given filter (a new frame; the input is not changed).

    Parameters
    ----------
    reports
        Reports in the canonical model.
    since, until
        Keep ``since <= occurred_at < until``; a date alone means local midnight in the data's zone.
    categories
        Keep these categories (compared case-insensitively).
    sources
        Keep these sources (case-insensitively).
    dark_only
        Keep only reports made in darkness (``is_dark``).
    weekdays
        Keep these local weekdays (Monday = 0).
    hours
        ``(start, end)`` local hours, end exclusive; ``(22, 3)`` keeps 22:00–02:59.

    Returns
    -------
    reports
        The kept rows, index preserved.
    """
    keep = np.ones(len(reports), dtype=bool)
    t = reports["occurred_at"]
    tz = t.dt.tz

    def stamp(v: pd.Timestamp | str) -> pd.Timestamp:
        ts = pd.Timestamp(v)
        return ts.tz_localize(tz) if ts.tzinfo is None else ts.tz_convert(tz)

    if since is not None:
        keep &= (t >= stamp(since)).to_numpy()
    if until is not None:
        keep &= (t < stamp(until)).to_numpy()
    if categories:
        wanted = {c.casefold() for c in categories}
        keep &= reports["category"].astype(str).str.casefold().isin(wanted).to_numpy()
    if sources:
        wanted = {s.casefold() for s in sources}
        keep &= reports["source"].astype(str).str.casefold().isin(wanted).to_numpy()
    if dark_only:
        keep &= reports["is_dark"].to_numpy(dtype=bool)
    if weekdays is not None:
        keep &= reports["weekday"].isin(list(weekdays)).to_numpy()
    if hours is not None:
        a, b = hours
        h = reports["hour"].to_numpy()
        keep &= (h >= a) & (h < b) if a < b else (h >= a) | (h < b)
    return reports.loc[keep]
