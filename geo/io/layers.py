"""Vector layers: street lines and any other layer (hot-spots, previous results, polygons) read from a file.

One reader, one CRS rule: the input's CRS is the file's own (an OpenStreetMap PBF is WGS84 by definition); a
file that has none is an error naming the file, unless `file_crs` says what it is; the layer is returned in
the `crs` asked for (as read when none is asked for).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyproj

from geo.errors import InputError

__all__ = ["LINE_TYPES", "read_layer", "read_streets"]

LINE_TYPES = ("LineString", "MultiLineString")
"""Geometry types kept by ``read_layer(..., lines=True)``."""

_OSM_SUFFIXES = (".pbf", ".osm")
_PARQUET_SUFFIXES = (".parquet", ".geoparquet")


def _read_file(path: Path, *, what: str) -> gpd.GeoDataFrame:
    try:
        if path.suffix.lower() in _PARQUET_SUFFIXES:
            return gpd.read_parquet(path)
        return gpd.read_file(path, engine="pyogrio")
    except Exception as err:  # noqa: BLE001 - any driver failure is a problem with the user's file
        raise InputError(f"cannot read {what}: {err}", path=str(path)) from err


def read_layer(
    path: str | Path,
    *,
    what: str = "layer",
    crs: pyproj.CRS | str | None = None,
    file_crs: pyproj.CRS | str | None = None,
    lines: bool = False,
) -> gpd.GeoDataFrame:
    """Read a vector layer: GeoJSON, GeoPackage, Shapefile, FlatGeobuf, GeoParquet or an OSM PBF's streets.

    Parameters
    ----------
    path
        The file; an ``.osm.pbf`` (or ``.osm``) gives its ``highway=*`` ways (:func:`geo.io.osm.read_osm`).
    what
        What the file holds, for messages (``"streets"``, ``"hot-spots"``).
    crs
        CRS to return the layer in; as read when ``None`` (a PBF's ways then come in the metric CRS chosen
        from their position).
    file_crs
        CRS of a file that states none; such a file is an error without it.
    lines
        Keep only (multi)line strings, the street lines travel times and labels need.

    Returns
    -------
    layer
        The features, in `crs`.

    Raises
    ------
    InputError
        If the file is missing, unreadable, has no CRS (and no `file_crs`), or, with `lines`, holds no lines.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{what} file not found", path=str(p))
    if p.name.lower().endswith(_OSM_SUFFIXES):
        from geo.io.osm import read_osm

        return read_osm(p, crs=crs).ways
    frame = _read_file(p, what=what)
    if frame.crs is None:
        if file_crs is None:
            raise InputError(f"{what} file has no CRS; reproject it or say which CRS it is in", path=str(p))
        frame = frame.set_crs(file_crs)
    if lines:
        frame = frame[frame.geom_type.isin(LINE_TYPES)]
        if frame.empty:
            raise InputError(f"holds no lines ({what} must be LineStrings)", path=str(p))
    return frame if crs is None else frame.to_crs(crs)


def read_streets(
    path: str | Path, *, crs: pyproj.CRS | str | None = None, file_crs: pyproj.CRS | str | None = None
) -> gpd.GeoDataFrame:
    """Read street lines with a ``name`` column (labels, travel times, the offline street layer).

    The CRS rule is :func:`read_layer`'s.

    Raises
    ------
    InputError
        As :func:`read_layer`, and when the lines have no ``name`` column.
    """
    streets = read_layer(path, what="streets", crs=crs, file_crs=file_crs, lines=True)
    if "name" not in streets.columns:
        raise InputError(f"needs a 'name' column for labels; has {list(streets.columns)}", path=str(path))
    return streets
