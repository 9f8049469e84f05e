"""Positions of a lamp register's rows: coordinate columns of a CSV, or the points of a vector file."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import InputError
from geo.io._columns import pick_column, read_vector

__all__ = ["register_points"]

_LAT_COLUMNS = ("lat", "latitude", "latitud", "lat_wgs84", "wgs84_lat", "breddgrad")
_LON_COLUMNS = ("lon", "lng", "long", "longitude", "longitud", "lon_wgs84", "wgs84_lon", "längdgrad")
_X_COLUMNS = ("x", "easting", "east", "e", "x_sweref", "sweref_e", "x_coord", "xkoord", "n_sweref")
_Y_COLUMNS = ("y", "northing", "north", "n", "y_sweref", "sweref_n", "y_coord", "ykoord")
_CSV_SUFFIXES = (".csv", ".txt", ".tsv", ".csv.gz")
_VECTOR_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".fgb", ".gml", ".kml")


def register_points(
    path: Path, *, source_crs: str | None, columns: dict[str, str | None]
) -> tuple[pd.DataFrame, np.ndarray, gpd.GeoSeries]:
    """Read a register's rows and their positions.

    Parameters
    ----------
    path
        A CSV (``.csv``, ``.txt``, ``.tsv``, ``.csv.gz``) or a vector file of points.
    source_crs
        CRS of a CSV's projected x/y columns, or of a vector file without one.
    columns
        Column names given by the user: ``lat``, ``lon``, ``x``, ``y`` (``None``: detect).

    Returns
    -------
    table, rows, geometry
        The attribute table, each row's number (spreadsheet row for a CSV, 1-based feature number otherwise)
        and its point, in the source CRS.

    Raises
    ------
    InputError
        For an unknown file type, missing coordinate columns, unusable positions or non-point features.
    """
    suffix = "".join(path.suffixes[-2:]).lower() if path.suffix.lower() == ".gz" else path.suffix.lower()
    if suffix in _CSV_SUFFIXES:
        return _csv_points(path, source_crs=source_crs, columns=columns)
    if suffix in _VECTOR_SUFFIXES:
        return _vector_points(path, source_crs=source_crs)
    raise InputError(
        f"unknown lamp file type '{suffix}'; use CSV, GeoPackage, Shapefile, GeoJSON or an OSM PBF",
        path=str(path),
    )


def _coordinate_columns(
    cols: list[str], *, source_crs: str | None, columns: dict[str, str | None], name: str
) -> tuple[str, str, str]:
    """Return the x (or longitude) column, the y (or latitude) column and their CRS."""
    if source_crs is not None and not (columns["lat"] or columns["lon"]):
        xc = pick_column(cols, _X_COLUMNS, columns["x"], path=name, what="x")
        yc = pick_column(cols, _Y_COLUMNS, columns["y"], path=name, what="y")
        if xc is None or yc is None:
            raise InputError(
                f"no x/y columns found (have {cols}); name them with --lamps-x-col/--lamps-y-col", path=name
            )
        return xc, yc, source_crs
    latc = pick_column(cols, _LAT_COLUMNS, columns["lat"], path=name, what="latitude")
    lonc = pick_column(cols, _LON_COLUMNS, columns["lon"], path=name, what="longitude")
    if latc is None or lonc is None:
        raise InputError(
            f"no latitude/longitude columns found (have {cols}); for projected x/y give the CRS "
            "(--lamps-crs EPSG:3006)",
            path=name,
        )
    return lonc, latc, "EPSG:4326"


def _number(raw: pd.DataFrame, col: str) -> pd.Series:
    text = raw[col].astype("string").str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce")


def _csv_points(
    path: Path, *, source_crs: str | None, columns: dict[str, str | None]
) -> tuple[pd.DataFrame, np.ndarray, gpd.GeoSeries]:
    from geo.io.tabular import read_csv_raw

    name = str(path)
    raw, rows, _, _ = read_csv_raw(path)
    c1, c2, geo_crs = _coordinate_columns(
        list(raw.columns), source_crs=source_crs, columns=columns, name=name
    )
    a, b = _number(raw, c1), _number(raw, c2)
    bad = a.isna() | b.isna() | ~np.isfinite(a.fillna(0)) | ~np.isfinite(b.fillna(0))
    if geo_crs == "EPSG:4326":
        bad |= (a.abs() > 180) | (b.abs() > 90)
    if bad.any():
        idx = np.flatnonzero(bad.to_numpy())
        first = ", ".join(f"row {rows[i]}: '{raw[c2].iloc[i]}', '{raw[c1].iloc[i]}'" for i in idx[:20])
        raise InputError(
            f"{idx.size} lamp(s) without a usable position ({first})",
            path=name,
            row=int(rows[idx[0]]),
            field=c2 if b.isna().iloc[idx[0]] else c1,
        )
    geometry = gpd.GeoSeries(shapely.points(a.to_numpy(), b.to_numpy()), crs=geo_crs)
    return raw, rows, geometry


def _vector_points(path: Path, *, source_crs: str | None) -> tuple[pd.DataFrame, np.ndarray, gpd.GeoSeries]:
    name = str(path)
    frame = read_vector(path, source_crs=source_crs)
    rows = np.arange(1, len(frame) + 1)
    geoms = frame.geometry
    multi = geoms.geom_type == "MultiPoint"
    if multi.any():
        single = shapely.get_num_geometries(geoms[multi].to_numpy()) == 1
        geoms = geoms.copy()
        geoms.loc[multi[multi].index[single]] = shapely.get_geometry(geoms[multi].to_numpy()[single], 0)
    bad = geoms.isna() | geoms.is_empty | (geoms.geom_type != "Point")
    if bad.any():
        idx = np.flatnonzero(bad.to_numpy())
        kinds = geoms.geom_type.iloc[idx[:5]].fillna("missing").tolist()
        raise InputError(
            f"{idx.size} feature(s) are not single points (rows {list(rows[idx[:20]])}, "
            f"types {kinds}); a lamp register holds one point per lamp",
            path=name,
            row=int(rows[idx[0]]),
            field="geometry",
        )
    geometry = gpd.GeoSeries(geoms.to_numpy(), crs=frame.crs)
    return pd.DataFrame(frame.drop(columns=frame.geometry.name)), rows, geometry
