"""The street network of hot streets: street lines joined and cut into segments, and reports snapped to them.

See :mod:`geo.hotspots.segments` for the rules (which ways are streets, how a street is joined and cut).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.hotspots.dbscan import collapse_duplicates

__all__ = ["NOT_STREETS", "snap_to_segments", "split_at_junctions"]

NOT_STREETS: frozenset[str] = frozenset(
    {
        "footway",
        "cycleway",
        "path",
        "steps",
        "bridleway",
        "corridor",
        "proposed",
        "construction",
        "platform",
        "elevator",
        "bus_stop",
        "raceway",
        "abandoned",
        "disused",
        "trail",
    }
)
"""``highway`` values that are not streets; unnamed ``service`` roads are left out too."""


def _street_lines(streets: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    lines = streets[streets.geom_type.isin(("LineString", "MultiLineString"))]
    if "highway" in lines.columns:
        hw = lines["highway"].astype("string").fillna("")
        named = lines["name"].notna() if "name" in lines.columns else pd.Series(False, index=lines.index)
        keep = ~hw.isin(NOT_STREETS) & ~((hw == "service") & ~named)
        lines = lines[keep.to_numpy()]
    names = lines["name"] if "name" in lines.columns else pd.Series(None, index=lines.index)
    frame = gpd.GeoDataFrame(
        {"name": names.astype("string").to_numpy()}, geometry=lines.geometry.to_numpy(), crs=streets.crs
    )
    frame = frame.explode(index_parts=False, ignore_index=True)
    return frame[~frame.geometry.is_empty & (frame.geometry.length > 0)].reset_index(drop=True)


def _merge_by_name(lines: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Join pieces of one street (same name; unnamed with unnamed) that meet end to end, and only two there.

    OpenStreetMap splits a street into many ways, at every bridge, lane or tag change.
    """
    named = lines["name"].fillna("").astype(str).to_numpy()
    geoms = lines.geometry.to_numpy()
    rows_name: list[str | None] = []
    rows_geom: list[object] = []
    for name in pd.unique(named):
        merged = shapely.line_merge(shapely.union_all(geoms[named == name]))
        for g in getattr(merged, "geoms", [merged]):
            rows_name.append(name or None)
            rows_geom.append(g)
    return gpd.GeoDataFrame({"name": pd.array(rows_name, dtype="string")}, geometry=rows_geom, crs=lines.crs)


def split_at_junctions(streets: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Cut street lines into segments between junctions.

    Parameters
    ----------
    streets
        Lines in a metric CRS, with an optional ``name`` and ``highway`` column.

    Returns
    -------
    segments
        ``segment_id`` (``SEG-000001``... in input order), ``name``, ``length_m`` and the line.
    """
    lines = _street_lines(streets)
    if len(lines):
        lines = _merge_by_name(lines)
    if not len(lines):
        return gpd.GeoDataFrame(
            {"segment_id": [], "name": [], "length_m": []},
            geometry=gpd.GeoSeries([], crs=streets.crs),
            crs=streets.crs,
        )
    coords, owner = shapely.get_coordinates(lines.geometry.to_numpy(), return_index=True)
    codes, uniq = pd.factorize(np.ascontiguousarray(coords).view(np.complex128).ravel())
    pairs = np.unique(owner.astype("int64") * len(uniq) + codes)
    lines_at = np.bincount(pairs % len(uniq), minlength=len(uniq))
    junction = lines_at[codes] >= 2
    first = np.r_[True, owner[1:] != owner[:-1]]
    last = np.r_[owner[1:] != owner[:-1], True]
    bounds = np.flatnonzero(first | last | junction)  # each line's ends and its junctions
    a, b = bounds[:-1], bounds[1:]
    keep = owner[a] == owner[b]  # consecutive bounds of one line make a segment
    a, b = a[keep], b[keep]
    n_vertices = b - a + 1
    offsets = np.r_[0, np.cumsum(n_vertices)[:-1]]
    take = np.repeat(a - offsets, n_vertices) + np.arange(int(n_vertices.sum()))
    geoms = shapely.linestrings(coords[take], indices=np.repeat(np.arange(len(a)), n_vertices))
    names = lines["name"].to_numpy()[owner[a]]
    out = gpd.GeoDataFrame({"name": pd.array(names, dtype="string")}, geometry=geoms, crs=streets.crs)
    out = out[out.geometry.length > 0].reset_index(drop=True)
    out.insert(0, "segment_id", [f"SEG-{i + 1:06d}" for i in range(len(out))])
    out.insert(2, "length_m", out.geometry.length.to_numpy())
    return out


def snap_to_segments(
    xy: np.ndarray, segments: gpd.GeoDataFrame, *, snap_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return the nearest segment of each position within `snap_m` metres (-1: none) and the distance.

    Parameters
    ----------
    xy
        ``(n, 2)`` positions in metres, in the segments' CRS.
    segments
        From :func:`split_at_junctions`.
    snap_m
        Largest distance in metres (inclusive).
    """
    if not snap_m > 0:
        raise ValueError(f"snap_m must be > 0 metres, got {snap_m}")
    if not len(xy) or not len(segments):
        return np.full(len(xy), -1, dtype="int64"), np.full(len(xy), np.nan)
    # reports stacked on one address are snapped once (Toronto: 114,721 reports on 16,395 positions)
    uniq, inverse, _ = collapse_duplicates(np.asarray(xy, dtype="float64"))
    tree = shapely.STRtree(segments.geometry.to_numpy())
    idx, d = tree.query_nearest(
        shapely.points(uniq), max_distance=snap_m, return_distance=True, all_matches=False
    )
    seg_u = np.full(len(uniq), -1, dtype="int64")
    dist_u = np.full(len(uniq), np.nan)
    seg_u[idx[0]] = idx[1]
    dist_u[idx[0]] = d
    return seg_u[inverse], dist_u[inverse]
