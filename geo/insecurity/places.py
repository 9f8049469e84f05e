"""Names for cells: the nearest named street, so a finding reads "Lönngatan" and not "c1763_25348"."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = ["street_names"]


def street_names(units: gpd.GeoDataFrame, streets: gpd.GeoDataFrame, *, max_m: float = 150.0) -> pd.Series:
    """Return the name of the named street nearest to each unit's centre (within `max_m`, else empty).

    Parameters
    ----------
    units
        Polygons in a metric CRS.
    streets
        Lines with a ``name`` column in the same CRS; not modified.
    max_m
        Farthest street named, in metres.
    """
    out = pd.Series("", index=units.index, dtype="string")
    if "name" not in streets.columns or not len(units):
        return out
    named = streets[streets["name"].notna() & (streets["name"].astype(str).str.strip() != "")]
    if named.empty:
        return out
    centres = units.geometry.representative_point().to_numpy()
    tree = shapely.STRtree(named.geometry.to_numpy())
    unit_idx, street_idx = tree.query_nearest(centres, max_distance=max_m, all_matches=False)
    names = named["name"].astype(str).to_numpy()
    values = np.array([""] * len(units), dtype=object)
    values[unit_idx] = names[street_idx]
    return pd.Series(values, index=units.index, dtype="string")
