"""A learned forecast: gradient boosting (scikit-learn) over per-cell features, trained on the past only.

For a forecast at ``as_of`` the model is trained on earlier *origins* ``o`` (every `origin_step_days` days,
the latest ending its target period at ``as_of``): features computed from incidents before ``o`` and the
target = incidents in ``[o, o + target_days)`` per day. Then the features at ``as_of`` give the forecast
(rate × horizon). Nothing at or after ``as_of`` enters: training targets end at ``as_of``.

Features per cell (weighted counts, so duplicates count by weight and time windows by aoristic share):

* counts over the last 7, 28, 91, 182 and 365 days, and the yearly rate over all earlier history;
* neighbours: incidents of the last 365 and 28 days in the 3×3 and 5×5 cells around (the cell excluded);
* recency: days since the latest incident (capped at 730);
* category mix: share of each of the five most common categories over 365 days;
* darkness: share of the last 365 days' incidents in darkness;
* season: incidents in the same weeks one year earlier, and in the year before the last (NaN when the
  history is too short).

The regressor is :class:`sklearn.ensemble.HistGradientBoostingRegressor` with Poisson loss, trained on the
cells active (≥ 1 incident) in the 365 days before each origin.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits

from geo.forecast.events import Events
from geo.grid import Grid

__all__ = ["cell_features", "learned_risk"]

N_CATEGORIES = 5


def cell_features(
    cell: np.ndarray, past: Events, grid: Grid, *, origin: float, target_days: float, history_start: float
) -> dict[str, np.ndarray]:
    """Compute the per-cell feature columns at one origin.

    Parameters
    ----------
    cell
        Flat cell index of each event of `past` (-1 outside the grid).
    past
        Events; only those with ``t < origin`` are used.
    grid
        The cells.
    origin
        The moment features describe, days since the epoch.
    target_days
        Length of the period predicted (for the seasonal feature).
    history_start
        Earliest moment data may come from (the start of the available history).

    Returns
    -------
    features
        Column name -> one value per grid cell.
    """
    use = (past.t < origin) & (cell >= 0)
    c, t, w = cell[use], past.t[use], past.w[use]
    age = origin - t
    n = grid.size

    def count(mask: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(c[mask], weights=(w if weights is None else weights)[mask], minlength=n)

    f: dict[str, np.ndarray] = {}
    for d in (7, 28, 91, 182, 365):
        f[f"count_{d}"] = count(age <= d)
    span_years = max((origin - history_start) / 365.25, 1.0 / 52)
    f["rate_all"] = count(age >= 0) / span_years
    for name, base in (("count_365", f["count_365"]), ("count_28", f["count_28"])):
        f[f"ring3_{name}"] = grid.ring(base, 3)
        f[f"ring5_{name}"] = grid.ring(base, 5)
    last = np.full(n, 730.0)
    np.minimum.at(last, c, np.minimum(age, 730.0))
    f["days_since_last"] = last
    year = age <= 365
    total = f["count_365"]
    safe = np.where(total > 0, total, 1.0)
    cats = past.cat[use]
    for k in range(min(N_CATEGORIES, len(past.categories))):
        f[f"share_cat{k}"] = np.where(total > 0, count(year & (cats == k)) / safe, np.nan)
    f["share_dark"] = np.where(total > 0, count(year & past.dark[use]) / safe, np.nan)
    reach = origin - history_start
    lo, hi = 365.0 - target_days - 28.0, 365.0 + 28.0
    f["season_last_year"] = count((age > lo) & (age <= hi)) if reach >= hi else np.full(n, np.nan)
    f["count_prev_year"] = count((age > 365) & (age <= 730)) if reach >= 730 else np.full(n, np.nan)
    return f


def learned_risk(
    past: Events,
    grid: Grid,
    *,
    as_of: float,
    horizon_days: float = 7.0,
    seed: int = 0,
    target_days: float = 28.0,
    origins: int = 12,
    origin_step_days: float = 14.0,
    max_iter: int = 150,
    n_threads: int = 1,
) -> np.ndarray:
    """Forecast with gradient boosting trained on earlier weeks of the same data.

    Parameters
    ----------
    past, grid, as_of, horizon_days
        As for every method (see :mod:`geo.forecast.methods`).
    seed
        Random state of the regressor.
    target_days
        Length of each training target period in days (longer = less noisy targets).
    origins
        Training origins.
    origin_step_days
        Days between training origins.
    max_iter
        Boosting iterations.
    n_threads
        OpenMP threads for the regressor (1 by default: on a shared machine more threads than free cores
        make gradient boosting many times slower, never faster).

    Returns
    -------
    risk
        Expected incidents per cell in the horizon.
    """
    if len(past) == 0:
        return np.zeros(grid.size)
    cell = grid.flat_index(past.x, past.y)
    history_start = float(past.t.min())
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    names: list[str] = []
    for j in range(origins):
        origin = as_of - target_days - j * origin_step_days
        if origin - history_start < 91:
            break
        f = cell_features(
            cell, past, grid, origin=origin, target_days=target_days, history_start=history_start
        )
        names = list(f)
        rows = np.flatnonzero(f["count_365"] > 0)
        in_target = (past.t >= origin) & (past.t < origin + target_days) & (cell >= 0)
        target = np.bincount(cell[in_target], weights=past.w[in_target], minlength=grid.size) / target_days
        xs.append(np.column_stack([f[k][rows] for k in names]))
        ys.append(target[rows])
    f_now = cell_features(
        cell, past, grid, origin=as_of, target_days=target_days, history_start=history_start
    )
    if not xs or sum(len(y) for y in ys) < 50:
        return f_now["count_365"] / 365.0 * horizon_days
    model = HistGradientBoostingRegressor(
        loss="poisson",
        learning_rate=0.08,
        max_iter=max_iter,
        max_leaf_nodes=15,
        min_samples_leaf=100,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=seed,
    )
    train = np.vstack(xs)
    usable = ~np.all(np.isnan(train), axis=0)  # a feature the history is too short for everywhere
    with threadpool_limits(limits=n_threads):
        model.fit(train[:, usable], np.concatenate(ys))
    known = np.flatnonzero((f_now["rate_all"] > 0) | (f_now["ring5_count_365"] > 0))
    risk = np.zeros(grid.size)
    if len(known):
        now = np.column_stack([f_now[k][known] for k in names])[:, usable]
        with threadpool_limits(limits=n_threads):
            risk[known] = model.predict(now) * horizon_days
    return risk
