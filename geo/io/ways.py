"""Readers of walkable ways with their ``lit`` tag, for the lighting layer (:mod:`geo.layers.lighting`).

Two sources: a line file (GeoPackage, Shapefile, GeoJSON) with ``highway``/``lit``/``name`` columns, read
by :func:`read_way_file`, and the ways of an OpenStreetMap extract (:func:`geo.io.osm.read_osm`) put into the
same shape by :func:`osm_ways`.

CRS rule: a line file's CRS is read from the file; a file without one is an error naming the file unless
``source_crs`` is given; the ways come back reprojected to the ``crs`` asked for.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from geo.errors import InputError
from geo.io._columns import pick_column, read_vector

__all__ = ["osm_ways", "read_way_file"]

_HIGHWAY_COLUMNS = ("highway", "vägtyp", "vagtyp", "typ", "type", "kind")
_LIT_COLUMNS = ("lit", "belyst", "belysning", "lighting")
_NAME_COLUMNS = ("name", "namn", "gatunamn", "street")
_WAY_ID_COLUMNS = ("way_id", "segment_id", "osm_id", "id", "fid")


def _require_lines(frame: gpd.GeoDataFrame, *, name: str) -> None:
    kinds = frame.geom_type
    bad = frame.geometry.isna() | frame.geometry.is_empty | ~kinds.isin(["LineString", "MultiLineString"])
    if bad.any():
        idx = np.flatnonzero(bad.to_numpy())
        raise InputError(
            f"{idx.size} feature(s) are not lines (rows {list(idx[:20] + 1)})",
            path=name,
            row=int(idx[0] + 1),
            field="geometry",
        )


def _lit_text(values: pd.Series) -> pd.arrays.StringArray:
    """Return the ``lit`` values as text: booleans become ``yes``/``no``, missing values stay missing."""
    if values.dtype == bool:
        values = values.map({True: "yes", False: "no"})
    return pd.array(
        [None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in values],
        dtype="string",
    )


def read_way_file(
    path: str | Path, *, crs: pyproj.CRS | str, source_crs: str | None = None
) -> gpd.GeoDataFrame:
    """Read ways from a line file (GeoPackage, Shapefile, GeoJSON) with ``highway``, ``lit``, ``name``.

    CRS rule: the file's own CRS; `source_crs` when it states none (else an error naming the file); the ways
    are returned in `crs`.

    Parameters
    ----------
    path
        The file.
    crs
        Metric CRS to return the ways in.
    source_crs
        The file's CRS when it states none.

    Returns
    -------
    ways
        ``way_id``, ``highway`` (``footway`` when the file has no such column: every line is taken as
        walkable), ``name``, ``lit``, ``truncated`` (False), ``source_file``, LineString geometry.

    Raises
    ------
    InputError
        If the file cannot be read, has no CRS, or holds features that are not lines (named by row).
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError("file not found", path=name)
    frame = read_vector(path, source_crs=source_crs)
    _require_lines(frame, name=name)
    cols = list(frame.columns)
    hw = pick_column(cols, _HIGHWAY_COLUMNS, None, path=name, what="highway")
    lit = pick_column(cols, _LIT_COLUMNS, None, path=name, what="lit")
    nm = pick_column(cols, _NAME_COLUMNS, None, path=name, what="name")
    idc = pick_column(cols, _WAY_ID_COLUMNS, None, path=name, what="id")
    frame = frame.explode(index_parts=False).reset_index(drop=False)
    rows = frame["index"].to_numpy() + 1
    ids = [f"{path.name}:{frame[idc].iloc[i]}" if idc else f"{path.name}:{r}" for i, r in enumerate(rows)]
    return gpd.GeoDataFrame(
        {
            "way_id": pd.array(ids, dtype="string"),
            "highway": pd.array(frame[hw] if hw else ["footway"] * len(frame), dtype="string"),
            "name": pd.array(frame[nm] if nm else [None] * len(frame), dtype="string"),
            "lit": _lit_text(frame[lit] if lit else pd.Series([None] * len(frame))),
            "truncated": np.zeros(len(frame), dtype=bool),
            "source_file": pd.array([name] * len(frame), dtype="string"),
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    ).to_crs(crs)


def osm_ways(ways: gpd.GeoDataFrame, *, name: str) -> gpd.GeoDataFrame:
    """Put the ways of :func:`geo.io.osm.read_osm` into the shape of :func:`read_way_file`.

    Parameters
    ----------
    ways
        ``OsmLayers.ways`` (``osm_id``, ``highway``, ``name``, ``lit``, ``truncated``), in the CRS it was read
        in (kept).
    name
        The PBF file, recorded in ``source_file``.

    Returns
    -------
    ways
        ``way_id`` (``osm:w<id>``), ``highway``, ``name``, ``lit``, ``truncated``, ``source_file``.
    """
    return gpd.GeoDataFrame(
        {
            "way_id": pd.array([f"osm:w{i}" for i in ways["osm_id"]], dtype="string"),
            "highway": pd.array(ways["highway"], dtype="string"),
            "name": pd.array(ways["name"], dtype="string"),
            "lit": pd.array(ways["lit"], dtype="string"),
            "truncated": ways["truncated"].astype(bool).to_numpy(),
            "source_file": pd.array([name] * len(ways), dtype="string"),
        },
        geometry=ways.geometry.reset_index(drop=True),
        crs=ways.crs,
    )
