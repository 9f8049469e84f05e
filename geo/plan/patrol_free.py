"""Time a patrol plan leaves free, and the plan's expected gain in words.

A visit is planned only where it adds at least the plan's least gain (:func:`geo.plan.patrol.plan_patrols`).
A stretch of a shift is **free** when no place could gain that much from a visit covering any minute of it,
whatever was planned before: nothing there is worth a visit, and the time is reported ("ingen prioriterad
plats 01–07: använd tiden för annat") rather than filled with visits to quiet places.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from geo.i18n import gettext, ngettext, number, pct
from geo.plan.patrol_greedy import shift_days, shift_starts
from geo.texts import WEEKDAYS, WEEKDAYS_SHORT
from geo.time.weeks import Shift, week_windows

__all__ = ["FREE_COLUMNS", "free_notes", "free_windows", "gain_words", "threshold_words"]

FREE_COLUMNS = ("shift_no", "date", "weekday", "shift", "start", "end", "text")
"""Columns of a plan's free windows."""

_DAYS = WEEKDAYS["sv"]


def _clock(minute: int) -> str:
    """``"01"`` on the hour, else ``"01:30"`` (local wall clock; minutes past midnight wrap)."""
    minute %= 1440
    return f"{minute // 60:02d}" if minute % 60 == 0 else f"{minute // 60:02d}:{minute % 60:02d}"


def _runs(free: np.ndarray) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of the runs of True in `free` (end exclusive)."""
    edges = np.diff(np.concatenate([[0], free.astype("int8"), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True))


def free_windows(
    intensity: np.ndarray,
    *,
    shifts: tuple[Shift, ...],
    visit_min: int,
    step_min: int,
    min_gain: float,
    monday: dt.date,
    shortest_min: int = 60,
) -> pd.DataFrame:
    """Return the stretches of each shift where no visit to any place would reach `min_gain`.

    Parameters
    ----------
    intensity
        Places × minutes of the week (:mod:`geo.plan.patrol_greedy`).
    shifts
        The daily shifts.
    visit_min, step_min
        Visit length and start grid in minutes.
    min_gain
        The least gain (expected share) of a planned visit.
    monday
        The planning week's Monday.
    shortest_min
        Shorter free stretches are not reported.

    Returns
    -------
    free
        :data:`FREE_COLUMNS`: the shift number, its date and weekday, the shift (``"fredag 23:00–07:00"``),
        ``start``/``end`` (local ``HH`` or ``HH:MM``) and the Swedish sentence.
    """
    recs = []
    for shift_no, (day, s) in enumerate(shift_days(shifts), start=1):
        starts = shift_starts(s, visit_min=visit_min, step_min=step_min)
        busy = np.zeros(s.length_min, dtype=bool)
        if intensity.shape[0]:
            idx = week_windows(day * 1440 + s.start_min + starts, visit_min)
            worth = (intensity[:, idx].sum(axis=2) >= max(min_gain, 1e-15)).any(axis=0)
            for t in starts[worth]:
                busy[t : t + visit_min] = True
        date = monday + dt.timedelta(days=day)
        for a, b in _runs(~busy):
            if b - a < shortest_min:
                continue
            start, end = _clock(s.start_min + a), _clock(s.start_min + b)
            recs.append(
                {
                    "shift_no": shift_no,
                    "date": date.isoformat(),
                    "weekday": _DAYS[date.weekday()],
                    "shift": f"{_DAYS[date.weekday()]} {s.label}",
                    "start": start,
                    "end": end,
                    "text": f"ingen prioriterad plats {start}–{end}: använd tiden för annat",
                }
            )
    return pd.DataFrame(recs, columns=list(FREE_COLUMNS))


def free_notes(free: pd.DataFrame, lang: str = "sv") -> list[str]:
    """Group free windows over the week: one sentence in `lang` per shift and window, with its days."""
    if free.empty:
        return []
    out = []
    label = free["shift"].str.split(" ", n=1).str[1]
    for (shift, start, end), g in free.assign(_label=label).groupby(["_label", "start", "end"], sort=False):
        days = list(dict.fromkeys(g["weekday"]))
        when = gettext("alla dagar", lang) if len(days) == 7 else ", ".join(_short_day(d, lang) for d in days)
        out.append(
            gettext(
                "pass %(shift)s: ingen prioriterad plats %(start)s–%(end)s (%(days)s): "
                "använd tiden för annat",
                lang,
                shift=shift,
                start=start,
                end=end,
                days=when,
            )
        )
    return out


def _short_day(day: str, lang: str) -> str:
    """Return the Swedish weekday `day` ("torsdag") as `lang`'s short name ("tor", "Thu")."""
    return WEEKDAYS_SHORT[lang][WEEKDAYS["sv"].index(day)] if day in WEEKDAYS["sv"] else day[:3]


def threshold_words(min_gain_share: float, min_expected_per_hour: float | None, lang: str = "sv") -> str:
    """Say where visits are planned ("minst 10 % av bästa besökets vinst och minst 1 händelse per ...").

    `min_expected_per_hour` is ``None`` when there is no history to count incidents in.
    """
    words = gettext(
        "minst %(share)s av bästa besökets vinst", lang, share=pct(min_gain_share, lang, decimals=0)
    )
    if min_expected_per_hour is not None:
        per_hour = number(
            min_expected_per_hour, lang, decimals=0 if float(min_expected_per_hour).is_integer() else 1
        )
        words += ngettext(
            " och minst %(num)s händelse per besökstimme i historiken",
            " och minst %(num)s händelser per besökstimme i historiken",
            min_expected_per_hour,
            lang,
            num=per_hour,
        )
    return words


def gain_words(expected_share: float, n_history: float, history_days: float, lang: str = "sv") -> str:
    """Say how many of the week's expected incidents fall at planned visits, in `lang` (default Swedish).

    Parameters
    ----------
    expected_share
        The plan's expected share (0..1).
    n_history
        Incidents in the history window.
    history_days
        Length of the history window in days.
    lang
        ``sv`` or ``en``.

    Returns
    -------
    words
        ``"ungefär 2 av veckans förväntade 30 händelser sker vid planerade besök"``.
    """
    if history_days <= 0 or n_history <= 0:
        return gettext("ingen historik att räkna förväntade händelser från", lang)
    weekly = n_history * 7.0 / history_days
    covered = expected_share * weekly
    if covered < 0.5:
        part = gettext("mindre än 1", lang)
    else:
        decimals = 1 if covered < 10 and not float(round(covered, 1)).is_integer() else 0
        part = gettext("ungefär %(n)s", lang, n=number(covered, lang, decimals=decimals))
    return gettext(
        "%(part)s av veckans förväntade %(weekly)s händelser sker vid planerade besök",
        lang,
        part=part,
        weekly=number(weekly, lang),
    )
