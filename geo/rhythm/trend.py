"""Trends of a short period (a weekly lägesbild): the period's rate against the weeks before it.

A hot-spot's own trend (:func:`geo.hotspots.objects.trend_class`) needs at least eight weeks inside the
period. A weekly or monthly lägesbild is shorter, so its trend compares the period with the
``weeks_before`` weeks before it (13 by default, one quarter), counted from every report read (the history
before the period), inside the hot-spot's outline and with the hot-spot stage's sources and categories.

The rule, as for the long trend, is both significant and material: with ``n_now`` reports in ``w_now``
weeks and ``n_before`` in ``w_before`` weeks, the share ``n_now / (n_now + n_before)`` is tested against
``w_now / (w_now + w_before)`` (exact binomial test, the conditional test of two Poisson rates):

============= =========================================================================================
new           the earlier weekly rate is at most a quarter of the period's
intensifying  significant (p < 0.05) and the period's rate at least 1.5 times the earlier one
diminishing   significant (p < 0.05) and the period's rate at most 1/1.5 of the earlier one
persistent    otherwise, with reports both in the period and before it
sporadic      otherwise
none          fewer than 8 reports in both together: too little to say
============= =========================================================================================
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.stats import binomtest

__all__ = ["WEEKS_BEFORE", "short_trend_class", "short_trend_text", "short_trends"]

WEEKS_BEFORE = 13
"""Weeks before a short period that its trend compares with (one quarter)."""


def short_trend_class(n_now: int, n_before: int, *, weeks_now: float, weeks_before: float) -> str:
    """Classify a place's count in the period against its count in the weeks before (see the module notes)."""
    n = n_now + n_before
    if n < 8 or weeks_now <= 0 or weeks_before <= 0:
        return "none"
    rate_now, rate_before = n_now / weeks_now, n_before / weeks_before
    if rate_now > 0 and rate_before <= 0.25 * rate_now:
        return "new"
    p = binomtest(n_now, n, weeks_now / (weeks_now + weeks_before)).pvalue
    if p < 0.05 and rate_now >= 1.5 * rate_before:
        return "intensifying"
    if p < 0.05 and rate_now <= rate_before / 1.5:
        return "diminishing"
    return "persistent" if n_now > 0 and n_before > 0 else "sporadic"


def short_trend_text(weeks_now: int, weeks_before: int, *, lang: str = "sv") -> str:
    """Return what a short period's trend compared (``trend: de senaste 4 veckorna jämfört med ...``)."""
    if lang == "en":
        return f"trend: the last {weeks_now} weeks compared with the {weeks_before} weeks before"
    return f"trend: de senaste {weeks_now} veckorna jämfört med föregående {weeks_before} veckor"


def short_trends(
    hotspots: gpd.GeoDataFrame,
    history: gpd.GeoDataFrame,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
    weeks_before: int = WEEKS_BEFORE,
) -> tuple[pd.Series, int]:
    """Return each hot-spot's short-period trend and the whole weeks before the period the data cover.

    Parameters
    ----------
    hotspots
        Hot-spots of the period (polygons, same CRS as `history`).
    history
        Point reports with ``occurred_at`` (every report read, before and in the period), already limited
        to the hot-spot stage's sources and categories.
    start, end
        The period (``end`` exclusive), local timestamps.
    weeks_before
        Weeks before `start` to compare with; fewer when the data start later.

    Returns
    -------
    trends
        One class a hot-spot (index of `hotspots`).
    weeks
        Weeks before the period actually compared (0: no history, every trend ``none``).
    """
    times = history["occurred_at"]
    first = times.min() if len(times) else start
    span = (start - max(first, start - pd.Timedelta(weeks=weeks_before))) / pd.Timedelta(weeks=1)
    weeks = int(np.floor(max(span, 0.0)))
    weeks_now = (end - start) / pd.Timedelta(weeks=1)
    if weeks == 0 or not len(hotspots):
        return pd.Series("none", index=hotspots.index, dtype=object), weeks
    lo = start - pd.Timedelta(weeks=weeks)
    pts = history[(times >= lo) & (times < end)]
    joined = gpd.sjoin(pts[["occurred_at", "geometry"]], hotspots[["geometry"]], predicate="within")
    now = joined["occurred_at"] >= start
    n_now = joined[now].groupby("index_right").size()
    n_before = joined[~now].groupby("index_right").size()
    trends = [
        short_trend_class(
            int(n_now.get(i, 0)), int(n_before.get(i, 0)), weeks_now=weeks_now, weeks_before=float(weeks)
        )
        for i in hotspots.index
    ]
    return pd.Series(trends, index=hotspots.index, dtype=object), weeks
