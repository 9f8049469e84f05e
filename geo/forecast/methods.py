"""Forecasting methods: each turns past events into a risk per grid cell for the coming horizon.

Every method has the same signature::

    method(past: Events, grid: Grid, *, as_of: float, horizon_days: float, seed: int) -> np.ndarray

``past`` holds only events known strictly before ``as_of`` (the caller cuts them with
:func:`geo.forecast.events.past_only`; the methods never see anything else), ``as_of`` is in days since the
epoch, and the result has one risk per cell of ``grid`` (flat order): higher means more expected incidents
in ``[as_of, as_of + horizon_days)``. Risks compare within one forecast; their scale differs by method.

The registry :data:`METHODS` names them; :data:`BASELINES` are the naive methods every backtest includes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from geo.forecast.events import Events
from geo.grid import Grid

__all__ = [
    "BASELINES",
    "METHODS",
    "Method",
    "count_risk",
    "kde_risk",
    "prospective_risk",
]

MethodFn = Callable[..., np.ndarray]


def _window(past: Events, as_of: float, days: float | None) -> Events:
    """Events within `days` before `as_of` (all when `days` is None)."""
    if days is None:
        return past
    return past.subset(past.t >= as_of - days)


def count_risk(
    past: Events,
    grid: Grid,
    *,
    as_of: float,
    horizon_days: float = 7.0,
    seed: int = 0,
    days: float | None = 365.0,
) -> np.ndarray:
    """Risk = weighted count of incidents in the cell over the last `days` days (all history when None).

    Parameters
    ----------
    past
        Events known before `as_of`.
    grid
        The cells.
    as_of
        Forecast moment, days since the epoch.
    horizon_days
        Unused (a count ranks the same for any horizon); kept for the common signature.
    seed
        Unused.
    days
        Length of the counting window in days, or None for all history.
    """
    ev = _window(past, as_of, days)
    return grid.counts(ev.x, ev.y, ev.w)


def kde_risk(
    past: Events,
    grid: Grid,
    *,
    as_of: float,
    horizon_days: float = 7.0,
    seed: int = 0,
    bandwidth_m: float = 300.0,
    days: float | None = 365.0,
    subcells: int = 3,
) -> np.ndarray:
    """Risk = Gaussian kernel density of the last `days` days of incidents, averaged over each cell.

    Incidents are binned on a raster `subcells` times finer than the grid, smoothed with a Gaussian of
    standard deviation `bandwidth_m` (truncated at 4 σ), and the density is averaged over each cell.

    Parameters
    ----------
    past, grid, as_of, horizon_days, seed
        As for every method (see the module docstring).
    bandwidth_m
        Kernel standard deviation in metres, > 0.
    days
        Window of incidents used, in days (None = all history).
    subcells
        Raster refinement per cell side (1 = smooth the cell counts directly).
    """
    if not bandwidth_m > 0:
        raise ValueError(f"bandwidth_m must be > 0, got {bandwidth_m}")
    ev = _window(past, as_of, days)
    s = max(1, int(subcells))
    fine = Grid(cell_m=grid.cell_m / s, i0=grid.i0 * s, j0=grid.j0 * s, nx=grid.nx * s, ny=grid.ny * s)
    raster = fine.counts(ev.x, ev.y, ev.w).reshape(fine.shape)
    dens = ndimage.gaussian_filter(raster, sigma=bandwidth_m / fine.cell_m, mode="constant", truncate=4.0)
    return dens.reshape(grid.nx, s, grid.ny, s).mean(axis=(1, 3)).ravel()


def prospective_risk(
    past: Events,
    grid: Grid,
    *,
    as_of: float,
    horizon_days: float = 7.0,
    seed: int = 0,
    bandwidth_m: float = 400.0,
    weeks: int = 8,
) -> np.ndarray:
    """Prospective hot-spotting (Bowers, Johnson & Pease 2004): recent nearby incidents raise the risk.

    Each incident of the last `weeks` weeks within `bandwidth_m` of a cell adds
    ``1 / (1 + d) · 1 / (1 + w)``, where ``d`` is the distance between the two cells' centres in cell widths
    and ``w`` the incident's age in whole weeks (0 for the last 7 days).

    Parameters
    ----------
    past, grid, as_of, horizon_days, seed
        As for every method (see the module docstring).
    bandwidth_m
        Spatial reach in metres (400 m in the original study).
    weeks
        Temporal reach in weeks (8 weeks, about two months, in the original study).

    References
    ----------
    Bowers, K. J., Johnson, S. D., & Pease, K. (2004). Prospective hot-spotting: the future of crime
    mapping? British Journal of Criminology, 44(5), 641-658.
    """
    reach = int(np.floor(bandwidth_m / grid.cell_m))
    di, dj = np.meshgrid(np.arange(-reach, reach + 1), np.arange(-reach, reach + 1), indexing="ij")
    d_cells = np.hypot(di, dj)
    kernel = np.where(d_cells * grid.cell_m <= bandwidth_m, 1.0 / (1.0 + d_cells), 0.0)
    ev = _window(past, as_of, 7.0 * weeks)
    age_weeks = np.floor((as_of - ev.t) / 7.0).astype(np.int64)
    total = np.zeros(grid.size)
    for w in range(weeks):
        m = age_weeks == w
        if not m.any():
            continue
        counts = grid.counts(ev.x[m], ev.y[m], ev.w[m]).reshape(grid.shape)
        total += ndimage.convolve(counts, kernel, mode="constant").ravel() / (1.0 + w)
    return total


@dataclass(frozen=True)
class Method:
    """A named forecasting method.

    Attributes
    ----------
    name
        Registry name (``count_365``, ``learned``, ...).
    fn
        The function (see the module docstring for its signature).
    description
        One line, "svenska / english".
    baseline
        Whether it is one of the naive baselines every backtest includes.
    """

    name: str
    fn: MethodFn
    description: str
    baseline: bool = False


def _count(days: float | None) -> MethodFn:
    def fn(past: Events, grid: Grid, *, as_of: float, horizon_days: float = 7.0, seed: int = 0) -> np.ndarray:
        return count_risk(past, grid, as_of=as_of, horizon_days=horizon_days, seed=seed, days=days)

    return fn


def _registry() -> dict[str, Method]:
    from geo.forecast.blend import blend_risk
    from geo.forecast.learned import learned_risk
    from geo.forecast.sepp import sepp_risk

    methods = [
        Method("count_28", _count(28.0), "antal senaste 28 dagar / count over the last 28 days", True),
        Method("count_365", _count(365.0), "antal senaste 365 dagar / count over the last 365 days", True),
        Method("count_all", _count(None), "antal hela historiken / count over all history", True),
        Method("kde", kde_risk, "gaussisk KDE 300 m, 365 dagar / Gaussian KDE 300 m over 365 days", True),
        Method(
            "prospective",
            prospective_risk,
            "prospektiv hot-spotting 400 m, 8 veckor (Bowers m.fl.) / "
            "prospective hot-spotting (Bowers et al.)",
        ),
        Method(
            "sepp",
            sepp_risk,
            "självexciterande punktprocess, EM (Mohler m.fl.) / "
            "self-exciting point process by EM (Mohler et al.)",
        ),
        Method(
            "learned",
            learned_risk,
            "gradient boosting över cellegenskaper / gradient boosting over per-cell features",
        ),
        Method(
            "blend",
            blend_risk,
            "inlärd blandning av tidsfönster och grannar / learned blend of count windows and neighbours",
        ),
    ]
    return {m.name: m for m in methods}


METHODS: dict[str, Method] = _registry()
"""Every method by name."""

BASELINES: tuple[str, ...] = tuple(name for name, m in METHODS.items() if m.baseline)
"""The naive methods always included in a backtest."""
