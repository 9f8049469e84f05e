"""Forecast entry points: risk per cell or at given points, from reports and a forecast moment.

:func:`risk_on_grid` is the core every path goes through (``geo forecast``, the backtest, the pipeline):
it cuts the events with :func:`~geo.forecast.events.past_only` and only then hands them to the method.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.forecast.events import Events, events_from_reports, past_only, to_days
from geo.forecast.methods import METHODS
from geo.grid import DEFAULT_CELL_M, Grid, grid_for
from geo.model import Reports
from geo.time.parse import local_midnight

__all__ = [
    "DEFAULT_METHOD",
    "as_of_moment",
    "cells_frame",
    "check_method",
    "forecast_cells",
    "forecast_points",
    "grid_risk",
    "risk_on_grid",
]

DEFAULT_METHOD = "blend"
"""The method that won the project's reference backtests (Toronto 2016, 52 weeks; see ``geo backtest``)."""


def as_of_moment(as_of: str | pd.Timestamp, tz: str) -> pd.Timestamp:
    """Return the forecast moment: local midnight starting the given date in `tz`.

    Parameters
    ----------
    as_of
        A date (``"2016-01-04"``) or timestamp; naive values are local to `tz`.
    tz
        The data's IANA zone.
    """
    ts = pd.Timestamp(as_of)
    return local_midnight((ts if ts.tzinfo is None else ts.tz_convert(tz)).date(), tz)


def check_method(method: str) -> str:
    """Return `method` if it is known, else raise ``ValueError`` listing the known ones."""
    if method not in METHODS:
        raise ValueError(f"unknown forecast method '{method}'; choose one of {', '.join(METHODS)}")
    return method


def risk_on_grid(
    events: Events,
    grid: Grid,
    *,
    as_of: float,
    horizon_days: float = 7.0,
    method: str = DEFAULT_METHOD,
    history_days: float | None = None,
    seed: int = 0,
) -> np.ndarray:
    """Risk per grid cell from events known strictly before `as_of` — the one path every forecast takes.

    Parameters
    ----------
    events
        All events (future ones may be present; they are cut here).
    grid
        The cells.
    as_of
        Forecast moment in days since the epoch.
    horizon_days
        Days ahead the risk refers to.
    method
        Name in :data:`geo.forecast.methods.METHODS`.
    history_days
        Use at most this many days before `as_of` (None = all history).
    seed
        Randomness for methods that use it.
    """
    if not horizon_days > 0:
        raise ValueError(f"horizon_days must be > 0, got {horizon_days}")
    past = past_only(events, as_of)
    if history_days is not None:
        past = past.subset(past.t >= as_of - history_days)
    fn = METHODS[check_method(method)].fn
    risk = np.asarray(fn(past, grid, as_of=as_of, horizon_days=horizon_days, seed=seed), dtype=float)
    return np.where(np.isfinite(risk), np.maximum(risk, 0.0), 0.0)


def grid_risk(
    events: Events,
    x: np.ndarray,
    y: np.ndarray,
    *,
    as_of: pd.Timestamp,
    horizon_days: float = 7.0,
    method: str = DEFAULT_METHOD,
    cell_m: float = DEFAULT_CELL_M,
    history_days: float | None = None,
    seed: int = 0,
) -> tuple[Grid, np.ndarray]:
    """Build the grid over the events known before `as_of` and the positions `x`, `y`, and forecast on it.

    Parameters
    ----------
    events
        All events (future ones may be present; they are cut).
    x, y
        Further positions the grid must cover (metres, the events' CRS); may be empty.
    as_of
        Forecast moment, timezone-aware (local midnight).
    horizon_days, method, cell_m, history_days, seed
        As for :func:`forecast_cells`.

    Returns
    -------
    grid, risk
        The grid and the risk of each of its cells (flat order).

    Raises
    ------
    ValueError
        If no event is known before `as_of`, or an argument is invalid.
    """
    moment = float(to_days(as_of))
    past = past_only(events, moment)
    if len(past) == 0:
        raise ValueError(f"no reports before {as_of}: nothing to forecast from")
    grid = grid_for(np.concatenate([past.x, x]), np.concatenate([past.y, y]), cell_m=cell_m)
    risk = risk_on_grid(
        events,
        grid,
        as_of=moment,
        horizon_days=horizon_days,
        method=method,
        history_days=history_days,
        seed=seed,
    )
    return grid, risk


def cells_frame(grid: Grid, risk: np.ndarray, *, crs: object) -> gpd.GeoDataFrame:
    """Return one row a grid cell: ``cell_id``, ``x``, ``y`` (centre), ``risk``, ``rank`` and the square.

    Parameters
    ----------
    grid
        The cells.
    risk
        One value a cell (flat order).
    crs
        The grid's CRS.
    """
    cx, cy = grid.centres()
    half = grid.cell_m / 2
    rank = pd.Series(risk).rank(ascending=False, method="min").astype("int64").to_numpy()
    return gpd.GeoDataFrame(
        {"cell_id": grid.cell_ids(), "x": cx, "y": cy, "risk": risk, "rank": rank},
        geometry=shapely.box(cx - half, cy - half, cx + half, cy + half),
        crs=crs,
    )


def _reports_grid_risk(
    reports: Reports,
    as_of: str | pd.Timestamp,
    x: np.ndarray,
    y: np.ndarray,
    *,
    horizon_days: float,
    method: str,
    cell_m: float,
    history_days: float | None,
    seed: int,
) -> tuple[Grid, np.ndarray]:
    """:func:`grid_risk` on the events of `reports`, `as_of` a date in the reports' zone."""
    return grid_risk(
        events_from_reports(reports),
        x,
        y,
        as_of=as_of_moment(as_of, str(reports["occurred_at"].dt.tz)),
        horizon_days=horizon_days,
        method=method,
        cell_m=cell_m,
        history_days=history_days,
        seed=seed,
    )


def forecast_cells(
    reports: Reports,
    *,
    as_of: str | pd.Timestamp,
    horizon_days: float = 7.0,
    method: str = DEFAULT_METHOD,
    cell_m: float = DEFAULT_CELL_M,
    history_days: float | None = None,
    seed: int = 0,
) -> gpd.GeoDataFrame:
    """Forecast risk for every cell of a square grid over the data's extent.

    Parameters
    ----------
    reports
        Validated reports (metric CRS); reports known at or after `as_of` are ignored.
    as_of
        Forecast date: its local midnight is the forecast moment.
    horizon_days
        Days ahead (default one week).
    method
        Forecast method (default :data:`DEFAULT_METHOD`).
    cell_m
        Cell side in metres.
    history_days
        Use at most this many days of history (None = all).
    seed
        Randomness for methods that use it.

    Returns
    -------
    cells
        One row a cell: ``cell_id``, ``x``, ``y`` (centre, reports' CRS), ``risk`` (expected incidents in the
        horizon for count-free methods, a relative score otherwise; higher = more), ``rank`` (1 = highest),
        and the cell square as ``geometry``.

    Raises
    ------
    ValueError
        If no report lies before `as_of`, or an argument is invalid.
    """
    none = np.empty(0)
    grid, risk = _reports_grid_risk(
        reports,
        as_of,
        none,
        none,
        horizon_days=horizon_days,
        method=method,
        cell_m=cell_m,
        history_days=history_days,
        seed=seed,
    )
    return cells_frame(grid, risk, crs=reports.crs)


def forecast_points(
    reports: Reports,
    x: np.ndarray,
    y: np.ndarray,
    *,
    as_of: str | pd.Timestamp,
    horizon_days: float = 7.0,
    method: str = DEFAULT_METHOD,
    cell_m: float = DEFAULT_CELL_M,
    history_days: float | None = None,
    seed: int = 0,
) -> np.ndarray:
    """Forecast risk at given positions: the risk of the `cell_m` cell each position falls in.

    Parameters
    ----------
    reports
        Validated reports (metric CRS).
    x, y
        Positions in the reports' CRS, metres.
    as_of, horizon_days, method, cell_m, history_days, seed
        As for :func:`forecast_cells`.

    Returns
    -------
    risk
        One value per position.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    grid, risk = _reports_grid_risk(
        reports,
        as_of,
        x,
        y,
        horizon_days=horizon_days,
        method=method,
        cell_m=cell_m,
        history_days=history_days,
        seed=seed,
    )
    return risk[grid.flat_index(x, y)]
