"""Rolling-origin backtest: week by week, fit on the past only, forecast the next week, score it.

Scores follow :mod:`geo.forecast.score`. Active cells are, by default, the cells with at least one incident
in the `active_days` (365) days before each forecast moment — the cells an analyst could consider then; a
fixed reference period can be given instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.forecast.events import Events, past_only, to_days
from geo.forecast.methods import BASELINES, METHODS
from geo.forecast.predict import check_method, risk_on_grid
from geo.forecast.score import score_forecast
from geo.grid import DEFAULT_CELL_M, Grid, grid_for

__all__ = ["COVERAGES_PCT", "BacktestResult", "backtest", "recommend", "summarise"]

COVERAGES_PCT: tuple[float, ...] = (1.0, 5.0, 10.0)
"""Coverages scored, percent of active cells."""

REFERENCE_BASELINE = "count_365"
"""The baseline a recommended method is compared with."""


@dataclass(frozen=True)
class BacktestResult:
    """What a backtest found.

    Attributes
    ----------
    weeks
        One row a week, method and coverage: ``week``, ``week_start``, ``method``, ``coverage_pct``, ``pai``,
        ``hit_rate``, ``pei``, ``hits``, ``incidents``, ``k``, ``n_active``, ``seconds``.
    summary
        One row a method and coverage: ``method``, ``coverage_pct``, ``mean_pai``, ``median_pai``,
        ``mean_hit_rate``, ``mean_pei``, ``median_hit_rate``, ``weeks``, ``seconds_per_week``,
        ``pai_vs_count_365`` (mean PAI over that of the 365-day count).
    recommended
        The method :func:`recommend` picks.
    """

    weeks: pd.DataFrame
    summary: pd.DataFrame
    recommended: str


def summarise(weeks: pd.DataFrame) -> pd.DataFrame:
    """Mean and median scores per method and coverage from a weekly table (NaN weeks left out)."""
    g = weeks.groupby(["method", "coverage_pct"], sort=False)
    out = g.agg(
        mean_pai=("pai", "mean"),
        median_pai=("pai", "median"),
        mean_hit_rate=("hit_rate", "mean"),
        mean_pei=("pei", "mean"),
        median_hit_rate=("hit_rate", "median"),
        weeks=("pai", "count"),
        seconds_per_week=("seconds", "mean"),
    ).reset_index()
    if REFERENCE_BASELINE in set(out["method"]):
        base = out[out["method"] == REFERENCE_BASELINE].set_index("coverage_pct")["mean_pai"]
        out["pai_vs_count_365"] = out["mean_pai"] / out["coverage_pct"].map(base)
    else:
        out["pai_vs_count_365"] = np.nan
    return out


def recommend(summary: pd.DataFrame, *, coverage_pct: float = 5.0) -> str:
    """Pick the method to recommend for this data.

    Among the methods whose mean PAI at `coverage_pct` is at least that of the 365-day count (the count itself
    always qualifies), the one with the highest average, over all coverages scored, of its mean PAI relative
    to the best mean PAI at that coverage. Ties go to the method listed first.

    Parameters
    ----------
    summary
        The table from :func:`summarise`.
    coverage_pct
        Coverage the baseline condition is checked at (5 % by default: a share of a town one can patrol).
    """
    table = summary.dropna(subset=["mean_pai"])
    if table.empty:
        return (
            REFERENCE_BASELINE
            if REFERENCE_BASELINE in set(summary["method"])
            else str(summary["method"].iloc[0])
        )
    best = table.groupby("coverage_pct")["mean_pai"].transform("max")
    rel = (table["mean_pai"] / best).groupby(table["method"], sort=False).mean()
    at = table[table["coverage_pct"] == coverage_pct].set_index("method")["mean_pai"]
    if REFERENCE_BASELINE in at.index:
        floor = at[REFERENCE_BASELINE]
        eligible = [m for m in rel.index if m == REFERENCE_BASELINE or (m in at.index and at[m] >= floor)]
        rel = rel[eligible]
    top = rel.max()
    return str(rel[rel >= top - 1e-12].index[0])


def _methods(methods: Sequence[str] | None) -> list[str]:
    """Return the methods compared: every method by default, else the baselines and the chosen ones."""
    chosen = list(methods) if methods else list(METHODS)
    for m in chosen:
        check_method(m)
    return list(dict.fromkeys([*BASELINES, *chosen])) if methods else chosen


def _fixed_active(
    events: Events, grid: Grid, cells: np.ndarray, active_from: pd.Timestamp, active_to: pd.Timestamp
) -> np.ndarray:
    """Return the cells with an incident in ``[active_from, active_to)`` (a fixed reference period)."""
    a0, a1 = float(to_days(active_from)), float(to_days(active_to))
    m = (events.t >= a0) & (events.t < a1) & (events.w > 0)
    return np.flatnonzero(np.bincount(cells[m], minlength=grid.size) > 0)


def _recent_active(events: Events, grid: Grid, *, as_of: float, active_days: float) -> np.ndarray:
    """Return the cells with an incident known in the `active_days` days before `as_of`."""
    past = past_only(events, as_of)
    pc = grid.flat_index(past.x, past.y)
    recent = (past.t >= as_of - active_days) & (past.w > 0)
    return np.flatnonzero(np.bincount(pc[recent], minlength=grid.size) > 0)


def _score_rows(
    risk: np.ndarray,
    truth: np.ndarray,
    coverages_pct: Sequence[float],
    *,
    week: int,
    week_start: str,
    method: str,
    seconds: float,
) -> list[dict[str, object]]:
    """Return one row a coverage: the scores of `risk` against `truth` (both over the active cells)."""
    rows: list[dict[str, object]] = []
    for cov in coverages_pct:
        s = score_forecast(risk, truth, coverage_pct=cov)
        rows.append(
            {
                "week": week,
                "week_start": week_start,
                "method": method,
                "coverage_pct": float(cov),
                "pai": s.pai,
                "hit_rate": s.hit_rate,
                "pei": s.pei,
                "hits": s.hits,
                "incidents": s.incidents,
                "k": s.k,
                "n_active": s.n_active,
                "seconds": seconds,
            }
        )
    return rows


def backtest(
    events: Events,
    *,
    start: pd.Timestamp,
    weeks: int,
    methods: Sequence[str] | None = None,
    cell_m: float = DEFAULT_CELL_M,
    coverages_pct: Sequence[float] = COVERAGES_PCT,
    active_from: pd.Timestamp | None = None,
    active_to: pd.Timestamp | None = None,
    active_days: float = 365.0,
    horizon_days: int = 7,
    history_days: float | None = None,
    seed: int = 0,
    progress: Callable[[int, int, str], None] | None = None,
) -> BacktestResult:
    """Run the rolling-origin backtest.

    Parameters
    ----------
    events
        All events (the backtest cuts them to the past for every forecast).
    start
        First forecast moment, timezone-aware local midnight.
    weeks
        Forecasts to make, each `horizon_days` after the previous (local calendar days).
    methods
        Methods to compare; the baselines are always added. Default: every method.
    cell_m
        Cell side in metres.
    coverages_pct
        Coverages to score, percent of active cells.
    active_from, active_to
        Fixed reference period for active cells (``active_to`` exclusive); default: the `active_days` days
        before each forecast moment.
    active_days
        Length of the rolling reference period in days.
    horizon_days
        Days forecast and scored each week.
    history_days
        Limit each method to this many days of history (None = all before the forecast moment).
    seed
        Randomness for methods that use it.
    progress
        Called with ``(step, total, message)`` after each forecast.

    Returns
    -------
    result
        Weekly and summary tables and the recommended method.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware (local midnight of the data's zone)")
    if weeks < 1:
        raise ValueError(f"weeks must be >= 1, got {weeks}")
    chosen = _methods(methods)
    if len(events) == 0:
        raise ValueError("no events to backtest on")
    if (active_from is None) != (active_to is None):
        raise ValueError("give both active_from and active_to, or neither")
    grid = grid_for(events.x, events.y, cell_m=cell_m)
    cells = grid.flat_index(events.x, events.y)
    fixed = None
    if active_from is not None and active_to is not None:
        fixed = _fixed_active(events, grid, cells, active_from, active_to)
    rows: list[dict[str, object]] = []
    step, total = 0, weeks * len(chosen)
    for week in range(weeks):
        wall = start.tz_localize(None) + pd.Timedelta(days=horizon_days * week)
        moment = wall.tz_localize(start.tz)
        as_of = float(to_days(moment))
        end = float(to_days((wall + pd.Timedelta(days=horizon_days)).tz_localize(start.tz)))
        in_week = (events.t >= as_of) & (events.t < end)
        truth_all = np.bincount(cells[in_week], weights=events.w[in_week], minlength=grid.size)
        active = (
            fixed if fixed is not None else _recent_active(events, grid, as_of=as_of, active_days=active_days)
        )
        for name in chosen:
            t0 = time.perf_counter()
            risk = risk_on_grid(
                events,
                grid,
                as_of=as_of,
                horizon_days=horizon_days,
                method=name,
                history_days=history_days,
                seed=seed,
            )
            rows += _score_rows(
                risk[active],
                truth_all[active],
                coverages_pct,
                week=week + 1,
                week_start=moment.date().isoformat(),
                method=name,
                seconds=time.perf_counter() - t0,
            )
            step += 1
            if progress:
                progress(step, total, f"{moment.date()} {name}")
    weekly = pd.DataFrame(rows)
    summary = summarise(weekly)
    return BacktestResult(weeks=weekly, summary=summary, recommended=recommend(summary))
