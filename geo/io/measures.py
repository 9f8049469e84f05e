"""Reading a register of measures (åtgärder): CSV with ``lat``/``lon``/``radius_m``, or GeoPackage/GeoJSON.

CRS rule: a CSV's ``lat``/``lon`` are WGS84 degrees (``x``/``y`` are in `file_crs`, default the reports'
CRS); a vector file carries its own CRS. Points are grown by their ``radius_m`` into the treated area, in
the reports' metric CRS. Column names are matched without case; required: ``measure_id``, ``kind``,
``start`` and a place. Every error names the file, the row (spreadsheet row for CSV, feature number
otherwise) and the field.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from geo.errors import InputError
from geo.io.layers import read_layer
from geo.io.tabular import read_csv_raw
from geo.measures.build import build_measures
from geo.measures.model import Measures

__all__ = ["read_measures"]

_CSV_SUFFIXES = (".csv", ".txt", ".csv.gz", ".tsv")
_LAT = ("lat", "latitude", "latitud")
_LON = ("lon", "lng", "long", "longitude", "longitud")
_RADIUS = ("radius_m", "radius")


def _pick(columns: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((columns[n] for n in names if n in columns), None)


def _numbers(
    values: pd.Series, *, path: str, rows: list[int], field: str, positive: bool = False
) -> np.ndarray:
    """Return text values as floats (decimal comma accepted), naming the first bad row."""
    text = values.astype(str).str.strip().str.replace(",", ".", regex=False)
    out = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(out) | ((out <= 0) if positive else False)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        what = "a number > 0 (metres)" if positive else "a number"
        raise InputError(f"must be {what}, got '{values.iloc[i]}'", path=path, row=rows[i], field=field)
    return out


def _lowered(table: pd.DataFrame) -> pd.DataFrame:
    return table.rename(columns={c: str(c).strip().lower() for c in table.columns})


def _require(table: pd.DataFrame, path: str) -> None:
    missing = [c for c in ("measure_id", "kind", "start") if c not in table.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; found {', '.join(map(str, table.columns))}", path=path
        )


def _points(
    table: pd.DataFrame,
    rows: list[int],
    cols: dict[str, str],
    name: str,
    *,
    crs: object,
    file_crs: str | None,
) -> gpd.GeoSeries:
    """Return the points of rows without a polygon: ``lat``/``lon`` (WGS84) or ``x``/``y``."""
    lat, lon = _pick(cols, _LAT), _pick(cols, _LON)
    if lat is not None and lon is not None:
        ys = _numbers(table[lat], path=name, rows=rows, field=lat)
        xs = _numbers(table[lon], path=name, rows=rows, field=lon)
        off = (np.abs(ys) > 90) | (np.abs(xs) > 180)
        if off.any():
            i = int(np.flatnonzero(off)[0])
            raise InputError("latitude/longitude out of range", path=name, row=rows[i], field=lat)
        return gpd.GeoSeries(gpd.points_from_xy(xs, ys), crs="EPSG:4326").to_crs(crs)
    if "x" in cols and "y" in cols:
        xs = _numbers(table["x"], path=name, rows=rows, field="x")
        ys = _numbers(table["y"], path=name, rows=rows, field="y")
        return gpd.GeoSeries(gpd.points_from_xy(xs, ys), crs=file_crs or crs).to_crs(crs)
    raise InputError("needs lat,lon,radius_m (or x,y,radius_m, or a wkt polygon column)", path=name)


def _csv(path: Path, *, crs: object, file_crs: str | None) -> tuple[pd.DataFrame, gpd.GeoSeries, list[int]]:
    raw, row_numbers, _, _ = read_csv_raw(path)
    table = _lowered(raw)
    rows = [int(r) for r in row_numbers]
    name = str(path)
    _require(table, name)
    cols = {c: c for c in table.columns}
    radius_col = _pick(cols, _RADIUS)
    wcol = "wkt" if "wkt" in cols else "geometry" if "geometry" in cols else None
    has_wkt = (table[wcol].str.strip() != "").to_numpy() if wcol else np.zeros(len(table), dtype=bool)
    places = gpd.GeoSeries([None] * len(table), crs=crs)
    if has_wkt.any():
        geoms = gpd.GeoSeries.from_wkt(
            table.loc[has_wkt, wcol], crs=file_crs or "EPSG:4326", on_invalid="ignore"
        )
        if geoms.isna().any():
            i = int(np.flatnonzero(has_wkt)[int(np.flatnonzero(geoms.isna().to_numpy())[0])])
            raise InputError("not a WKT polygon", path=name, row=rows[i], field=wcol)
        places[has_wkt] = geoms.to_crs(crs).to_numpy()
    rest = ~has_wkt
    if rest.any():
        places[rest] = _points(
            table[rest],
            [r for r, k in zip(rows, rest, strict=True) if k],
            cols,
            name,
            crs=crs,
            file_crs=file_crs,
        ).to_numpy()
    if radius_col is not None:
        table["radius_m"] = table[radius_col]
    return table, places, rows


def _grow(table: pd.DataFrame, places: gpd.GeoSeries, rows: list[int], path: str) -> gpd.GeoSeries:
    """Grow point places by ``radius_m``; polygons stay; anything else is an error."""
    types = places.geom_type.to_numpy()
    point = types == "Point"
    poly = np.isin(types, ["Polygon", "MultiPolygon"])
    if (~(point | poly)).any():
        i = int(np.flatnonzero(~(point | poly))[0])
        raise InputError(f"a place must be a point or a polygon, got {types[i]}", path=path, row=rows[i])
    if point.any():
        if "radius_m" not in table.columns:
            raise InputError("point places need a radius_m column (metres)", path=path, field="radius_m")
        sub = table["radius_m"][point]
        radius = _numbers(
            sub,
            path=path,
            rows=[r for r, p in zip(rows, point, strict=True) if p],
            field="radius_m",
            positive=True,
        )
        grown = places[point].buffer(radius, 32)
        places = places.copy()
        places[point] = grown
    if "radius_m" not in table.columns:
        table["radius_m"] = ""
    table["radius_m"] = ["" if p else v for v, p in zip(table["radius_m"], poly, strict=True)]
    return places


def read_measures(
    path: str | Path, *, crs: pyproj.CRS | str, tz: str, file_crs: str | None = None
) -> Measures:
    """Read a measures register.

    Parameters
    ----------
    path
        CSV (``measure_id``, ``kind``, ``start``, ``lat``, ``lon``, ``radius_m``; or ``x``/``y``; or a
        ``wkt`` polygon), or a GeoPackage/GeoJSON/Shapefile of points (with ``radius_m``) or polygons.
    crs
        The reports' metric CRS, which the places are returned in.
    tz
        Zone of dates and naive times in ``start``/``end``.
    file_crs
        CRS of a CSV's ``x``/``y`` or ``wkt`` (default: `crs` for ``x``/``y``, WGS84 for ``wkt``).

    Raises
    ------
    InputError
        Naming the file, row and field.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("measures file not found", path=str(p))
    if p.name.lower().endswith(_CSV_SUFFIXES):
        table, places, rows = _csv(p, crs=crs, file_crs=file_crs)
    else:
        frame = read_layer(p, what="measures", crs=crs)
        table = _lowered(pd.DataFrame(frame.drop(columns=frame.geometry.name)))
        _require(table, str(p))
        places = frame.geometry.reset_index(drop=True)
        rows = list(range(1, len(frame) + 1))
        table = table.reset_index(drop=True)
        radius_col = _pick({c: c for c in table.columns}, _RADIUS)
        if radius_col is not None:
            table["radius_m"] = table[radius_col]
    places = _grow(table, places.reset_index(drop=True), rows, str(p))
    return build_measures(table, places, tz=tz, path=str(p), rows=rows)
