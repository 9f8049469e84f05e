"""The lighting layer: lit coverage from lamps and lit ways, walkable ways, and the dark stretches between."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.layers.lighting.stretches import cut_holes, dark_stretches, outside
from geo.layers.lighting.tags import WALKABLE_HIGHWAYS, classify_lit, street_label
from geo.model import require_metric_crs

__all__ = ["DEFAULT_LIT_WAY_BUFFER_M", "DEFAULT_RADIUS_M", "LightingLayer", "build_lighting"]

DEFAULT_RADIUS_M = 25.0
"""Effective lit radius of one street lamp in metres (a disc; half the usual residential spacing)."""

DEFAULT_LIT_WAY_BUFFER_M = 12.0
"""Half-width in metres of the band a way tagged ``lit=yes`` lights (carriageway, pavements, verge)."""


@dataclass
class LightingLayer:
    """Lit coverage, walkable ways and dark stretches, all in one metric CRS.

    Attributes
    ----------
    lamps
        ``lamp_id``, ``status`` (ok, part_night, broken), ``source`` (register, osm), ``lights``
        (False for broken lamps), Point geometry.
    ways
        Walkable ways: ``way_id``, ``highway``, ``name``, ``street``, ``lit`` (tag), ``lit_class`` (lit,
        limited, unlit, unknown), ``length_m``, ``covered_m`` (metres inside lit coverage), ``truncated``.
    coverage
        One row: the lit coverage (lamp discs ∪ lit-way bands) with ``area_m2``, ``n_lamps`` (lamps that
        light), ``n_lit_ways``, ``radius_m``, ``lit_way_buffer_m``.
    unlit_ways
        The walkable ways tagged unlit (``lit=no``/``disused``), with ``length_m``.
    dark_stretches
        Parts of walkable ways outside the coverage, merged along each street and cut to at most
        ``max_stretch_m``: ``stretch_id``, ``street``, ``highway``, ``lit``, ``way_ids`` (JSON list),
        ``length_m``, LineString geometry.
    radius_m, lit_way_buffer_m
        The parameters used (metres).
    gaps
        Dark pieces shorter than ``min_stretch_m`` left out of `dark_stretches`: ``pieces`` and ``length_m``;
        and ``overlap_m``, dark metres where ways lie on top of each other (counted once in the stretches).
    """

    lamps: gpd.GeoDataFrame
    ways: gpd.GeoDataFrame
    coverage: gpd.GeoDataFrame
    unlit_ways: gpd.GeoDataFrame
    dark_stretches: gpd.GeoDataFrame
    radius_m: float
    lit_way_buffer_m: float
    gaps: dict[str, float] = field(default_factory=dict)

    @property
    def crs(self) -> pyproj.CRS:
        """The layer's metric CRS."""
        return self.ways.crs

    @property
    def coverage_geometry(self) -> shapely.Geometry:
        """The lit coverage as one (multi)polygon."""
        return self.coverage.geometry.iloc[0]

    def summary(self) -> dict[str, float]:
        """Key figures: lamps by status, coverage area, walkable/lit/unlit/dark lengths in metres."""
        st = self.lamps["status"].value_counts()
        walk = float(self.ways["length_m"].sum())
        return {
            "lamps": len(self.lamps),
            "lamps_ok": int(st.get("ok", 0)),
            "lamps_part_night": int(st.get("part_night", 0)),
            "lamps_broken": int(st.get("broken", 0)),
            "coverage_area_m2": float(self.coverage["area_m2"].iloc[0]),
            "walkable_m": walk,
            "walkable_lit_m": float(self.ways["covered_m"].sum()),
            "walkable_tagged_lit_m": float(
                self.ways.loc[self.ways["lit_class"].isin(["lit", "limited"]), "length_m"].sum()
            ),
            "unlit_tagged_m": float(self.unlit_ways["length_m"].sum()),
            "unknown_tag_m": float(self.ways.loc[self.ways["lit_class"] == "unknown", "length_m"].sum()),
            "dark_m": float(self.dark_stretches["length_m"].sum()),
            "dark_stretches": len(self.dark_stretches),
            "gap_pieces": self.gaps.get("pieces", 0),
            "gap_m": self.gaps.get("length_m", 0.0),
            "overlap_m": self.gaps.get("overlap_m", 0.0),
        }


_WAY_COLUMNS = [
    "way_id",
    "highway",
    "name",
    "street",
    "lit",
    "lit_class",
    "length_m",
    "covered_m",
    "truncated",
]


def _check(radius_m: float, lit_way_buffer_m: float, min_stretch_m: float, max_stretch_m: float) -> None:
    if not radius_m > 0:
        raise ValueError(f"radius_m must be > 0 metres, got {radius_m}")
    if not lit_way_buffer_m >= 0:
        raise ValueError(f"lit_way_buffer_m must be >= 0 metres, got {lit_way_buffer_m}")
    if not (min_stretch_m >= 0 and max_stretch_m > 0):
        raise ValueError(
            f"min_stretch_m must be >= 0 and max_stretch_m > 0, got {min_stretch_m}, {max_stretch_m}"
        )


def _lamps(lamps: gpd.GeoDataFrame, crs: pyproj.CRS) -> gpd.GeoDataFrame:
    """Return a copy of `lamps` in `crs` with ``lights`` (False for broken lamps); empty frame when none."""
    if len(lamps):
        require_metric_crs(lamps, what="lamps")
        if lamps.crs != crs:
            raise ValueError(f"lamps are in {lamps.crs} but ways in {crs}; reproject one (to_crs)")
        lamps = lamps.copy()
    else:
        lamps = gpd.GeoDataFrame(
            {c: pd.Series(dtype="string") for c in ("lamp_id", "status", "source")},
            geometry=gpd.GeoSeries([], crs=crs),
        )
    lamps = lamps.set_crs(crs, allow_override=True)
    lamps["lights"] = (lamps["status"].astype("string") != "broken").to_numpy(dtype=bool)
    return lamps


def _lit_pieces(
    lamps: gpd.GeoDataFrame, lit_geoms: np.ndarray, *, radius_m: float, lit_way_buffer_m: float
) -> np.ndarray:
    """Return the lit pieces: discs of working lamps and bands of lit ways, minus broken lamps' discs."""
    lights = lamps["lights"].to_numpy(dtype=bool)
    lamp_geoms = lamps.geometry.to_numpy()
    discs = np.asarray(shapely.buffer(lamp_geoms[lights], radius_m, quad_segs=8), dtype=object)
    bands = (
        np.asarray(shapely.buffer(lit_geoms, lit_way_buffer_m, quad_segs=4), dtype=object)
        if lit_way_buffer_m > 0
        else np.array([], dtype=object)
    )
    # a lit=yes tag describes the street in normal operation; where the register says the lamps are broken,
    # that part of the street is dark until they are repaired
    holes = np.asarray(shapely.buffer(lamp_geoms[~lights], radius_m, quad_segs=8), dtype=object)
    bands = cut_holes(bands, holes)
    pieces = np.concatenate([discs, bands])
    return pieces[~shapely.is_empty(pieces)] if len(pieces) else pieces


def _coverage(
    pieces: np.ndarray,
    *,
    n_lamps: int,
    n_lit_ways: int,
    radius_m: float,
    lit_way_buffer_m: float,
    crs: object,
) -> gpd.GeoDataFrame:
    union = shapely.union_all(pieces) if len(pieces) else shapely.Polygon()
    union = shapely.make_valid(union) if not shapely.is_valid(union) else union
    return gpd.GeoDataFrame(
        {
            "area_m2": [float(shapely.area(union))],
            "n_lamps": [n_lamps],
            "n_lit_ways": [n_lit_ways],
            "radius_m": [float(radius_m)],
            "lit_way_buffer_m": [float(lit_way_buffer_m)],
        },
        geometry=[union if not union.is_empty else shapely.MultiPolygon()],
        crs=crs,
    )


def _walkable(
    lines: gpd.GeoDataFrame, lit_class: np.ndarray, pieces: np.ndarray, *, walkable: Sequence[str]
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Return the walkable ways with their lit lengths, and each one's part outside the lit pieces."""
    walk_mask = lines["highway"].astype("string").isin(list(walkable)).fillna(False).to_numpy(dtype=bool)
    walk = lines[walk_mask].reset_index(drop=True)
    walk["lit_class"] = lit_class[walk_mask]
    wgeoms = walk.geometry.to_numpy()
    dark = outside(wgeoms, pieces)
    walk["length_m"] = shapely.length(wgeoms)
    walk["covered_m"] = np.clip(walk["length_m"].to_numpy() - shapely.length(dark), 0, None)
    walk["street"] = [street_label(n, h) for n, h in zip(walk["name"], walk["highway"], strict=True)]
    for c in _WAY_COLUMNS:
        if c not in walk.columns:
            walk[c] = False if c == "truncated" else pd.NA
    return gpd.GeoDataFrame(walk[_WAY_COLUMNS], geometry=wgeoms, crs=lines.crs), dark


def build_lighting(
    lamps: gpd.GeoDataFrame,
    ways: gpd.GeoDataFrame,
    *,
    radius_m: float = DEFAULT_RADIUS_M,
    lit_way_buffer_m: float = DEFAULT_LIT_WAY_BUFFER_M,
    walkable: Sequence[str] = WALKABLE_HIGHWAYS,
    min_stretch_m: float = 10.0,
    max_stretch_m: float = 200.0,
) -> LightingLayer:
    """Build lit coverage, unlit walkable ways and dark stretches.

    Parameters
    ----------
    lamps
        Lamp points with ``lamp_id`` and ``status`` (as from :func:`geo.io.lamps.read_lighting_sources`),
        metric CRS.
    ways
        Ways with ``way_id``, ``highway``, ``name``, ``lit`` (the OSM tag, may be missing), same CRS.
    radius_m
        Effective lit radius of a lamp in metres (> 0). Broken lamps light nothing; part-night lamps count
        as lighting (they are flagged as quick fixes in :mod:`geo.plan.lighting.fixes`).
    lit_way_buffer_m
        Half-width in metres of the band lit by a way tagged lit (>= 0; 0 ignores the ``lit`` tags).
    walkable
        ``highway`` values of walkable ways (default :data:`~geo.layers.lighting.tags.WALKABLE_HIGHWAYS`).
    min_stretch_m
        Dark pieces shorter than this (metres) are gaps between light discs, not dark stretches; they are
        counted in ``LightingLayer.gaps``.
    max_stretch_m
        Longer dark stretches are cut into equal parts no longer than this (metres), so that each is a
        place one can point at.

    Returns
    -------
    layer
        The :class:`LightingLayer`.

    Raises
    ------
    ValueError
        If a parameter is out of range or the frames are not in one metric CRS.
    """
    _check(radius_m, lit_way_buffer_m, min_stretch_m, max_stretch_m)
    require_metric_crs(ways, what="ways")
    crs = ways.crs
    lamps = _lamps(lamps, crs)
    lines = ways.explode(index_parts=False).reset_index(drop=True) if len(ways) else ways.copy()
    lines = lines[lines.geometry.notna() & ~lines.geometry.is_empty].reset_index(drop=True)
    lit_class = np.array([classify_lit(v) for v in lines["lit"]] if len(lines) else [], dtype=object)
    lit_geoms = lines.geometry.to_numpy()[np.isin(lit_class, ["lit", "limited"])]
    pieces = _lit_pieces(lamps, lit_geoms, radius_m=radius_m, lit_way_buffer_m=lit_way_buffer_m)
    coverage = _coverage(
        pieces,
        n_lamps=int(lamps["lights"].sum()),
        n_lit_ways=len(lit_geoms),
        radius_m=radius_m,
        lit_way_buffer_m=lit_way_buffer_m,
        crs=crs,
    )
    walk, dark = _walkable(lines, lit_class, pieces, walkable=walkable)
    unlit = walk[walk["lit_class"] == "unlit"].reset_index(drop=True)
    stretches, gaps = dark_stretches(walk, dark, min_stretch_m=min_stretch_m, max_stretch_m=max_stretch_m)
    return LightingLayer(
        lamps=gpd.GeoDataFrame(lamps, geometry=lamps.geometry.name, crs=crs),
        ways=walk,
        coverage=coverage,
        unlit_ways=unlit,
        dark_stretches=stretches,
        radius_m=float(radius_m),
        lit_way_buffer_m=float(lit_way_buffer_m),
        gaps=gaps,
    )
