"""The units two surfaces are counted on: square cells of :mod:`geo.grid`, or a user's areas (DeSO, ...)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.grid import cell_boxes, cell_index, cell_keys

__all__ = ["AREA_ID_COLUMNS", "Units", "area_units", "grid_units"]

AREA_ID_COLUMNS: tuple[str, ...] = ("area_id", "id", "deso", "desokod", "regso", "regsokod", "kod", "code")
"""Columns tried, in order, for a user area's id (case-insensitive); else ``name``/``namn``, else the row."""

_NAME_COLUMNS = ("name", "namn", "area_name")
_EXPOSURE_COLUMNS = ("population", "befolkning", "invanare", "invånare", "folkmangd", "folkmängd")


class Units:
    """Units (cells or areas) and the reports of each kind counted in them.

    Attributes
    ----------
    frame
        One row a unit: ``unit_id``, ``exposure`` (square metres, or people when the areas give a population
        column), ``geometry`` in the reports' metric CRS; ``name`` for areas that have one.
    id_column
        ``cell_id`` or ``area_id``: what the unit's id is called in outputs.
    exposure
        What ``exposure`` measures (``area`` or the population column's name).
    outside
        Reports of each kind that fell outside every unit (outside the study area or the areas).
    """

    def __init__(
        self,
        frame: gpd.GeoDataFrame,
        id_column: str,
        exposure: str,
        *,
        grid: tuple[float, np.ndarray, BaseGeometry | None] | None = None,
    ) -> None:
        self.frame = frame
        self.id_column = id_column
        self.exposure = exposure
        self.outside: dict[str, int] = {}
        self._grid = grid  # (cell_m, cell keys, study area): count by cell index, not by geometry

    def count(self, points: gpd.GeoDataFrame, *, kind: str) -> np.ndarray:
        """Count `points` per unit (in the units' order); those outside every unit go to `outside`."""
        counts = np.zeros(len(self.frame), dtype="int64")
        if len(points) == 0 or len(self.frame) == 0:
            self.outside[kind] = len(points)
            return counts
        if self._grid is not None:
            cell_m, keys, area = self._grid
            x, y = points.geometry.x.to_numpy(), points.geometry.y.to_numpy()
            inside = _in_area(area, x, y)
            idx = pd.Index(keys).get_indexer(cell_keys(*cell_index(x[inside], y[inside], cell_m=cell_m)))
            counts += np.bincount(idx[idx >= 0], minlength=len(keys)).astype("int64")
            self.outside[kind] = int(len(points) - (idx >= 0).sum())
            return counts
        geoms = self.frame.geometry.to_numpy()
        tree = shapely.STRtree(geoms)
        pts_idx, unit_idx = tree.query(points.geometry.to_numpy(), predicate="intersects")
        first = pd.Series(unit_idx).groupby(pts_idx).min()  # a point on a shared edge counts once
        np.add.at(counts, first.to_numpy(), 1)
        self.outside[kind] = int(len(points) - len(first))
        return counts


def grid_units(points: list[gpd.GeoDataFrame], *, cell_m: float, area: BaseGeometry | None = None) -> Units:
    """Return the square cells of side `cell_m` holding at least one of `points` (inside `area`).

    The cells are those of :mod:`geo.grid` (aligned to the CRS origin, id ``c{i}_{j}``); with `area` a cell
    is clipped to it and its exposure is the clipped area, so an edge cell expects fewer reports.

    Parameters
    ----------
    points
        The report frames (felt, recorded) in one metric CRS.
    cell_m
        Cell side in metres, > 0.
    area
        Study polygon in the same CRS; points outside it are left out.

    Raises
    ------
    ValueError
        If `cell_m` is not positive.
    """
    if not cell_m > 0:
        raise ValueError(f"cell_m must be > 0 metres, got {cell_m}")
    crs = next((p.crs for p in points if p.crs is not None), None)
    xs = np.concatenate([p.geometry.x.to_numpy() for p in points]) if points else np.zeros(0)
    ys = np.concatenate([p.geometry.y.to_numpy() for p in points]) if points else np.zeros(0)
    inside = _in_area(area, xs, ys)
    xs, ys = xs[inside], ys[inside]
    i, j = cell_index(xs, ys, cell_m=cell_m)
    keys, first = np.unique(cell_keys(i, j), return_index=True)
    i, j = i[first], j[first]
    boxes = cell_boxes(i, j, cell_m=cell_m)
    if area is not None and len(boxes):
        boxes = shapely.intersection(boxes, area)
    ids = [f"c{a}_{b}" for a, b in zip(i.tolist(), j.tolist(), strict=True)]
    frame = gpd.GeoDataFrame(
        {"unit_id": ids, "exposure": shapely.area(boxes) if len(boxes) else np.zeros(0)},
        geometry=gpd.GeoSeries(boxes, crs=crs),
        crs=crs,
    )
    return Units(frame.reset_index(drop=True), "cell_id", "area", grid=(cell_m, keys, area))


def _in_area(area: BaseGeometry | None, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Tell which positions lie in `area` (its edge included); all of them without an area."""
    if area is None or not len(x):
        return np.ones(len(x), dtype=bool)
    shapely.prepare(area)
    return np.asarray(shapely.intersects_xy(area, x, y), dtype=bool)


def _column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    lower = {str(c).casefold(): str(c) for c in frame.columns}
    return next((lower[n] for n in names if n in lower), None)


def area_units(areas: gpd.GeoDataFrame) -> Units:
    """Return a user's areas as units: id from :data:`AREA_ID_COLUMNS`, exposure area or population.

    Parameters
    ----------
    areas
        Polygons in the reports' metric CRS. A column ``population`` (or ``befolkning``, ``invånare``,
        ``folkmängd``) with a positive number in every row makes the expected counts proportional to
        people instead of square metres.

    Raises
    ------
    ValueError
        If there are no areas, an area is not a polygon, or the ids repeat.
    """
    if len(areas) == 0:
        raise ValueError("the areas file has no areas")
    kinds = set(areas.geometry.geom_type.dropna())
    if not kinds <= {"Polygon", "MultiPolygon"}:
        raise ValueError(f"areas must be polygons, got {', '.join(sorted(kinds))}")
    id_col = _column(areas, AREA_ID_COLUMNS) or _column(areas, _NAME_COLUMNS)
    ids = (
        areas[id_col].astype("string").fillna("").str.strip()
        if id_col
        else pd.Series([f"a{k + 1}" for k in range(len(areas))], dtype="string")
    )
    if ids.duplicated().any():
        dup = ids[ids.duplicated()].iloc[0]
        raise ValueError(f"area ids in column '{id_col}' repeat (first: '{dup}'); give each area its own id")
    geoms = areas.geometry.to_numpy()
    exposure, what = shapely.area(geoms), "area"
    pop_col = _column(areas, _EXPOSURE_COLUMNS)
    if pop_col is not None:
        pop = pd.to_numeric(areas[pop_col], errors="coerce").to_numpy(dtype="float64")
        if np.isfinite(pop).all() and (pop > 0).all():
            exposure, what = pop, pop_col
    frame = gpd.GeoDataFrame({"unit_id": ids.to_numpy(), "exposure": exposure}, geometry=geoms, crs=areas.crs)
    name_col = _column(areas, _NAME_COLUMNS)
    if name_col is not None and name_col != id_col:
        frame["name"] = areas[name_col].astype("string").to_numpy()
    return Units(frame.reset_index(drop=True), "area_id", what)
