"""The offline base map: the run's own street lines drawn in the page, with their names.

Without internet the tiles never come; the page then switches to these streets by itself (see
:mod:`geo.maps.registry`), and they are offered in the base-map switcher beside the tiles.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.i18n import gettext
from geo.maps.aggregate import feature_collection
from geo.maps.elements import StreetBase
from geo.maps.registry import LeanMap

__all__ = ["STREET_WEIGHTS", "add_offline_streets", "street_lines"]

STREET_WEIGHTS: dict[str, int] = {
    "motorway": 5,
    "trunk": 5,
    "primary": 4,
    "secondary": 4,
    "tertiary": 3,
    "residential": 2,
    "unclassified": 2,
    "living_street": 2,
    "service": 1,
    "footway": 1,
    "cycleway": 1,
    "path": 1,
    "pedestrian": 2,
}
"""Line weight in pixels by OSM ``highway`` class (2 when unknown)."""


def street_lines(streets: gpd.GeoDataFrame, *, simplify_m: float = 2.0) -> gpd.GeoDataFrame:
    """Return the line parts of `streets` in a metric CRS, simplified, with ``name`` and ``w`` (weight).

    Parameters
    ----------
    streets
        Lines with a CRS; ``name`` and ``highway`` are used when present.
    simplify_m
        Simplification tolerance in metres (a street keeps its shape at town scale).
    """
    lines = streets[streets.geometry.notna() & ~streets.geometry.is_empty]
    lines = lines[lines.geom_type.isin(["LineString", "MultiLineString"])]
    if lines.crs is not None and lines.crs.is_geographic:
        lines = lines.to_crs(lines.estimate_utm_crs())
    names = lines["name"].astype("string") if "name" in lines.columns else pd.Series(pd.NA, index=lines.index)
    highway = lines["highway"].astype("string") if "highway" in lines.columns else names.map(lambda _: None)
    weight = np.array([STREET_WEIGHTS.get(str(h), 2) for h in highway], dtype="int64")
    return gpd.GeoDataFrame(
        {"name": names.to_numpy(), "w": weight},
        geometry=lines.geometry.simplify(simplify_m).to_numpy(),
        crs=lines.crs,
    )


def add_offline_streets(
    m: LeanMap, streets: gpd.GeoDataFrame, *, lang: str = "sv", active: bool = False
) -> LeanMap:
    """Add the run's streets as the offline base map (names as tooltips).

    Parameters
    ----------
    m
        The map.
    streets
        Street lines with a CRS (``name``, optionally ``highway``).
    lang
        Language of the switcher's label.
    active
        Shown on opening (when the map has no tiles).
    """
    lines = street_lines(streets)
    props = [
        {"n": str(n), "w": int(w)} if isinstance(n, str) and n else {"w": int(w)}
        for n, w in zip(lines["name"], lines["w"], strict=True)
    ]
    fc = feature_collection(lines, props, decimals=5)
    StreetBase(gettext("Gator (offline)", lang), fc, active=active).add_to(m)
    return m
