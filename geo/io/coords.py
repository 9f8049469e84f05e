"""Positions of a raw table: geometries or coordinate columns to WGS84 degrees, checked and repaired.

A vector file's geometries (any CRS), projected ``x``/``y`` columns (with the CRS given) or latitude/longitude
columns in degrees become WGS84 latitude and longitude per row. Latitude and longitude swapped in the input
are swapped back when that is the only reading that makes sense; positions outside the study area are
rejected. The metric CRS and the local zone are chosen here from the positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import choose_crs, choose_tz
from geo.errors import InputError
from geo.io.columns import fold
from geo.io.options import ReaderOptions
from geo.io.rejects import RawTable
from geo.io.values import is_blank, to_number

__all__ = ["Positions", "check_area", "check_crs_values", "choose_crs_and_zone", "read_positions"]

_COARSE = ("municipality", "county")


@dataclass
class Positions:
    """WGS84 positions of every raw row (NaN where unknown).

    Attributes
    ----------
    lat, lon
        Degrees.
    field
        The input column named in messages about the position (``geometry`` for a vector file).
    """

    lat: np.ndarray
    lon: np.ndarray
    field: str
    precision: np.ndarray | None = None
    """Each row's ``location_precision`` when the position says it (geocoded addresses)."""


def _from_geometry(
    t: RawTable, geometry: gpd.GeoSeries, options: ReaderOptions
) -> tuple[np.ndarray, np.ndarray]:
    n = len(t.raw)
    lat, lon = np.full(n, np.nan), np.full(n, np.nan)
    geometry = geometry.reset_index(drop=True)
    if geometry.crs is None:
        if options.crs is None:
            raise InputError("has no CRS; give one with --crs", path=t.file)
        geometry = geometry.set_crs(options.crs)
    missing = (geometry.isna() | geometry.is_empty).to_numpy()
    t.reject(missing, field="geometry", reason="missing geometry")
    nonpoint = ~missing & (geometry.geom_type != "Point").to_numpy()
    if nonpoint.any():
        t.warn(
            nonpoint,
            field="geometry",
            reason="not a point; its representative point is used",
            value=geometry.geom_type,
        )
        geometry = geometry.copy()
        geometry[nonpoint] = geometry[nonpoint].representative_point()
    if geometry.crs is not None and not geometry.crs.is_geographic:
        pts = geometry[~missing]
        xs = np.full(n, np.nan)
        ys = np.full(n, np.nan)
        xs[~missing] = shapely.get_x(pts.to_numpy())
        ys[~missing] = shapely.get_y(pts.to_numpy())
        outside = check_crs_values(xs, ys, geometry.crs, columns="geometry", file=t.file)
        t.reject(outside, field="geometry", reason=f"outside the area of use of {geometry.crs.to_string()}")
        missing = missing | outside
    wgs = geometry.to_crs("EPSG:4326")
    ok = ~missing
    lon[ok] = shapely.get_x(wgs[ok].to_numpy())
    lat[ok] = shapely.get_y(wgs[ok].to_numpy())
    return lat, lon


def _numbers(t: RawTable, column: str) -> np.ndarray:
    """Parse a coordinate column; reject the rows where it is missing or not a number."""
    raw_vals = t.raw[column]
    vals = to_number(raw_vals).to_numpy().copy()
    bad = np.isnan(vals)
    blank = is_blank(raw_vals)
    t.reject(bad & blank, field=column, reason="missing coordinate")
    t.reject(bad & ~blank, field=column, reason="cannot parse coordinate as a number", value=raw_vals)
    return vals


def check_crs_values(xs: np.ndarray, ys: np.ndarray, crs: Any, *, columns: str, file: str) -> np.ndarray:
    """Check coordinates against the CRS they are said to be in; return the rows outside its area of use.

    Degree values (all within ±180/±90) in a projected CRS are an error, as is a majority of positions
    outside the CRS's area of use (with one degree of margin); both name the columns and the CRS. A few
    positions outside are returned, to be rejected one by one.
    """
    crs_obj = pyproj.CRS(crs)
    ok = np.isfinite(xs) & np.isfinite(ys)
    if not ok.any():
        return np.zeros(len(xs), dtype=bool)
    name = f"{crs_obj.name} ({crs_obj.to_string()})"
    if crs_obj.is_projected and (np.abs(xs[ok]) <= 180).all() and (np.abs(ys[ok]) <= 90).all():
        raise InputError(
            f"{columns} hold degrees (e.g. {xs[ok][0]:g}, {ys[ok][0]:g}) but {name} is in metres; "
            "give --lat-col/--lon-col for degrees, or the CRS the values are in",
            path=file,
            field=columns.replace("'", ""),
        )
    outside = np.zeros(len(xs), dtype=bool)
    use = crs_obj.area_of_use
    if use is None:
        return outside
    tr = pyproj.Transformer.from_crs(crs_obj, "EPSG:4326", always_xy=True)
    lon, lat = (np.asarray(v, dtype=float) for v in tr.transform(xs[ok], ys[ok]))
    margin = 1.0
    inside = (
        np.isfinite(lon)
        & (lon >= use.west - margin)
        & (lon <= use.east + margin)
        & (lat >= use.south - margin)
        & (lat <= use.north + margin)
    )
    if inside.mean() < 0.5:
        raise InputError(
            f"{columns}: most positions lie outside the area where {name} is used ({use.name}); "
            "are the coordinates in another CRS?",
            path=file,
            field=columns.replace("'", ""),
        )
    outside[np.flatnonzero(ok)[~inside]] = True
    return outside


def _from_projected(t: RawTable, x_col: str, y_col: str, crs: str) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = _numbers(t, x_col), _numbers(t, y_col)
    kept = t.keep.copy()
    outside = check_crs_values(
        np.where(kept, xs, np.nan),
        np.where(kept, ys, np.nan),
        crs,
        columns=f"'{x_col}'/'{y_col}'",
        file=t.file,
    )
    t.reject(outside, field=x_col, reason=f"outside the area of use of {crs}", value=t.raw[x_col])
    n = len(t.raw)
    lat, lon = np.full(n, np.nan), np.full(n, np.nan)
    ok = t.keep.copy()
    tr = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lo, la = tr.transform(xs[ok], ys[ok])
    lat[ok], lon[ok] = np.asarray(la, dtype=float), np.asarray(lo, dtype=float)
    return lat, lon


def _from_degrees(
    t: RawTable, lat_col: str, lon_col: str, options: ReaderOptions
) -> tuple[np.ndarray, np.ndarray]:
    lat, lon = _numbers(t, lat_col), _numbers(t, lon_col)
    if (t.keep & (np.abs(lat) > 90) & (np.abs(lon) > 90)).mean() > 0.5 and options.crs is None:
        raise InputError(
            f"columns '{lat_col}'/'{lon_col}' do not hold degrees (values like {lat[t.keep][:1]}); "
            "for projected coordinates give --x-col/--y-col and --crs (EPSG:3006 for SWEREF 99 TM)",
            path=t.file,
        )
    return lat, lon


def _swapped_far_from_the_rest(lat: np.ndarray, lon: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Rows whose position is far (over 5°) from the data's median but close to it (under 2°) when swapped.

    Without a study area this is the evidence a swap leaves: a Värnamo report read as 14.05 N, 57.18 E lies
    in the Indian Ocean, while swapped back it joins the rest of the town.
    """
    out = np.zeros(lat.shape, dtype=bool)
    if valid.sum() < 3:
        return out
    mlat, mlon = float(np.median(lat[valid])), float(np.median(lon[valid]))
    scale = max(np.cos(np.radians(mlat)), 0.1)

    def spread(la: np.ndarray, lo: np.ndarray) -> np.ndarray:
        return np.hypot(la - mlat, (lo - mlon) * scale)

    far = valid & (spread(lat, lon) > 5.0)
    if far.any():
        out[far] = spread(lon[far], lat[far]) < 2.0
    return out


def _swapped(t: RawTable, pos: Positions, area: BaseGeometry | None) -> np.ndarray:
    """Return the rows whose latitude and longitude are swapped (swapped back they fit the area or data)."""
    lat, lon, keep = pos.lat, pos.lon, t.keep
    if area is None:
        swap = keep & (np.abs(lat) > 90) & (np.abs(lon) <= 90)
        return swap | _swapped_far_from_the_rest(lat, lon, keep & ~swap)
    n = len(lat)
    inside, alt = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    cand = keep & np.isfinite(lat) & np.isfinite(lon)
    inside[cand] = shapely.contains_xy(area, lon[cand], lat[cand])
    test = cand & ~inside & (np.abs(lon) <= 90)
    if test.any():
        alt[test] = shapely.contains_xy(area, lat[test], lon[test])
    return alt


def _pairs(lat: np.ndarray, lon: np.ndarray, fmt: str = "") -> np.ndarray:
    return np.array([f"{a:{fmt}},{b:{fmt}}" for a, b in zip(lat, lon, strict=True)], dtype=object)


def _repair_swaps(t: RawTable, pos: Positions, area: BaseGeometry | None) -> None:
    swap = _swapped(t, pos, area)
    if swap.any():
        t.log.add(
            t.rows[swap],
            field=pos.field,
            reason="latitude and longitude were swapped; swapped back",
            status="warning",
            value=_pairs(pos.lat[swap], pos.lon[swap]),
        )
        pos.lat[swap], pos.lon[swap] = pos.lon[swap].copy(), pos.lat[swap].copy()
    bad = t.keep & ((np.abs(pos.lat) > 90) | (np.abs(pos.lon) > 180))
    t.log.add(
        t.rows[bad],
        field=pos.field,
        reason="coordinate out of range for degrees",
        value=_pairs(pos.lat[bad], pos.lon[bad]),
    )
    t.keep &= ~bad


def read_positions(
    t: RawTable, options: ReaderOptions, *, geometry: gpd.GeoSeries | None, area: BaseGeometry | None
) -> Positions:
    """Read every row's WGS84 position, rejecting missing or unusable ones and repairing swaps.

    Parameters
    ----------
    t
        The raw table.
    options
        Reader options (``crs`` of projected columns or of a vector file without one).
    geometry
        Geometries of a vector file (any CRS); when given, coordinate columns are not needed.
    area
        Study area in WGS84, used to recognise swapped latitude/longitude.

    Raises
    ------
    InputError
        If there are no coordinates, or the latitude/longitude columns do not hold degrees.
    """
    cols = t.cols
    field = cols.get("lat") or cols.get("y") or "geometry"
    x_col, y_col, lat_col, lon_col = cols.get("x"), cols.get("y"), cols.get("lat"), cols.get("lon")
    precision = None
    if options.address_col and geometry is None and not (options.lat_col or options.x_col):
        from geo.io.addresses import place_addresses

        lat, lon, precision = place_addresses(t, options.address_col, options.geocode)
        field = options.address_col
    elif geometry is not None:
        lat, lon = _from_geometry(t, geometry, options)
    elif x_col and y_col and options.crs:
        lat, lon = _from_projected(t, x_col, y_col, options.crs)
    elif lat_col and lon_col:
        lat, lon = _from_degrees(t, lat_col, lon_col, options)
    else:
        raise InputError(
            f"no coordinate columns found among {list(t.raw.columns)}; name them with --lat-col/--lon-col "
            "or --x-col/--y-col --crs",
            path=t.file,
        )
    pos = Positions(lat, lon, field, precision)
    _repair_swaps(t, pos, area)
    return pos


def choose_crs_and_zone(
    t: RawTable, pos: Positions, *, crs: pyproj.CRS | str | None, tz: str | None, options: ReaderOptions
) -> tuple[pyproj.CRS, str, str, str]:
    """Return the metric CRS and the local zone, each with the reason it was chosen.

    The CRS given wins, else EPSG:3006 in Sweden or the UTM zone of the accepted positions; the zone given
    (argument, then ``options.tz``) wins, else the zone at the positions' median.
    """
    keep, lat, lon = t.keep, pos.lat, pos.lon
    if crs is None:
        fallback = (np.array([14.0]), np.array([57.0]))
        crs_obj, crs_reason = choose_crs(lon[keep], lat[keep]) if keep.any() else choose_crs(*fallback)
    else:
        crs_obj = pyproj.CRS(crs)
        crs_reason = f"{crs_obj.name} ({crs_obj.to_string()}): as given"
    if tz is None and options.tz:
        tz = options.tz
    if tz is not None:
        return crs_obj, crs_reason, tz, f"{tz}: as given"
    ok = keep & np.isfinite(lat)
    mlon, mlat = (float(np.median(lon[ok])), float(np.median(lat[ok]))) if ok.any() else (14.0, 57.0)
    zone = choose_tz(mlon, mlat)
    return crs_obj, crs_reason, zone, f"{zone}: the zone at the data's location ({mlat:.3f}, {mlon:.3f})"


def check_area(
    t: RawTable, pos: Positions, precision: pd.Series, *, area: BaseGeometry | None, area_name: str | None
) -> None:
    """Reject positions outside the study area.

    A municipality centre or county point says nothing about where inside the area it happened: such rows
    belong to the area only when their named place (preset ``place``) is the area, never by position.
    """
    if area is None:
        return
    n = len(pos.lat)
    coarse = precision.isin(_COARSE).to_numpy()
    inside = np.zeros(n, dtype=bool)
    test = t.keep & ~coarse
    if test.any():
        inside[test] = shapely.contains_xy(area, pos.lon[test], pos.lat[test])
    out = test & ~inside
    t.log.add(
        t.rows[out],
        field=pos.field,
        reason=f"position outside the study area ({area_name})",
        value=_pairs(pos.lat[out], pos.lon[out], ".5f"),
    )
    t.keep &= ~out
    if not coarse.any():
        return
    place = t.preset.get("place")
    named = np.zeros(n, dtype=bool)
    if place is not None and area_name:
        place = place.astype("string")
        named = (place.str.casefold() == fold(area_name)).fillna(False).to_numpy(dtype=bool)
    t.reject(
        coarse & ~named,
        field="location",
        value=place,
        reason=f"place is not the study area ({area_name}); a {'/'.join(_COARSE)} "
        "point is not placed in the area by position",
    )
