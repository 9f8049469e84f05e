"""Reading a table of points to forecast at (``geo forecast --at POINTS.csv``).

CRS rule: a CSV has no CRS of its own. Columns ``x``/``y`` are in the `crs` given, else in `target_crs`;
columns ``lat``/``lon`` (also ``latitude``, ``lng``, ``long``, ``longitude``) are WGS84 degrees. Positions are
always returned in `target_crs`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyproj

from geo.errors import InputError

__all__ = ["read_points"]

_LAT_NAMES = ("lat", "latitude")
_LON_NAMES = ("lon", "lng", "long", "longitude")


def _coordinate_columns(table: pd.DataFrame, path: Path) -> tuple[str, str, bool]:
    """Return the x and y column names as written and whether they are latitude/longitude."""
    lower = {c.strip().lower(): c for c in table.columns}
    if "x" in lower and "y" in lower:
        return lower["x"], lower["y"], False
    lat = next((lower[c] for c in _LAT_NAMES if c in lower), None)
    lon = next((lower[c] for c in _LON_NAMES if c in lower), None)
    if lat is None or lon is None:
        raise InputError(
            f"needs columns x,y (with --at-crs) or lat,lon; found {list(table.columns)}", path=str(path)
        )
    return lon, lat, True


def _numbers(table: pd.DataFrame, col: str, path: Path) -> np.ndarray:
    """Return column `col` as floats (a decimal comma is accepted), naming the first bad row."""
    num = pd.to_numeric(table[col].str.strip().str.replace(",", ".", regex=False), errors="coerce")
    values = num.to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(values))
    if len(bad):
        i = int(bad[0])
        raise InputError(
            f"not a number: '{table[col].iloc[i]}' ({len(bad)} such rows)",
            path=str(path),
            row=i + 2,
            field=col,
        )
    return values


def read_points(
    path: Path, *, crs: str | None, target_crs: object
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Read a points CSV (``x,y`` in `crs`, else ``lat,lon``), keeping every column as written.

    Parameters
    ----------
    path
        The CSV file (separator detected).
    crs
        CRS of ``x``/``y``; default: `target_crs`. Not used for ``lat``/``lon`` (WGS84).
    target_crs
        The reports' metric CRS, which positions are returned in.

    Returns
    -------
    table, x, y
        The input rows unchanged (as text) and their positions in `target_crs`.

    Raises
    ------
    InputError
        Naming the file, row and field of a missing or unreadable coordinate, or an unknown CRS.
    """
    if not path.exists():
        raise InputError("file not found", path=str(path))
    try:
        table = pd.read_csv(
            path, dtype=str, keep_default_na=False, sep=None, engine="python", encoding="utf-8-sig"
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read as CSV: {err}", path=str(path)) from err
    cx, cy, latlon = _coordinate_columns(table, path)
    xs, ys = _numbers(table, cx, path), _numbers(table, cy, path)
    if latlon:
        bad = np.flatnonzero((np.abs(ys) > 90) | (np.abs(xs) > 180))
        if len(bad):
            raise InputError("latitude/longitude out of range", path=str(path), row=int(bad[0]) + 2, field=cy)
    src = "EPSG:4326" if latlon else (crs or target_crs)
    try:
        tr = pyproj.Transformer.from_crs(pyproj.CRS(src), pyproj.CRS(target_crs), always_xy=True)
    except pyproj.exceptions.CRSError as err:
        raise InputError(f"unknown CRS '{src}' for --at-crs", path=str(path)) from err
    x, y = tr.transform(xs, ys)
    return table, np.asarray(x, dtype=float), np.asarray(y, dtype=float)
