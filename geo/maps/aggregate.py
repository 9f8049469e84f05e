"""Aggregation for the maps: report counts on a fixed metric grid, k-suppression and generalised areas.

The grid is the one lattice of :mod:`geo.grid`: `cell_m`-metre squares anchored at the CRS origin (cell
``(i, j)`` covers ``[i·cell_m, (i+1)·cell_m) × [j·cell_m, (j+1)·cell_m)``), so a cell's corners depend only on
the CRS and the cell size, never on where the reports are. The public map draws nothing but such cells:
counts per cell, and hot-spot areas replaced by the union of the cells they touch. A report's position
therefore reaches the public page only as a count.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.grid import Grid, cell_boxes, cell_index, cell_keys

__all__ = [
    "CELL_SIZES_M",
    "choose_cell_m",
    "cells_covering",
    "feature_collection",
    "grid_counts",
    "public_coord",
    "suppress",
    "wgs84_bounds",
]

CELL_SIZES_M: tuple[float, ...] = (100.0, 200.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0)
"""Cell sizes tried, smallest first, when no `cell_m` is given (a block, 100 m, is the finest default: finer
cells show single addresses and leave most public cells under k)."""


def _xy(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    geom = frame.geometry
    return shapely.get_x(geom.to_numpy()), shapely.get_y(geom.to_numpy())


def choose_cell_m(
    reports: gpd.GeoDataFrame, *, max_cells: int = 4000, sizes: Sequence[float] = CELL_SIZES_M
) -> float:
    """Pick the smallest cell size whose grid has at most `max_cells` non-empty cells.

    Parameters
    ----------
    reports
        Point reports in a metric CRS.
    max_cells
        Most non-empty cells wanted (keeps the map light: about 150 bytes per cell).
    sizes
        Candidate sizes in metres, smallest first.

    Returns
    -------
    cell_m
        Metres; the largest candidate when none fits.
    """
    if max_cells < 1:
        raise ValueError(f"max_cells must be >= 1, got {max_cells}")
    if len(reports) == 0:
        return float(sizes[0])
    x, y = _xy(reports)
    for size in sizes:
        n = len(np.unique(cell_keys(*cell_index(x, y, cell_m=size))))
        if n <= max_cells:
            return float(size)
    return float(sizes[-1])


def grid_counts(
    reports: gpd.GeoDataFrame,
    *,
    cell_m: float,
    extra: dict[str, Callable[[pd.DataFrame], pd.Series]] | None = None,
) -> gpd.GeoDataFrame:
    """Count reports per cell of the fixed `cell_m` lattice.

    Parameters
    ----------
    reports
        Point reports in a metric CRS (use :func:`geo.model.point_reports` first).
    cell_m
        Cell side in metres.
    extra
        Further per-cell columns: name → function of the cell's group of rows (e.g. darkness count).

    Returns
    -------
    cells
        One row per non-empty cell, in the reports' CRS: ``cell_id`` (``"<cell_m>m:<i>:<j>"``), ``count``,
        ``dark`` (reports in darkness, when ``is_dark`` is present), any `extra` columns, and the square.
    """
    if cell_m <= 0:
        raise ValueError(f"cell_m must be > 0, got {cell_m}")
    x, y = _xy(reports)
    ix, iy = cell_index(x, y, cell_m=cell_m)
    table = pd.DataFrame({"ix": ix, "iy": iy})
    if "is_dark" in reports.columns:
        table["is_dark"] = reports["is_dark"].to_numpy(dtype=bool)
    groups = table.groupby(["ix", "iy"], sort=True)
    out = groups.size().rename("count").reset_index()
    if "is_dark" in table.columns:
        out["dark"] = groups["is_dark"].sum().to_numpy().astype(int)
    if extra:
        frame = pd.DataFrame(reports.drop(columns=reports.geometry.name)).reset_index(drop=True)
        frame["ix"], frame["iy"] = ix, iy
        g2 = frame.groupby(["ix", "iy"], sort=True)
        for name, func in extra.items():
            out[name] = g2.apply(func, include_groups=False).to_numpy()
    label = f"{cell_m:g}m"
    out["cell_id"] = [f"{label}:{i}:{j}" for i, j in zip(out["ix"], out["iy"], strict=True)]
    geom = cell_boxes(out["ix"].to_numpy(), out["iy"].to_numpy(), cell_m=cell_m)
    cols = ["cell_id", "count", *[c for c in out.columns if c not in {"ix", "iy", "cell_id", "count"}]]
    return gpd.GeoDataFrame(out[cols], geometry=geom, crs=reports.crs)


def suppress(cells: gpd.GeoDataFrame, *, k: int, column: str = "count") -> gpd.GeoDataFrame:
    """Keep only rows whose `column` is at least `k` (small counts are not published).

    Parameters
    ----------
    cells
        Cells or areas with a count column.
    k
        Smallest count shown; must be >= 1.
    column
        The count column.
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    return cells[cells[column].to_numpy() >= k].copy()


def cells_covering(geometry: BaseGeometry, *, cell_m: float) -> BaseGeometry:
    """Replace a shape by the union of the lattice cells its interior touches (a generalised outline).

    A convex hull's corner is some report's exact position; the union of fixed cells has only lattice
    corners, which depend on nothing but `cell_m`.

    Parameters
    ----------
    geometry
        A polygon in a metric CRS.
    cell_m
        Lattice cell side in metres.
    """
    if geometry.is_empty:
        return geometry
    x0, y0, x1, y1 = geometry.bounds
    i, j = Grid.covering(geometry.bounds, cell_m=cell_m).indices(by_rows=True)
    boxes = cell_boxes(i, j, cell_m=cell_m)
    inter = shapely.intersection(boxes, geometry)
    keep = shapely.area(inter) > 1e-6 * cell_m * cell_m
    if not keep.any():
        # a degenerate shape (a line, a point): the cell holding its centroid
        c = geometry.centroid
        return cell_boxes(*cell_index(np.array([c.x]), np.array([c.y]), cell_m=cell_m), cell_m=cell_m)[0]
    return shapely.union_all(boxes[keep], grid_size=cell_m / 1000.0)


def public_coord(value: float) -> float:
    """Round a degree value to 6 decimals so that it never reads as a 4-decimal coordinate.

    Values whose sixth and fifth decimals are both zero are moved by 2·10⁻⁶ degrees (about 0.2 m), so no
    number on the public page can be mistaken for (or match a search for) a position given to 4 decimals.
    """
    v = round(float(value), 6)
    if f"{v:.6f}".endswith("00"):
        v = round(v + 2e-6, 6)
    return v


def _round_coords(geom: np.ndarray, *, public: bool, decimals: int) -> np.ndarray:
    if public:
        vec = np.vectorize(public_coord, otypes=[float])
        return shapely.transform(geom, lambda c: vec(c))
    return shapely.transform(geom, lambda c: np.round(c, decimals))


def feature_collection(
    frame: gpd.GeoDataFrame,
    properties: Iterable[dict[str, Any]],
    *,
    public: bool = False,
    decimals: int = 6,
) -> dict[str, Any]:
    """Build a GeoJSON FeatureCollection in WGS84 from `frame`'s geometry and given properties.

    Parameters
    ----------
    frame
        Geometries in any CRS (reprojected to WGS84 here).
    properties
        One dict per row, in order (popup HTML, style index, ...).
    public
        Round with :func:`public_coord` (the public map).
    decimals
        Decimals kept otherwise (6 ≈ 0.1 m).
    """
    wgs = frame.to_crs("EPSG:4326") if frame.crs is not None else frame
    geoms = _round_coords(wgs.geometry.to_numpy(), public=public, decimals=decimals)
    feats = []
    for g, props in zip(geoms, properties, strict=True):
        if g is None or g.is_empty:
            continue
        feats.append({"type": "Feature", "geometry": json.loads(shapely.to_geojson(g)), "properties": props})
    return {"type": "FeatureCollection", "features": feats}


def wgs84_bounds(frame: gpd.GeoDataFrame, *, decimals: int = 3) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of `frame` in degrees, widened outward to `decimals` places.

    Rounded outward and passed through :func:`public_coord`, so that the map's view, which every page
    contains, gives away neither the extent nor the position of single reports.
    """
    if frame is None or len(frame) == 0:
        return None
    wgs = frame.to_crs("EPSG:4326") if frame.crs is not None else frame
    w, s, e, n = wgs.total_bounds
    if not np.all(np.isfinite([w, s, e, n])):
        return None
    f = 10.0**decimals
    return [
        [public_coord(np.floor(s * f) / f), public_coord(np.floor(w * f) / f)],
        [public_coord(np.ceil(n * f) / f), public_coord(np.ceil(e * f) / f)],
    ]
