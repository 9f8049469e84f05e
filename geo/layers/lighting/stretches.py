"""Where the light does not reach: each way minus the lit pieces, merged and cut into dark stretches."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import substring

__all__ = ["cut_holes", "dark_stretches", "outside"]


def _split_long(lines: np.ndarray, max_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Cut lines longer than `max_m` into equal parts; return the parts and the index of their source line."""
    out: list[shapely.Geometry] = []
    src: list[int] = []
    lengths = shapely.length(lines)
    for i, (g, length) in enumerate(zip(lines, lengths, strict=True)):
        n = max(1, math.ceil(length / max_m - 1e-9)) if math.isfinite(max_m) and max_m > 0 else 1
        if n == 1:
            out.append(g)
            src.append(i)
            continue
        step = length / n
        for k in range(n):
            out.append(substring(g, k * step, (k + 1) * step))
            src.append(i)
    return np.array(out, dtype=object), np.array(src, dtype=int)


def outside(lines: np.ndarray, pieces: np.ndarray) -> np.ndarray:
    """Each line minus the union of the lit pieces (discs, bands) that touch it.

    Working from the small pieces instead of the dissolved coverage keeps each difference local: in a
    well-lit town the dissolved coverage is one polygon with thousands of holes, and subtracting it from every
    way would copy it thousands of times.
    """
    result = lines.copy()
    if len(pieces) == 0 or len(lines) == 0:
        return result
    tree = shapely.STRtree(pieces)
    li, pi = tree.query(lines, predicate="intersects")
    if li.size == 0:
        return result
    order = np.argsort(li, kind="stable")
    li, pi = li[order], pi[order]
    uniq, start = np.unique(li, return_index=True)
    stop = np.append(start[1:], li.size) if start.size else start
    local = np.array(
        [shapely.union_all(pieces[pi[a:b]]) for a, b in zip(start, stop, strict=True)], dtype=object
    )
    result[uniq] = shapely.difference(lines[uniq], local)
    return result


def cut_holes(bands: np.ndarray, holes: np.ndarray) -> np.ndarray:
    """Each band minus the holes (broken lamps' discs) that touch it."""
    if len(holes) == 0 or len(bands) == 0:
        return bands
    out = bands.copy()
    tree = shapely.STRtree(holes)
    bi, hi = tree.query(bands, predicate="intersects")
    for b in np.unique(bi):
        out[b] = shapely.difference(bands[b], shapely.union_all(holes[hi[bi == b]]))
    return out


_STRETCH_COLUMNS = ["stretch_id", "street", "highway", "lit", "way_ids", "length_m"]


def _empty(crs: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {c: pd.Series(dtype="float64" if c == "length_m" else "string") for c in _STRETCH_COLUMNS},
        geometry=gpd.GeoSeries([], crs=crs),
    )


def _merge_by_name(parts: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Merge the dark pieces of each street name into as few lines as their geometry allows."""
    merged: list[shapely.Geometry] = []
    for key in pd.unique(keys):
        sel = parts[keys == key]
        m = shapely.line_merge(shapely.union_all(sel)) if len(sel) > 1 else sel[0]
        merged.extend(shapely.get_parts(m))
    return np.array(merged, dtype=object)


def _way_ids(cut: np.ndarray, parts: np.ndarray, way_of_piece: np.ndarray) -> dict[int, set[str]]:
    """Stretch index -> ids of the ways with a piece running along it (not merely touching it)."""
    tree = shapely.STRtree(parts)
    si, pi = tree.query(cut, predicate="intersects")
    band = shapely.buffer(cut, 0.05, cap_style="flat")
    along = shapely.length(shapely.intersection(parts[pi], band[si])) > 0.5
    ids: dict[int, set[str]] = {}
    for s, p in zip(si[along], pi[along], strict=True):
        ids.setdefault(int(s), set()).add(str(way_of_piece[p]))
    return ids


def _attributes(
    cut: np.ndarray, mids: np.ndarray, parts: np.ndarray, owner: np.ndarray, walk: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Street, highway, lit tag and way ids of each stretch: the piece under its midpoint names it."""
    tree = shapely.STRtree(parts)
    near_s, near_p = tree.query_nearest(mids, return_distance=False, all_matches=False)
    main = np.full(cut.size, -1)
    main[near_s] = near_p
    way_of_piece = walk["way_id"].astype("string").to_numpy()[owner]
    ids_by_stretch = _way_ids(cut, parts, way_of_piece)
    street = walk["street"].astype("string").to_numpy()
    highway = walk["highway"].astype("string").to_numpy()
    lit = walk["lit"].astype("string").to_numpy()
    rows = []
    for s in range(cut.size):
        w = owner[main[s]]
        rows.append(
            {
                "street": str(street[w]),
                "highway": str(highway[w]) if not pd.isna(highway[w]) else "",
                "lit": None if pd.isna(lit[w]) else str(lit[w]),
                "way_ids": json.dumps(
                    sorted(ids_by_stretch.get(s, {str(way_of_piece[main[s]])})), ensure_ascii=False
                ),
            }
        )
    return pd.DataFrame(rows)


def dark_stretches(
    walk: gpd.GeoDataFrame, outside_lines: np.ndarray, *, min_stretch_m: float, max_stretch_m: float
) -> tuple[gpd.GeoDataFrame, dict[str, float]]:
    """Merge the dark parts of the walkable ways along each street and cut them into dark stretches.

    Parameters
    ----------
    walk
        The walkable ways (``way_id``, ``name``, ``street``, ``highway``, ``lit``), metric CRS.
    outside_lines
        Each way's part outside the lit coverage (from :func:`outside`), aligned with `walk`.
    min_stretch_m
        Dark pieces shorter than this (metres) are gaps between light discs, not stretches.
    max_stretch_m
        Longer stretches are cut into equal parts no longer than this (metres).

    Returns
    -------
    stretches, gaps
        ``stretch_id`` (``DS-0001``, ordered west to east, then south to north), ``street``, ``highway``,
        ``lit``, ``way_ids`` (JSON list), ``length_m``, LineString geometry; and ``pieces``/``length_m`` of
        the gaps left out and ``overlap_m`` (dark metres where ways lie on top of each other).
    """
    crs = walk.crs
    if len(walk) == 0:
        return _empty(crs), {"pieces": 0, "length_m": 0.0}
    parts, owner = shapely.get_parts(outside_lines, return_index=True)
    # LineStrings; points from tangencies and empty remainders are dropped
    lines_mask = (shapely.get_type_id(parts) == 1) & ~shapely.is_empty(parts)
    parts, owner = parts[lines_mask], owner[lines_mask]
    if parts.size == 0:
        return _empty(crs), {"pieces": 0, "length_m": 0.0}
    names = walk["name"].astype("string").fillna("").str.strip().to_numpy()
    merged = _merge_by_name(parts, names[owner])
    cut, _ = _split_long(merged, max_stretch_m)
    lengths = shapely.length(cut)
    small = lengths < min_stretch_m
    overlap = max(0.0, float(shapely.length(parts).sum() - shapely.length(merged).sum()))
    gaps = {"pieces": int(small.sum()), "length_m": float(lengths[small].sum()), "overlap_m": overlap}
    cut, lengths = cut[~small], lengths[~small]
    if cut.size == 0:
        return _empty(crs), gaps
    mids = shapely.line_interpolate_point(cut, 0.5, normalized=True)
    table = _attributes(cut, mids, parts, owner, walk)
    table["length_m"] = lengths
    # stable ids: ordered by position (west to east, south to north) so reruns give the same ids
    order = np.lexsort((np.round(shapely.get_y(mids), 1), np.round(shapely.get_x(mids), 1)))
    table = table.iloc[order].reset_index(drop=True)
    table.insert(0, "stretch_id", [f"DS-{i + 1:04d}" for i in range(len(table))])
    dark = gpd.GeoDataFrame(table, geometry=cut[order], crs=crs)
    dark["street"] = dark["street"].astype("string")
    return dark, gaps
