"""The distance band of Gi*, chosen by incremental spatial autocorrelation.

Global Moran's I of the square-cell counts is computed for bands of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 and 10
cells; the band where its z-score (normality assumption) first peaks is the scale at which clustering is
most pronounced. Without a peak (common in cities, where z keeps growing with the band) the band is the mean
distance from each cell holding reports to its 30th nearest such cell, as in optimized hot-spot analysis.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from geo.grid import Grid

__all__ = ["BAND_STEPS", "incremental_morans", "suggest_band"]

BAND_STEPS: tuple[float, ...] = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
"""Bands tried, in cells."""

_NEIGHBOURS = 30


def _raster(
    xy: np.ndarray, bounds: tuple[float, float, float, float], cell_m: float, area: BaseGeometry | None
) -> tuple[Grid, np.ndarray, np.ndarray]:
    """Return the grid over `bounds`, report counts per cell and which cells meet `area` (flat order)."""
    grid = Grid.covering(bounds, cell_m=cell_m)
    xy = np.asarray(xy, dtype="float64").reshape(-1, 2)
    counts = grid.counts(xy[:, 0], xy[:, 1])
    mask = np.ones(grid.size, dtype=bool) if area is None else grid.meets(area)
    return grid, counts, mask


def _moran_row(grid: Grid, z: np.ndarray, mask: np.ndarray, step: float) -> dict[str, float]:
    """Moran's I and its z-score (normality) for a band of `step` cells, from deviations `z` (0 off-mask)."""
    m = mask.astype("float64")
    n = int(mask.sum())
    ss = float((z[mask] ** 2).sum())
    deg = np.rint(grid.disk_sum(m, step)) * m
    s0 = float(deg.sum())
    band_m = step * grid.cell_m
    if n < 3 or s0 <= 0 or ss <= 0:
        return {"band_m": band_m, "moran_i": math.nan, "z": math.nan, "neighbours": s0 / max(n, 1)}
    lagz = grid.disk_sum(z, step) * m
    moran = n / s0 * float((z * lagz).sum()) / ss
    s1 = 2 * s0
    s2 = float((4 * deg[mask] ** 2).sum())
    ei = -1 / (n - 1)
    var = (n * n * s1 - n * s2 + 3 * s0 * s0) / (s0 * s0 * (n * n - 1)) - ei * ei
    z_score = (moran - ei) / math.sqrt(var) if var > 0 else math.nan  # a sparse area can give var 0
    return {"band_m": band_m, "moran_i": moran, "z": z_score, "neighbours": s0 / n}


def incremental_morans(
    xy: np.ndarray,
    *,
    cell_m: float,
    bounds: tuple[float, float, float, float],
    area: BaseGeometry | None = None,
    steps: tuple[float, ...] = BAND_STEPS,
) -> pd.DataFrame:
    """Global Moran's I of square-cell counts over increasing binary distance bands.

    Parameters
    ----------
    xy
        ``(n, 2)`` positions in metres.
    cell_m
        Cell side in metres.
    bounds
        Extent of the grid.
    area
        Cells meeting this polygon only.
    steps
        Bands in cells.

    Returns
    -------
    table
        Columns ``band_m``, ``moran_i``, ``z`` (normality assumption), ``neighbours`` (mean per cell).
    """
    grid, counts, mask = _raster(xy, bounds, cell_m, area)
    mean = counts[mask].mean() if mask.any() else 0.0
    z = np.where(mask, counts - mean, 0.0)
    return pd.DataFrame([_moran_row(grid, z, mask, step) for step in steps])


def _first_peak(zs: np.ndarray) -> int | None:
    for k in range(1, len(zs) - 1):
        if np.isfinite(zs[k]) and zs[k] > zs[k - 1] and zs[k] >= zs[k + 1]:
            return k
    return None


def _band_from_spacing(
    xy: np.ndarray,
    bounds: tuple[float, float, float, float],
    cell_m: float,
    area: BaseGeometry | None,
    bands: np.ndarray,
) -> tuple[float, str]:
    """Band: mean distance from each cell with reports to its 30th nearest such cell."""
    grid, counts, mask = _raster(xy, bounds, cell_m, area)
    rows = grid.by_rows()
    rows = rows[(counts[rows] > 0) & mask[rows]]
    i, j = grid.indices()
    centres = np.column_stack([i[rows] - grid.i0, j[rows] - grid.j0]).astype("float64") * cell_m
    if len(centres) < 2:
        band = 3 * cell_m
        return band, (
            f"band {band:g} m: 3 celler / 3 cells (för få celler med rapporter / too few cells with reports)"
        )
    k = min(_NEIGHBOURS, len(centres) - 1)
    d, _ = cKDTree(centres).query(centres, k=k + 1)
    mean_d = float(np.asarray(d)[:, -1].mean())
    band = max(cell_m, math.ceil(mean_d / (cell_m / 2)) * (cell_m / 2))
    return band, (
        f"band {band:g} m: Moran's I z saknar topp över / has no peak over {bands[0]:g}–{bands[-1]:g} m "
        f"(inkrementell spatial autokorrelation); medelavstånd till {k} närmaste celler med rapporter / "
        f"mean distance to the {k} nearest cells with reports"
    )


def suggest_band(
    xy: np.ndarray,
    *,
    cell_m: float,
    bounds: tuple[float, float, float, float],
    area: BaseGeometry | None = None,
) -> tuple[float, str]:
    """Distance band from incremental spatial autocorrelation (first peak of Moran's I z-score).

    Parameters
    ----------
    xy
        ``(n, 2)`` positions in metres.
    cell_m
        Cell side in metres.
    bounds
        Extent of the grid.
    area
        Study polygon.

    Returns
    -------
    band_m, reason
    """
    table = incremental_morans(xy, cell_m=cell_m, bounds=bounds, area=area)
    zs = table["z"].to_numpy()
    bands = table["band_m"].to_numpy()
    if not np.isfinite(zs).any():
        band = 3 * cell_m
        return band, f"band {band:g} m: 3 celler / 3 cells (ingen variation / no variation to measure)"
    peak = _first_peak(zs)
    if peak is None:
        return _band_from_spacing(xy, bounds, cell_m, area, bands)
    band = float(bands[peak])
    return band, (
        f"band {band:g} m: inkrementell spatial autokorrelation, första toppen / first peak av Moran's I z "
        f"(z={zs[peak]:.1f}) över / over {bands[0]:g}–{bands[-1]:g} m"
    )
