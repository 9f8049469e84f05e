"""Evaluate measures: counts before and after in the treated area, its buffer ring and a comparison area.

For each measure, with start ``s``:

- **Places.** Treated area = the measure's polygon; buffer ring = the treated area grown by `buffer_m`,
  minus the treated area; comparison area = every report outside *all* measures' grown areas (and inside
  `control` when given), so no measure's own effect leaks into another's comparison.
- **What counts.** The measure's ``categories`` when given; lighting kinds (:data:`LIGHTING_KINDS`) only
  reports in darkness (``is_dark``) unless ``hours`` says otherwise; ``hours`` (``22-03``,
  ``fre-lör 22-03``, ``dark``) otherwise. Only point reports (not municipality-level ones).
- **Windows.** Before ``[s - L, s)`` and after ``[s, s + L)`` of equal length
  ``L = min(before_days, after_days, days of data before s, days of data after s up to the measure's end)``,
  in whole days; the data run from the first report's day to the end of the last report's day (or
  `period_start`/`period_end`).
- **Verdict** (the rule): ``too_early`` when ``L < min_days`` (too little time after, or before, the start)
  or when both the treated area's expected count after the start, if only the comparison area's trend
  applied (``t0 · c1 / c0``), and its observed count after the start are under `min_expected` (a handful
  of reports gives no verdict; a jump from 5 to 150 does); otherwise ``decrease``/``increase`` when the
  95 % interval of the rate ratio (:func:`~geo.measures.stats.rate_ratio`) excludes no change, else
  ``no_clear_effect``.
- **Buffer verdict.** ``unclear`` when the verdict is ``too_early`` or the buffer's expected count is under
  `min_expected`; when the treated area decreased, ``displacement`` if the buffer's rate ratio against the
  comparison area is significantly above 1, ``diffusion`` if significantly below 1, else ``none``; ``none``
  when the treated area did not decrease.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.measures.hours import Hours, parse_hours
from geo.measures.model import LIGHTING_KINDS, Measures
from geo.measures.stats import rate_ratio, scaled_wdd, wdq
from geo.measures.texts import counted_text, note_text
from geo.model import Reports, point_reports

__all__ = ["CONTRACT_COLUMNS", "Rules", "evaluate_measures", "measure_hours"]

CONTRACT_COLUMNS: tuple[str, ...] = (
    "measure_id",
    "kind",
    "before_start",
    "before_end",
    "after_start",
    "after_end",
    "treated_before",
    "treated_after",
    "buffer_before",
    "buffer_after",
    "control_before",
    "control_after",
    "effect_pct",
    "ci_low",
    "ci_high",
    "p_value",
    "wdd",
    "wdd_se",
    "wdq",
    "verdict",
    "buffer_verdict",
    "note",
)
"""Columns of ``evaluation.csv``, in order."""

DAY_NS = 86_400 * 10**9
HOUR_NS = 3_600 * 10**9


@dataclass(frozen=True)
class Rules:
    """The evaluation's parameters (see the module docstring for how each is used)."""

    buffer_m: float = 200.0
    before_days: int = 365
    after_days: int = 365
    min_days: int = 28
    min_expected: float = 10.0
    comparison_name: str = "övriga området"


def measure_hours(kind: str, hours: str) -> Hours:
    """Return the hours a measure acts in: its ``hours``, or darkness for a lighting kind without any."""
    parsed = parse_hours(hours)
    if parsed.all_day and kind in LIGHTING_KINDS:
        return Hours(dark=True)
    return parsed


class _Points:
    """Point reports sorted by x, with times in ns and a cache of filter masks."""

    def __init__(self, reports: Reports) -> None:
        pts = point_reports(reports)
        order = np.argsort(pts.geometry.x.to_numpy(), kind="stable")
        self.frame = pts.iloc[order].reset_index(drop=True)
        self.x = self.frame.geometry.x.to_numpy()
        self.y = self.frame.geometry.y.to_numpy()
        self.t = pd.DatetimeIndex(self.frame["occurred_at"]).as_unit("ns").asi8
        self._masks: dict[tuple[str, ...], np.ndarray] = {}

    def candidates(self, geom: BaseGeometry) -> np.ndarray:
        """Return the indices of the points inside `geom`."""
        x0, y0, x1, y1 = geom.bounds
        lo, hi = int(np.searchsorted(self.x, x0, side="left")), int(np.searchsorted(self.x, x1, side="right"))
        idx = np.arange(lo, hi)
        idx = idx[(self.y[idx] >= y0) & (self.y[idx] <= y1)]
        return idx[shapely.contains_xy(geom, self.x[idx], self.y[idx])]

    def mask(self, hours: Hours, categories: tuple[str, ...]) -> np.ndarray:
        """Which points a measure with these hours and categories can act on (cached)."""
        key = (str(hours), *categories)
        if key not in self._masks:
            keep = hours.mask(self.frame)
            if categories:
                keep &= self.frame["category"].isin(categories).to_numpy()
            self._masks[key] = keep
        return self._masks[key]


def _count(times: np.ndarray, lo: int, mid: int, hi: int) -> tuple[int, int]:
    """Return the counts in ``[lo, mid)`` and ``[mid, hi)`` of sorted `times`."""
    a, b, c = np.searchsorted(times, [lo, mid, hi], side="left")
    return int(b - a), int(c - b)


def _bounds(pts: _Points, tz: str, start: pd.Timestamp | None, end: pd.Timestamp | None) -> tuple[int, int]:
    if start is None:
        start = pd.Timestamp(pts.t.min(), tz="UTC").tz_convert(tz).normalize()
    if end is None:
        end = pd.Timestamp(pts.t.max(), tz="UTC").tz_convert(tz).normalize() + pd.Timedelta(days=1)
    return int(start.value), int(end.value)


def _window_days(rules: Rules, s: int, stop: int, data: tuple[int, int]) -> int:
    # whole local days; an hour's slack for the days that daylight saving makes 23 or 25 hours long
    before = (s - data[0] + HOUR_NS) // DAY_NS
    after = (min(stop, data[1]) - s + HOUR_NS) // DAY_NS
    return int(max(0, min(rules.before_days, rules.after_days, before, after)))


def _day(ns: int, tz: str) -> str:
    ts = pd.Timestamp(ns, tz="UTC").tz_convert(tz)
    return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.strftime("%Y-%m-%d %H:%M")


def _last_day(ns: int, tz: str) -> str:
    return (pd.Timestamp(ns - 1, tz="UTC").tz_convert(tz)).strftime("%Y-%m-%d")


def _judge(row: dict[str, object], rules: Rules, days: int) -> None:
    """Fill the effect, the statistics and the verdicts of one measure's counts (in place)."""
    t0, t1 = float(row["treated_before"]), float(row["treated_after"])  # type: ignore[arg-type]
    d0, d1 = float(row["buffer_before"]), float(row["buffer_after"])  # type: ignore[arg-type]
    c0, c1 = float(row["control_before"]), float(row["control_after"])  # type: ignore[arg-type]
    trend = c1 / c0 if c0 > 0 else 1.0
    row["expected_after"] = t0 * trend
    rr, rr_d = rate_ratio(t0, t1, c0, c1), rate_ratio(d0, d1, c0, c1)
    row["effect_pct"], row["ci_low"], row["ci_high"] = rr.pct
    row["p_value"] = rr.p_value
    row["buffer_pct"], row["buffer_low"], row["buffer_high"] = rr_d.pct
    row["wdd"], row["wdd_se"] = scaled_wdd(t0, t1, d0, d1, c0, c1)
    row["wdq"] = wdq(t0, t1, d0, d1, c0, c1)
    if days < rules.min_days or max(t0 * trend, t1) < rules.min_expected:
        row["verdict"], row["buffer_verdict"] = "too_early", "unclear"
        return
    row["verdict"] = "decrease" if rr.high < 1 else "increase" if rr.low > 1 else "no_clear_effect"
    if row["verdict"] != "decrease":
        row["buffer_verdict"] = "none"
    elif d0 * trend < rules.min_expected:
        row["buffer_verdict"] = "unclear"
    else:
        row["buffer_verdict"] = "displacement" if rr_d.low > 1 else "diffusion" if rr_d.high < 1 else "none"


def _empty_stats(row: dict[str, object]) -> None:
    for key in ("effect_pct", "ci_low", "ci_high", "p_value", "wdd", "wdd_se", "wdq", "expected_after"):
        row[key] = math.nan
    for key in ("buffer_pct", "buffer_low", "buffer_high"):
        row[key] = math.nan
    row["verdict"], row["buffer_verdict"] = "too_early", "unclear"


def evaluate_measures(
    reports: Reports,
    measures: Measures,
    rules: Rules | None = None,
    *,
    control: BaseGeometry | None = None,
    period_start: pd.Timestamp | None = None,
    period_end: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Return one row a measure: windows, counts, effect with 95 % interval, WDD, WDQ, verdicts and a note.

    Parameters
    ----------
    reports
        Validated reports in the measures' metric CRS. Not modified.
    measures
        Validated measures; each is evaluated against its own place, hours and categories.
    rules
        Buffer width, window lengths and the ``too_early`` thresholds (default :class:`Rules`).
    control
        Comparison polygon in the same CRS (default: the whole area the reports cover); the measures'
        grown areas are always left out of it.
    period_start, period_end
        The data's first instant and end (exclusive); default the first report's day and the end of the
        last report's day.

    Returns
    -------
    frame
        :data:`CONTRACT_COLUMNS` plus ``name``, ``status``, ``focus``, ``counted`` (what was counted, in
        Swedish), ``days`` (window length), ``expected_after``, ``buffer_pct``, ``buffer_low``,
        ``buffer_high``, ``counted_en`` and ``note_en`` (``counted`` and ``note`` in English), in the
        order of `measures`.
    """
    rules = rules or Rules()
    tz = str(reports["occurred_at"].dt.tz)
    pts = _Points(reports)
    data = _bounds(pts, tz, period_start, period_end) if len(pts.t) else (0, 0)
    grown = [shapely.buffer(g, rules.buffer_m) for g in measures.geometry]
    places = [(pts.candidates(g), pts.candidates(o)) for g, o in zip(measures.geometry, grown, strict=True)]
    in_control = np.ones(len(pts.t), dtype=bool)
    for _, outer in places:
        in_control[outer] = False
    if control is not None:
        in_control &= shapely.contains_xy(control, pts.x, pts.y)
    control_times: dict[tuple[str, ...], np.ndarray] = {}
    rows = []
    for m, (inner, outer) in zip(measures.itertuples(index=False), places, strict=True):
        hours = measure_hours(m.kind, m.hours)
        cats = tuple(c.strip() for c in str(m.categories or "").split(";") if c.strip())
        keep = pts.mask(hours, cats)
        key = (str(hours), *cats)
        if key not in control_times:
            control_times[key] = np.sort(pts.t[in_control & keep])
        ring = np.setdiff1d(outer, inner, assume_unique=True)
        s = int(m.start.value)
        stop = int(m.end.value) if pd.notna(m.end) else data[1]
        days = _window_days(rules, s, stop, data) if len(pts.t) else 0
        lo = int((m.start - pd.DateOffset(days=days)).value)
        hi = int((m.start + pd.DateOffset(days=days)).value)
        row: dict[str, object] = {
            "measure_id": m.measure_id,
            "kind": m.kind,
            "before_start": _day(lo, tz),
            "before_end": _last_day(s, tz),
            "after_start": _day(s, tz),
            "after_end": _last_day(hi, tz),
            "name": m.name,
            "status": m.status,
            "focus": m.focus,
            "counted": counted_text(hours, cats),
            "counted_en": counted_text(hours, cats, lang="en"),
            "days": days,
        }
        for label, idx in (("treated", inner), ("buffer", ring)):
            times = np.sort(pts.t[idx[keep[idx]]])
            row[f"{label}_before"], row[f"{label}_after"] = _count(times, lo, s, hi)
        row["control_before"], row["control_after"] = _count(control_times[key], lo, s, hi)
        if days == 0:
            _empty_stats(row)
        else:
            _judge(row, rules, days)
        row["note"] = note_text(row, rules, data=data, start_ns=s, tz=tz, lang="sv")
        row["note_en"] = note_text(row, rules, data=data, start_ns=s, tz=tz, lang="en")
        rows.append(row)
    columns = [*CONTRACT_COLUMNS, "name", "status", "focus", "counted", "days", "expected_after"]
    columns += ["buffer_pct", "buffer_low", "buffer_high", "counted_en", "note_en"]
    return pd.DataFrame(rows, columns=columns)
