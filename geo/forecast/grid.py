"""The square grid forecasts are made on: cells of ``cell_m`` metres aligned to multiples of ``cell_m``.

Cells are aligned to the CRS origin (cell ``(i, j)`` covers ``[i·cell_m, (i+1)·cell_m) × [j·cell_m,
(j+1)·cell_m)``), so the same place always falls in the same cell whatever the data's extent, and a cell's
id (``"c{i}_{j}"``) is stable across forecasts and backtests with the same ``cell_m``. A :class:`Grid` is a
dense raster over a bounding box; methods return one value per raster cell in row-major order
(``flat = (i - i0) · ny + (j - j0)``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

__all__ = ["DEFAULT_CELL_M", "Grid", "grid_for"]

DEFAULT_CELL_M = 150.0
"""Default cell side in metres (the backtest protocol's standard)."""

MAX_CELLS = 4_000_000
"""Largest grid built; reports spread wider than that (usually a stray position) must be limited first."""


@dataclass(frozen=True)
class Grid:
    """A dense raster of square cells.

    Attributes
    ----------
    cell_m
        Cell side in metres.
    i0, j0
        Column (x) and row (y) index of the first cell; cell ``(i, j)`` starts at ``(i·cell_m, j·cell_m)``.
    nx, ny
        Number of cells along x and y.
    """

    cell_m: float
    i0: int
    j0: int
    nx: int
    ny: int

    @property
    def size(self) -> int:
        """Number of cells."""
        return self.nx * self.ny

    @property
    def shape(self) -> tuple[int, int]:
        """``(nx, ny)``: the shape of a value array reshaped to 2-D (x first)."""
        return (self.nx, self.ny)

    def flat_index(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Return the flat cell index of each position, or -1 outside the grid.

        Parameters
        ----------
        x, y
            Positions in metres.
        """
        i = np.floor(np.asarray(x, dtype=float) / self.cell_m).astype(np.int64) - self.i0
        j = np.floor(np.asarray(y, dtype=float) / self.cell_m).astype(np.int64) - self.j0
        inside = (i >= 0) & (i < self.nx) & (j >= 0) & (j < self.ny)
        return np.where(inside, i * self.ny + j, -1)

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the x and y of every cell centre (flat order)."""
        i = np.repeat(np.arange(self.nx) + self.i0, self.ny)
        j = np.tile(np.arange(self.ny) + self.j0, self.nx)
        return (i + 0.5) * self.cell_m, (j + 0.5) * self.cell_m

    def cell_ids(self) -> np.ndarray:
        """Return the stable id ``c{i}_{j}`` of every cell (flat order)."""
        i = np.repeat(np.arange(self.nx) + self.i0, self.ny)
        j = np.tile(np.arange(self.ny) + self.j0, self.nx)
        return np.char.add(np.char.add(np.char.add("c", i.astype(str)), "_"), j.astype(str))

    def ring(self, values: np.ndarray, size: int) -> np.ndarray:
        """Sum `values` (one per cell) over the size×size block around each cell, the cell itself excluded."""
        box = ndimage.uniform_filter(values.reshape(self.shape), size=size, mode="constant") * size * size
        return box.ravel() - values

    def counts(self, x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
        """Sum weights (or count positions) per cell; positions outside the grid are ignored.

        Parameters
        ----------
        x, y
            Positions in metres.
        w
            Weights (default 1 each).
        """
        idx = self.flat_index(x, y)
        ok = idx >= 0
        return np.bincount(
            idx[ok], weights=None if w is None else np.asarray(w)[ok], minlength=self.size
        ).astype(float)


def grid_for(x: np.ndarray, y: np.ndarray, *, cell_m: float = DEFAULT_CELL_M, pad_cells: int = 4) -> Grid:
    """Return the grid covering positions with `pad_cells` of margin on every side.

    Parameters
    ----------
    x, y
        Positions in metres (at least one).
    cell_m
        Cell side in metres, > 0.
    pad_cells
        Empty cells added around the positions' bounding box.

    Raises
    ------
    ValueError
        If `cell_m` is not positive, there are no positions, or the grid would exceed :data:`MAX_CELLS`.
    """
    if not cell_m > 0:
        raise ValueError(f"cell_m must be > 0 metres, got {cell_m}")
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        raise ValueError("no positions to build a grid over")
    i = np.floor(x[ok] / cell_m).astype(np.int64)
    j = np.floor(y[ok] / cell_m).astype(np.int64)
    i0, j0 = int(i.min()) - pad_cells, int(j.min()) - pad_cells
    nx = int(i.max()) - i0 + 1 + pad_cells
    ny = int(j.max()) - j0 + 1 + pad_cells
    if nx * ny > MAX_CELLS:
        far = int(np.argmax(np.hypot(x[ok] - np.median(x[ok]), y[ok] - np.median(y[ok]))))
        raise ValueError(
            f"the positions span {nx * cell_m / 1000:,.0f} km × {ny * cell_m / 1000:,.0f} km, "
            f"{nx * ny:,} cells of {cell_m:g} m (limit {MAX_CELLS:,}); the farthest from the middle is at "
            f"x={x[ok][far]:.0f}, y={y[ok][far]:.0f} — limit the study area (--area) or use larger cells"
        )
    return Grid(cell_m=float(cell_m), i0=i0, j0=j0, nx=nx, ny=ny)
