"""The one grid of lagesbild: square cells aligned to the CRS origin, and the hexagonal cells of Gi*.

Square cell ``(i, j)`` of side ``cell_m`` covers ``[i·cell_m, (i+1)·cell_m) × [j·cell_m, (j+1)·cell_m)``, so
the same place always falls in the same cell whatever the data's extent, a cell's corners depend only on the
CRS and the cell size (never on where the reports are), and neighbouring cells share their edges exactly.
Every grid is made here:

- Gi* counts reports on square or hexagonal cells and sums them over a distance band
  (:mod:`geo.hotspots.gistar`, :func:`band_weights`, :meth:`Grid.disk_sum`);
- forecasts are made on a dense :class:`Grid` (:func:`grid_for`, :meth:`Grid.ring`);
- the maps count reports per cell and draw hot-spot areas as unions of cells (:mod:`geo.maps.aggregate`);
- DBSCAN/HDBSCAN hot-spot shapes are unions of occupied cells (:func:`geo.hotspots.objects.cell_union`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely
from scipy import ndimage
from scipy.signal import fftconvolve
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

__all__ = [
    "DEFAULT_CELL_M",
    "MAX_CELLS",
    "Grid",
    "band_weights",
    "cell_boxes",
    "cell_index",
    "cell_keys",
    "count_in_cells",
    "grid_for",
    "hex_centres",
    "hexagons",
    "nearest_counts",
    "nice_cell_m",
]

DEFAULT_CELL_M = 150.0
"""Default cell side of forecasts and backtests in metres (the backtest protocol's standard)."""

MAX_CELLS = 4_000_000
"""Largest grid built; reports spread wider than that (usually a stray position) must be limited first."""

_TOL = 1e-9


def nice_cell_m(value_m: float, steps: tuple[float, ...] = (1, 2, 2.5, 5)) -> float:
    """Round a size up to one of `steps` times a power of ten (1, 2, 2.5 or 5 × 10^k by default)."""
    if value_m <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(value_m))
    for s in (*steps, 10):
        if s * mag >= value_m - 1e-9:
            return float(s * mag)
    return float(10 * mag)


def cell_index(x: np.ndarray, y: np.ndarray, *, cell_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the column ``i`` and row ``j`` (int64) of the square cell holding each position."""
    i = np.floor(np.asarray(x, dtype=float) / cell_m).astype(np.int64)
    j = np.floor(np.asarray(y, dtype=float) / cell_m).astype(np.int64)
    return i, j


def cell_keys(i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """One int64 per cell, ordered as ``(i, j)`` lexicographically (for ``|j| < 2³¹``)."""
    return np.asarray(i, dtype=np.int64) * 4_294_967_296 + np.asarray(j, dtype=np.int64)


def cell_boxes(i: np.ndarray, j: np.ndarray, *, cell_m: float) -> np.ndarray:
    """Return the squares of cells ``(i, j)`` (shapely polygons; neighbours share their edges exactly)."""
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    return shapely.box(i * cell_m, j * cell_m, (i + 1) * cell_m, (j + 1) * cell_m)


def count_in_cells(
    i: np.ndarray, j: np.ndarray, x: np.ndarray, y: np.ndarray, *, cell_m: float
) -> np.ndarray:
    """Count positions in each listed square cell ``(i[k], j[k])``; positions in other cells are ignored.

    Parameters
    ----------
    i, j
        The cells (distinct).
    x, y
        Positions in metres.
    cell_m
        Cell side in metres.
    """
    if len(i) == 0 or len(x) == 0:
        return np.zeros(len(i))
    pi, pj = cell_index(x, y, cell_m=cell_m)
    idx = pd.Index(cell_keys(i, j)).get_indexer(cell_keys(pi, pj))
    return np.bincount(idx[idx >= 0], minlength=len(i)).astype("float64")


@dataclass(frozen=True)
class Grid:
    """A dense raster of square cells.

    Values over the grid are flat arrays in column order: ``flat = (i - i0) · ny + (j - j0)``; reshaped to
    :attr:`shape` ``(nx, ny)`` they are indexed ``[i - i0, j - j0]``.

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

    @classmethod
    def covering(cls, bounds: tuple[float, float, float, float], *, cell_m: float) -> Grid:
        """Return the grid of every cell meeting `bounds` ``(xmin, ymin, xmax, ymax)`` (edges included)."""
        if not cell_m > 0:
            raise ValueError(f"cell_m must be > 0 metres, got {cell_m}")
        xmin, ymin, xmax, ymax = bounds
        i0, j0 = math.floor(xmin / cell_m), math.floor(ymin / cell_m)
        nx = math.floor(xmax / cell_m) - i0 + 1
        ny = math.floor(ymax / cell_m) - j0 + 1
        return cls(cell_m=float(cell_m), i0=i0, j0=j0, nx=nx, ny=ny)

    @property
    def size(self) -> int:
        """Number of cells."""
        return self.nx * self.ny

    @property
    def shape(self) -> tuple[int, int]:
        """``(nx, ny)``: the shape of a value array reshaped to 2-D (x first)."""
        return (self.nx, self.ny)

    def indices(self, *, by_rows: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Return ``i`` and ``j`` of every cell: flat order, or with `by_rows` the :meth:`by_rows` order."""
        i = np.repeat(np.arange(self.nx, dtype=np.int64) + self.i0, self.ny)
        j = np.tile(np.arange(self.ny, dtype=np.int64) + self.j0, self.nx)
        if by_rows:
            rows = self.by_rows()
            return i[rows], j[rows]
        return i, j

    def by_rows(self) -> np.ndarray:
        """Flat indices ordered row by row (``j`` outer, ``i`` inner), as an image is stored."""
        return np.arange(self.size).reshape(self.nx, self.ny).T.ravel()

    def flat_index(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Return the flat cell index of each position, or -1 outside the grid.

        Parameters
        ----------
        x, y
            Positions in metres.
        """
        i, j = cell_index(x, y, cell_m=self.cell_m)
        i, j = i - self.i0, j - self.j0
        inside = (i >= 0) & (i < self.nx) & (j >= 0) & (j < self.ny)
        return np.where(inside, i * self.ny + j, -1)

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the x and y of every cell centre (flat order)."""
        i, j = self.indices()
        return (i + 0.5) * self.cell_m, (j + 0.5) * self.cell_m

    def cell_ids(self) -> np.ndarray:
        """Return the stable id ``c{i}_{j}`` of every cell (flat order)."""
        i, j = self.indices()
        return np.char.add(np.char.add(np.char.add("c", i.astype(str)), "_"), j.astype(str))

    def boxes(self) -> np.ndarray:
        """Return the square of every cell (flat order)."""
        i, j = self.indices()
        return cell_boxes(i, j, cell_m=self.cell_m)

    def meets(self, area: BaseGeometry) -> np.ndarray:
        """Return whether each cell's square intersects `area` (flat order)."""
        shapely.prepare(area)
        return shapely.intersects(area, self.boxes())

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

    def ring(self, values: np.ndarray, size: int) -> np.ndarray:
        """Sum `values` (one per cell) over the size×size block around each cell, the cell itself excluded."""
        box = ndimage.uniform_filter(values.reshape(self.shape), size=size, mode="constant") * size * size
        return box.ravel() - values

    def disk_sum(self, values: np.ndarray, radius_cells: float) -> np.ndarray:
        """Sum `values` over the cells whose centres lie within `radius_cells` cells, the cell excluded.

        Parameters
        ----------
        values
            One value per cell (flat order).
        radius_cells
            Distance band in cells (centre to centre, inclusive).
        """
        r = int(math.floor(radius_cells + _TOL))
        off = np.arange(-r, r + 1)
        dx, dy = np.meshgrid(off, off)
        stencil = ((dx**2 + dy**2) <= radius_cells**2 * (1 + _TOL)).astype("float64")
        stencil[r, r] = 0.0
        return fftconvolve(
            np.asarray(values, dtype="float64").reshape(self.shape), stencil, mode="same"
        ).ravel()


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
    i, j = cell_index(x[ok], y[ok], cell_m=cell_m)
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


def hex_centres(bounds: tuple[float, float, float, float], *, cell_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Centres of the pointy-top hexagons of width `cell_m` whose cells can meet `bounds`.

    Rows are ``cell_m·√3/2`` apart and every other row is shifted by half a cell; the lattice is aligned to
    the CRS origin like the squares. Order: row by row.
    """
    xmin, ymin, xmax, ymax = bounds
    dy = cell_m * math.sqrt(3) / 2
    j0, j1 = math.floor(ymin / dy) - 1, math.floor(ymax / dy) + 1
    i0, i1 = math.floor(xmin / cell_m) - 1, math.floor(xmax / cell_m) + 1
    ii, jj = np.meshgrid(np.arange(i0, i1 + 1), np.arange(j0, j1 + 1))
    cx = ((ii + 0.5 * (jj % 2)) * cell_m).ravel().astype("float64")
    cy = (jj * dy).ravel().astype("float64")
    r = cell_m / math.sqrt(3)
    near = (cx >= xmin - r) & (cx <= xmax + r) & (cy >= ymin - r) & (cy <= ymax + r)
    return cx[near], cy[near]


def hexagons(cx: np.ndarray, cy: np.ndarray, *, cell_m: float) -> np.ndarray:
    """Pointy-top hexagons of flat-to-flat width `cell_m` around the centres (shapely polygons)."""
    r = cell_m / math.sqrt(3)  # centre to vertex
    ang = np.deg2rad(np.arange(6) * 60 + 30)
    xs = np.asarray(cx)[:, None] + r * np.cos(ang)[None, :]
    ys = np.asarray(cy)[:, None] + r * np.sin(ang)[None, :]
    return shapely.polygons(np.stack([xs, ys], axis=-1))


def nearest_counts(cx: np.ndarray, cy: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Count positions per cell, each position going to the cell with the nearest centre (hexagons)."""
    centres = np.column_stack([cx, cy])
    if len(x) == 0 or len(centres) == 0:
        return np.zeros(len(centres))
    _, idx = cKDTree(centres).query(np.column_stack([x, y]), k=1)
    return np.bincount(np.asarray(idx, dtype="int64"), minlength=len(centres)).astype("float64")


def band_weights(cx: np.ndarray, cy: np.ndarray, *, band_m: float) -> sp.csr_matrix:
    """Binary distance-band weights between cell centres, ones on the diagonal (a cell is its neighbour).

    ``weights @ values`` sums each cell's neighbourhood within `band_m` metres (centre to centre, inclusive).
    """
    centres = np.column_stack([cx, cy])
    n = len(centres)
    pairs = cKDTree(centres).query_pairs(r=band_m * (1 + _TOL), output_type="ndarray")
    rows = np.concatenate([pairs[:, 0], pairs[:, 1], np.arange(n)])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0], np.arange(n)])
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
