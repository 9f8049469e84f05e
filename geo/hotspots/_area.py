"""Accepting a study area in the forms callers have it: a polygon, a StudyArea or a frame of polygons."""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["as_area_geometry"]


def as_area_geometry(area: object, crs: object) -> BaseGeometry | None:
    """Return the study area as one shapely geometry in `crs`.

    Parameters
    ----------
    area
        ``None``; a shapely (multi)polygon, taken to be in `crs` already; a :class:`geo.io.area.StudyArea`
        (WGS84, reprojected); or a GeoDataFrame/GeoSeries of polygons (reprojected and unioned).
    crs
        The reports' metric CRS.

    Raises
    ------
    TypeError
        For anything else.
    """
    if area is None:
        return None
    if isinstance(area, BaseGeometry):
        return area
    if isinstance(area, gpd.GeoDataFrame):
        return shapely.union_all(area.to_crs(crs).geometry.to_numpy())
    if isinstance(area, gpd.GeoSeries):
        return shapely.union_all(area.to_crs(crs).to_numpy())
    to_crs = getattr(area, "to_crs", None)
    if to_crs is not None and isinstance(getattr(area, "geometry", None), BaseGeometry):
        return to_crs(crs)  # a StudyArea
    raise TypeError(
        f"area must be a shapely polygon, a StudyArea or a GeoDataFrame, got {type(area).__name__}"
    )
