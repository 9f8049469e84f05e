"""Small hand-made frames for the map readers' and writer's tests: hot-spots, patrol plans, lighting."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point

CRS = "EPSG:3006"


def hotspots() -> gpd.GeoDataFrame:
    """Return two hot-spots in Värnamo (SWEREF 99 TM)."""
    return gpd.GeoDataFrame(
        {
            "hotspot_id": ["HS-0001", "HS-0002"],
            "n_reports": [40, 25],
            "share": [0.1, 0.06],
            "label": ["A", "B"],
        },
        geometry=[Point(448_300, 6_340_300).buffer(80), Point(448_900, 6_340_700).buffer(60)],
        crs=CRS,
    )


def visits(place: str, start: str, end: str, *, dx: float = 0.0) -> gpd.GeoDataFrame:
    """Return a three-visit patrol plan at `place` in the window `start`–`end` (shifted `dx` metres east)."""
    pts = gpd.GeoSeries([Point(448_300 + dx, 6_340_300), Point(448_900 + dx, 6_340_700)] * 2, crs=CRS)[:3]
    wgs = pts.to_crs("EPSG:4326")
    frame = pd.DataFrame(
        {
            "date": ["2026-11-06", "2026-11-06", "2026-11-07"],
            "weekday": ["fredag", "fredag", "lördag"],
            "start": [start] * 3,
            "end": [end] * 3,
            "place_id": [f"{place}-1", f"{place}-2", f"{place}-1"],
            "place": [place] * 3,
            "lat": wgs.y.to_numpy(),
            "lon": wgs.x.to_numpy(),
            "order": [1, 2, 1],
            "expected_share": [0.01, 0.02, 0.01],
        }
    )
    return gpd.GeoDataFrame(frame, geometry=pts.to_numpy(), crs=CRS)


def table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return a frame as its CSV table (no geometry)."""
    return pd.DataFrame(frame.drop(columns=frame.geometry.name))


def lighting_layers() -> dict[str, gpd.GeoDataFrame]:
    """Return a lighting GeoPackage's layers: two proposals and one ranked dark place."""
    lamps = gpd.GeoDataFrame(
        {
            "rank": [1, 2],
            "street": ["Parkstigen", "Lönngatan"],
            "covered_reports": [9, 4],
            "reason": ["x", "y"],
        },
        geometry=[Point(448_310, 6_340_310), Point(448_910, 6_340_710)],
        crs=CRS,
    )
    places = gpd.GeoDataFrame(
        {"rank": [1], "street": ["Parkstigen"], "length_m": [120.0], "score": [3.0], "dark_reports": [5]},
        geometry=[LineString([(448_000, 6_340_000), (448_120, 6_340_000)])],
        crs=CRS,
    )
    return {"lighting_proposals": lamps, "dark_places": places}
