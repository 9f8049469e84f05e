"""The cells Gi* counts reports on: squares or hexagons of the one grid (:mod:`geo.grid`), and their size.

**Automatic cell size**: twice ``sqrt(A / n)`` rounded up to 1, 2, 2.5 or 5 × 10^k m, where *A* is the area
of the box holding the central 90 % of reports along each axis: about four reports per cell where there are
reports.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.grid import Grid, cell_boxes, count_in_cells, hex_centres, hexagons, nearest_counts, nice_cell_m

__all__ = ["SHAPES", "count_cells", "make_cells", "suggest_cell"]

SHAPES: tuple[str, ...] = ("square", "hex")


def suggest_cell(xy: np.ndarray) -> tuple[float, str]:
    """Cell size for Gi*: about four reports per cell over the data's central extent (see module notes).

    Parameters
    ----------
    xy
        ``(n, 2)`` positions in metres.
    """
    xy = np.asarray(xy, dtype="float64").reshape(-1, 2)
    n = len(xy)
    if n < 2:
        return 100.0, "cell 100 m: för få rapporter / too few reports"
    lo = np.percentile(xy, 5, axis=0)
    hi = np.percentile(xy, 95, axis=0)
    area = float(max(hi[0] - lo[0], 1.0) * max(hi[1] - lo[1], 1.0))
    cell = max(10.0, nice_cell_m(2 * math.sqrt(area / n)))
    return (
        cell,
        f"cell {cell:g} m: ≈4 rapporter per cell / about 4 reports per cell (n={n:,}, {area / 1e6:.1f} km²)",
    )


def _squares(
    bounds: tuple[float, float, float, float], cell_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    i, j = Grid.covering(bounds, cell_m=cell_m).indices(by_rows=True)
    return (i + 0.5) * cell_m, (j + 0.5) * cell_m, cell_boxes(i, j, cell_m=cell_m)


def make_cells(
    bounds: tuple[float, float, float, float],
    *,
    cell_m: float,
    shape: str = "square",
    area: BaseGeometry | None = None,
) -> gpd.GeoDataFrame:
    """Cells covering `bounds` (those meeting `area` when given), aligned to the global grid.

    Parameters
    ----------
    bounds
        ``(xmin, ymin, xmax, ymax)`` in metres.
    cell_m
        Square side, or for hexagons the distance between neighbouring centres (flat-to-flat width).
    shape
        ``"square"`` or ``"hex"`` (pointy-top hexagons).
    area
        Keep only cells intersecting this polygon.

    Returns
    -------
    cells
        Columns ``cell_id`` (int), ``cx``, ``cy`` (centre) and ``geometry``, row by row from the south-west;
        no CRS set.
    """
    if not cell_m > 0:
        raise ValueError(f"cell_m must be > 0 metres, got {cell_m}")
    if shape not in SHAPES:
        raise ValueError(f"shape must be 'square' or 'hex', got '{shape}'")
    if shape == "square":
        cx, cy, geoms = _squares(bounds, cell_m)
    else:
        cx, cy = hex_centres(bounds, cell_m=cell_m)
        geoms = hexagons(cx, cy, cell_m=cell_m)
    if area is not None:
        shapely.prepare(area)
        keep = shapely.intersects(area, geoms)
        cx, cy, geoms = cx[keep], cy[keep], geoms[keep]
    return gpd.GeoDataFrame({"cell_id": np.arange(len(cx)), "cx": cx, "cy": cy}, geometry=geoms)


def count_cells(cells: gpd.GeoDataFrame, xy: np.ndarray, *, shape: str, cell_m: float) -> np.ndarray:
    """Count positions per cell of :func:`make_cells` (positions outside every cell are not counted).

    Parameters
    ----------
    cells
        From :func:`make_cells`.
    xy
        ``(n, 2)`` positions in metres.
    shape
        The cells' shape.
    cell_m
        The cells' size.
    """
    cx, cy = cells["cx"].to_numpy(), cells["cy"].to_numpy()
    xy = np.asarray(xy, dtype="float64").reshape(-1, 2)
    if shape == "square":
        i, j = np.floor(cx / cell_m).astype("int64"), np.floor(cy / cell_m).astype("int64")
        return count_in_cells(i, j, xy[:, 0], xy[:, 1], cell_m=cell_m)
    return nearest_counts(cx, cy, xy[:, 0], xy[:, 1])
