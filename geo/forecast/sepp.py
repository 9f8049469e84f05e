"""Self-exciting point process on the grid, fitted by expectation-maximisation (Mohler et al.).

In each cell ``n`` incidents arrive with intensity

    λ_n(t) = μ_n + Σ_{t_j < t, j in n} θ · ω · exp(−ω (t − t_j))

— a steady background ``μ_n`` plus near-repeat triggering: every incident raises the cell's rate for a
while, by ``θ`` expected follow-ups in all, decaying at rate ``ω`` per day. EM alternates between the
probability that each incident was background or triggered by each earlier one (E step) and closed-form
updates of ``μ``, ``θ`` and ``ω`` (M step), as in Mohler et al. (2015). The forecast risk of a cell is the
expected number of incidents in ``[as_of, as_of + horizon_days)``.

Incidents at the same moment in the same cell (duplicates) never trigger each other; pairs further apart
than `max_lag_days` are ignored (their triggering term is negligible once ``ω`` is fitted).

References
----------
Mohler, G. O., Short, M. B., Malinowski, S., Johnson, M., Tita, G. E., Bertozzi, A. L., & Brantingham,
P. J. (2015). Randomized controlled field trials of predictive policing. JASA, 110(512), 1399-1411.
Mohler, G. O., Short, M. B., Brantingham, P. J., Schoenberg, F. P., & Tita, G. E. (2011). Self-exciting point
process modeling of crime. JASA, 106(493), 100-108.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geo.forecast.events import Events
from geo.grid import Grid

__all__ = ["SeppFit", "fit_sepp", "sepp_risk"]


@dataclass(frozen=True)
class SeppFit:
    """A fitted grid self-exciting process.

    Attributes
    ----------
    mu
        Background rate per cell, incidents per day (flat grid order).
    theta
        Expected follow-up incidents triggered by one incident.
    omega
        Decay rate of triggering per day (mean delay ``1 / omega`` days).
    iterations
        EM iterations run.
    """

    mu: np.ndarray
    theta: float
    omega: float
    iterations: int


def _pairs(cell: np.ndarray, t: np.ndarray, *, max_lag_days: float) -> tuple[np.ndarray, np.ndarray]:
    """Return all (later, earlier) index pairs in one cell with 0 < Δt <= max_lag_days (sorted by cell, t)."""
    later: list[np.ndarray] = []
    earlier: list[np.ndarray] = []
    idx = np.arange(len(t))
    lag = 1
    while lag < len(t):
        a, b = idx[lag:], idx[:-lag]
        ok = (cell[a] == cell[b]) & (t[a] - t[b] <= max_lag_days)
        if not ok.any():
            break
        ok &= t[a] - t[b] > 0
        later.append(a[ok])
        earlier.append(b[ok])
        lag += 1
    if not later:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(later), np.concatenate(earlier)


def fit_sepp(
    past: Events,
    grid: Grid,
    *,
    t_start: float,
    t_end: float,
    max_lag_days: float = 90.0,
    iterations: int = 40,
    tol: float = 1e-5,
) -> tuple[SeppFit, Events]:
    """Fit the grid self-exciting process to events in ``[t_start, t_end)`` by EM.

    Parameters
    ----------
    past
        Events (those outside the fitting period and the grid are ignored).
    grid
        The cells.
    t_start, t_end
        Fitting period in days since the epoch.
    max_lag_days
        Longest delay considered for triggering, in days.
    iterations
        Most EM iterations.
    tol
        Stop when θ and ω change relatively by less than this.

    Returns
    -------
    fit, used
        The fitted parameters and the events they were fitted to.
    """
    cell_all = grid.flat_index(past.x, past.y)
    keep = (past.t >= t_start) & (past.t < t_end) & (cell_all >= 0) & (past.w > 0)
    ev = past.subset(keep)
    cell = cell_all[keep]
    order = np.lexsort((ev.t, cell))
    ev = ev.subset(order)
    cell = cell[order]
    t, w = ev.t, ev.w
    span = max(t_end - t_start, 1.0)
    later, earlier = _pairs(cell, t, max_lag_days=max_lag_days)
    dt = t[later] - t[earlier]
    theta, omega = 0.1, 1.0 / 7.0
    counts = np.bincount(cell, weights=w, minlength=grid.size)
    mu = counts * (1 - theta) / span
    it = 0
    for it in range(1, iterations + 1):  # noqa: B007 - the count is reported
        trig = theta * omega * np.exp(-omega * dt) * w[earlier]
        lam = mu[cell] + np.bincount(later, weights=trig, minlength=len(t))
        p_bg = mu[cell] / lam
        p_tr = trig / lam[later]
        wt = w[later] * p_tr
        new_mu = np.bincount(cell, weights=w * p_bg, minlength=grid.size) / span
        exposure = float(np.sum(w * (1 - np.exp(-omega * np.minimum(t_end - t, max_lag_days)))))
        new_theta = float(wt.sum() / exposure) if exposure > 0 else 0.0
        new_omega = float(wt.sum() / np.sum(wt * dt)) if np.sum(wt * dt) > 0 else omega
        new_theta = min(max(new_theta, 1e-9), 0.99)
        done = abs(new_theta - theta) <= tol * max(theta, 1e-9) and abs(new_omega - omega) <= tol * omega
        mu, theta, omega = new_mu, new_theta, new_omega
        if done:
            break
    return SeppFit(mu=mu, theta=theta, omega=omega, iterations=it), ev


def sepp_risk(
    past: Events,
    grid: Grid,
    *,
    as_of: float,
    horizon_days: float = 7.0,
    seed: int = 0,
    days: float = 365.0,
    max_lag_days: float = 90.0,
) -> np.ndarray:
    """Return the expected incidents per cell in the horizon under the fitted self-exciting process.

    Parameters
    ----------
    past, grid, as_of, horizon_days, seed
        As for every method (see :mod:`geo.forecast.methods`).
    days
        Fitting period: the last `days` days before `as_of`.
    max_lag_days
        Longest triggering delay considered, in days.
    """
    fit, ev = fit_sepp(past, grid, t_start=as_of - days, t_end=as_of, max_lag_days=max_lag_days)
    age = as_of - ev.t
    recent = age <= max_lag_days
    cell = grid.flat_index(ev.x[recent], ev.y[recent])
    boost = (
        fit.theta
        * ev.w[recent]
        * (np.exp(-fit.omega * age[recent]) - np.exp(-fit.omega * (age[recent] + horizon_days)))
    )
    return fit.mu * horizon_days + np.bincount(cell, weights=boost, minlength=grid.size)
