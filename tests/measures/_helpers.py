"""Measures for the planted worlds: a disc around each planted place."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.measures.build import build_measures
from geo.measures.model import Measures
from geo.measures.synth import PlantedPlace


def measures_for(places: list[PlantedPlace], **extra: object) -> Measures:
    """Return one measure a planted place (kind ``patrull/närvaro`` unless `extra` says else)."""
    rows = [
        {
            "measure_id": f"M{i + 1}",
            "kind": "patrull/närvaro",
            "start": p.start,
            "radius_m": p.radius_m,
            **extra,
        }
        for i, p in enumerate(places)
    ]
    geoms = gpd.GeoSeries([Point(p.x, p.y).buffer(p.radius_m, 64) for p in places], crs="EPSG:3006")
    return build_measures(
        pd.DataFrame(rows), geoms, tz="Europe/Stockholm", path="test", rows=list(range(2, len(rows) + 2))
    )
