"""The period of a run as of a date: the whole ISO weeks (Monday–Sunday, local dates) before that date."""

from __future__ import annotations

import datetime as dt

from geo import i18n

__all__ = ["DEFAULT_WEEKS", "period_text", "weeks_before"]

DEFAULT_WEEKS = 4
"""Weeks analysed with ``--as-of`` when the config gives no ``[period] weeks``."""


def weeks_before(as_of: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    """Return the first and last day (both included) of the `weeks` whole ISO weeks before `as_of`.

    The week holding `as_of` is not included unless `as_of` is its Monday: as of Wednesday 2026-11-04 with
    ``weeks=1`` the period is Monday 2026-10-26 to Sunday 2026-11-01.

    Parameters
    ----------
    as_of
        The local date the lägesbild is made on.
    weeks
        Number of whole weeks, at least 1.

    Raises
    ------
    ValueError
        If `weeks` is below 1.
    """
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    monday = as_of - dt.timedelta(days=as_of.weekday())
    end = monday - dt.timedelta(days=1)
    return end - dt.timedelta(days=7 * weeks - 1), end


def period_text(start: dt.date | None, end: dt.date | None, *, lang: str = "sv") -> str:
    """Return the period in words for the console and pages, in `lang`.

    Example: ``2026-10-05 – 2026-11-01 (v. 41–44, 4 veckor)``.
    """
    if start is None and end is None:
        return i18n.gettext("hela datamängden", lang)
    if start is None or end is None:
        return f"{start or '…'} – {end or '…'}"
    days = (end - start).days + 1
    text = f"{start} – {end}"
    if start.weekday() == 0 and days % 7 == 0:
        w0, w1 = start.isocalendar().week, end.isocalendar().week
        weeks = days // 7
        span = f"{w0}{f'–{w1}' if weeks > 1 else ''}"
        text += (
            " ("
            + i18n.ngettext(
                "v. %(weeks)s, %(num)s vecka", "v. %(weeks)s, %(num)s veckor", weeks, lang, weeks=span
            )
            + ")"
        )
    else:
        text += " (" + i18n.ngettext("%(num)s dag", "%(num)s dagar", days, lang) + ")"
    return text
