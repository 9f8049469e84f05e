"""Density contours: the regions of highest kernel density holding given shares of the incidents.

For each share *s*, :func:`density_contours` returns the region above the density level at which the surface
(:class:`geo.hotspots.kde.DensitySurface`) integrates to *s* (:func:`level_for_share`).
"""

from __future__ import annotations

import math
from typing import cast

import contourpy
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.hotspots.kde import DensitySurface

__all__ = ["density_contours", "level_for_share"]


def level_for_share(surface: DensitySurface, share: float) -> float:
    """Density level above which the surface holds `share` of its total mass.

    Parameters
    ----------
    surface
        The surface.
    share
        Between 0 and 1 (exclusive of 0).
    """
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share}")
    v = surface.density[np.isfinite(surface.density)].ravel()
    if v.size == 0 or v.max() <= 0:
        return math.inf
    v = np.sort(v)[::-1]
    cum = np.cumsum(v)
    i = int(np.searchsorted(cum, share * cum[-1], side="left"))
    return float(v[min(i, v.size - 1)])


def _polygons_above(surface: DensitySurface, level: float) -> list[BaseGeometry]:
    z = np.ma.masked_invalid(surface.density)
    if not np.isfinite(level) or z.count() == 0:
        return []
    upper = float(z.max()) * 2 + 1.0
    if level >= upper:
        return []
    gen = contourpy.contour_generator(
        x=surface.xs, y=surface.ys, z=z, fill_type=contourpy.FillType.OuterOffset, name="serial"
    )
    filled = gen.filled(level, upper)  # OuterOffset: (points, offsets) per polygon
    points = cast(list[np.ndarray], filled[0])
    offsets = cast(list[np.ndarray], filled[1])
    polys: list[BaseGeometry] = []
    for pts, off in zip(points, offsets, strict=True):
        rings = [pts[off[j] : off[j + 1]] for j in range(len(off) - 1)]
        rings = [r for r in rings if len(r) >= 4]
        if not rings:
            continue
        poly = shapely.make_valid(shapely.Polygon(rings[0], rings[1:]))
        if not poly.is_empty and poly.area > 0:
            polys.append(poly)
    return polys


def density_contours(
    surface: DensitySurface, *, shares: tuple[float, ...] = (0.25, 0.5, 0.75)
) -> gpd.GeoDataFrame:
    """Highest-density regions holding given shares of the incidents.

    Parameters
    ----------
    surface
        A density surface.
    shares
        Shares (0..1]; each gives the region above the density level that holds that share.

    Returns
    -------
    contours
        One row per share (MultiPolygon), columns ``share``, ``level`` (reports per km²), ``geometry``,
        in increasing share (so the smallest, densest region comes first).
    """
    rows = []
    for s in sorted(shares):
        level = level_for_share(surface, s)
        polys = _polygons_above(surface, level)
        geom = shapely.union_all(polys) if polys else shapely.MultiPolygon()
        if geom.geom_type == "Polygon":
            geom = shapely.MultiPolygon([geom])
        rows.append({"share": float(s), "level": float(level), "geometry": geom})
    return gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=["share", "level", "geometry"]), geometry="geometry", crs=surface.crs
    )
