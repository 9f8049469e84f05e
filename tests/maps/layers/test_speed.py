"""Speed layers (geo.maps.layers.speed): the enforcement plan contract, segments by share over the limit."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString

from geo.maps import render_html
from geo.maps.layers.speed import add_enforcement, add_speed_segments
from tests.maps._helpers import registered


def test_enforcement_and_speed_segments(small_map):
    plan = pd.DataFrame(
        {
            "rank": [1, 2],
            "segment_id": ["S0029", "S0132"],
            "street": ["Jönköpingsvägen", "Skolgatan"],
            "lat": [57.19, 57.18],
            "lon": [14.05, 14.04],
            "limit_kmh": [50, 30],
            "weekdays": ["fre–lör", "mån–fre"],
            "start": ["22:00", "07:00"],
            "end": ["02:00", "09:00"],
            "passes": [400, 300],
            "share_over_limit": [0.61, 0.4],
            "share_over_limit_10": [0.3, 0.1],
            "p85_kmh": [68.0, 41.0],
        }
    )
    segs = gpd.GeoDataFrame(
        {
            "segment_id": ["S0029", "S0001"],
            "limit_kmh": [50, 40],
            "share_over_limit": [0.61, np.nan],
            "p85_kmh": [68.0, np.nan],
        },
        geometry=[
            LineString([(448000, 6340000), (448300, 6340000)]),
            LineString([(448000, 6340100), (448300, 6340100)]),
        ],
        crs="EPSG:3006",
    )
    add_enforcement(small_map, plan)
    add_speed_segments(small_map, segs)
    html = render_html(small_map)
    assert "fre–lör 22:00–02:00" in html and re.search(r"61,0(\xa0|\\u00a0)%", html)  # Swedish decimals
    assert registered(html) == ["enforcement", "speed"]
