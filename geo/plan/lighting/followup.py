"""Follow-up: dark-time incidents before and after lamps were fixed or added, against a comparison area."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from geo.model import Reports, point_reports
from geo.plan.lighting.words import DARK_WORDS, is_place_report

__all__ = ["FollowUp", "follow_up"]


@dataclass
class FollowUp:
    """Dark-time incidents before and after a change, in the affected and a comparison area.

    Attributes
    ----------
    table
        Rows ``affected`` and ``comparison``: ``area``, ``before``, ``after``, ``days_before``,
        ``days_after``,
        ``change_pct``.
    ratio
        Relative change, (after/before in affected) / (after/before in comparison); < 1 means the affected
        area improved relative to the comparison area. NaN when a count is zero.
    ci_low, ci_high
        Approximate 95 % interval of `ratio` (log scale, Poisson counts: exp(±1.96·√(1/a+1/b+1/c+1/d))).
    note
        Swedish text with the caveat that small counts prove little.
    """

    table: pd.DataFrame
    ratio: float
    ci_low: float
    ci_high: float
    note: str


def _counts(
    times: pd.Series,
    x: np.ndarray,
    y: np.ndarray,
    areas: dict[str, shapely.Geometry],
    *,
    window: tuple[pd.Timestamp, ...],
) -> pd.DataFrame:
    """Incidents in each area in the window before (``start`` to ``day0``) and after (``day1`` to ``end``)."""
    start, day0, day1, end = window
    days = (day0 - start).days
    rows = []
    for name, area in areas.items():
        inside = shapely.contains_xy(area, x, y)
        before = int((inside & (times >= start) & (times < day0)).sum())
        after = int((inside & (times >= day1) & (times < end)).sum())
        rows.append(
            {
                "area": name,
                "before": before,
                "after": after,
                "days_before": days,
                "days_after": days,
                "change_pct": round(100 * (after - before) / before, 1) if before else math.nan,
            }
        )
    return pd.DataFrame(rows)


def _ratio(a: int, b: int, c: int, d: int) -> tuple[float, float, float]:
    """(b/a) / (d/c) and its approximate 95 % interval (log scale, Poisson counts); NaN when a count is 0."""
    if min(a, b, c, d) <= 0:
        return math.nan, math.nan, math.nan
    ratio = (b / a) / (d / c)
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return ratio, ratio * math.exp(-1.96 * se), ratio * math.exp(1.96 * se)


def _note(a: int, b: int, c: int, d: int, *, days: int, ratio: float, lo: float, hi: float) -> str:
    note = (
        f"Mörkerbrott i området: {a} före och {b} efter ({days} dagar vardera); jämförelseområdet: "
        f"{c} före och {d} efter. "
    )
    if math.isfinite(ratio):
        note += f"Relativ förändring {ratio:.2f} (95 % ungefärligt intervall {lo:.2f}–{hi:.2f}). "
        if lo <= 1 <= hi:
            note += "Intervallet omfattar 1: ingen säker skillnad. "
    return note + (
        f"Obs: små tal bevisar lite ({a + b} händelser i området); slumpen, säsong och andra åtgärder kan ge "
        "lika stora skillnader."
    )


def follow_up(
    reports: Reports,
    *,
    affected: shapely.Geometry,
    changed_at: pd.Timestamp,
    comparison: shapely.Geometry | None = None,
    ring_m: tuple[float, float] = (50.0, 500.0),
    window_days: int | None = None,
    dark_words: Sequence[str] = DARK_WORDS,
) -> FollowUp:
    """Compare dark-time incidents before and after lamps were fixed or added.

    Parameters
    ----------
    reports
        Validated reports (dark-time incidents are counted; residents' reports are left out because
        campaigns change how often people report).
    affected
        Where the lamps were fixed or added (polygon in the reports' CRS).
    changed_at
        When (timezone-aware or local date); reports on that day are left out.
    comparison
        Comparison area; default a ring from ``ring_m[0]`` to ``ring_m[1]`` metres around `affected`.
    ring_m
        Inner and outer distance of the default ring in metres.
    window_days
        Days before and after to compare; default the longest equal window the data allow.

    Returns
    -------
    follow_up
        The :class:`FollowUp`.

    Raises
    ------
    ValueError
        If there are no reports before or after `changed_at`.
    """
    pts = point_reports(reports)
    tz = pts["occurred_at"].dt.tz
    t0 = pd.Timestamp(changed_at)
    t0 = t0.tz_localize(tz) if t0.tzinfo is None else t0.tz_convert(tz)
    day0 = t0.normalize()
    day1 = day0 + pd.Timedelta(days=1)
    inc = pts[pts["is_dark"].to_numpy(dtype=bool) & ~is_place_report(pts, dark_words=dark_words)]
    times = inc["occurred_at"]
    if not ((times < day0).any() and (times >= day1).any()):
        raise ValueError(f"no dark-time incidents both before and after {day0.date()}; cannot follow up")
    if window_days is None:
        window_days = int(min((day0 - times.min()).days, (times.max() - day1).days + 1))
    window_days = max(1, int(window_days))
    start, end = day0 - pd.Timedelta(days=window_days), day1 + pd.Timedelta(days=window_days)
    if comparison is None:
        comparison = shapely.difference(
            shapely.buffer(affected, ring_m[1]), shapely.buffer(affected, ring_m[0])
        )
    x, y = shapely.get_x(inc.geometry.to_numpy()), shapely.get_y(inc.geometry.to_numpy())
    areas = {"affected": affected, "comparison": comparison}
    table = _counts(times, x, y, areas, window=(start, day0, day1, end))
    a, b = int(table.loc[0, "before"]), int(table.loc[0, "after"])
    c, d = int(table.loc[1, "before"]), int(table.loc[1, "after"])
    ratio, lo, hi = _ratio(a, b, c, d)
    note = _note(a, b, c, d, days=window_days, ratio=ratio, lo=lo, hi=hi)
    return FollowUp(table=table, ratio=float(ratio), ci_low=float(lo), ci_high=float(hi), note=note)
