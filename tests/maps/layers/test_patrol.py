"""The patrol layer (geo.maps.layers.patrol): visits by place, routes by shift."""

from __future__ import annotations

import json
import re

import pandas as pd

from geo.maps import render_html
from geo.maps.layers.patrol import add_patrol, shifts_of


def test_patrol_visits_by_place_and_routes_by_shift(small_map):
    visits = pd.DataFrame(
        {
            "date": ["2026-11-06"] * 3 + ["2026-11-07"] * 2,
            "weekday": ["fredag"] * 3 + ["lördag"] * 2,
            "start": ["22:00", "22:30", "23:05", "22:00", "22:40"],
            "end": ["22:15", "22:45", "23:20", "22:15", "22:55"],
            "place_id": ["HS-0001", "HS-0002", "HS-0001", "HS-0001", "HS-0003"],
            "place": ["Storgatan", "Resecentrum", "Storgatan", "Storgatan", "Parken"],
            "lat": [57.183, 57.186, 57.183, 57.183, 57.178],
            "lon": [14.047, 14.041, 14.047, 14.047, 14.052],
            "order": [1, 2, 3, 1, 2],
            "expected_share": [0.01, 0.005, 0.008, 0.01, 0.004],
        }
    )
    assert shifts_of(visits).tolist() == [0, 0, 0, 1, 1]
    add_patrol(small_map, visits)
    html = render_html(small_map)
    data = json.loads(re.search(r"var layer = L\.geoJSON\((\{.*?\}), opts\);", html).group(1))
    kinds = [f["geometry"]["type"] for f in data["features"]]
    assert kinds.count("LineString") == 2 and kinds.count("Point") == 3
    storgatan = next(f for f in data["features"] if f["properties"].get("_n") == 3)
    assert (
        "fredag 2026-11-06" in storgatan["properties"]["_p"]
        and "23:05–23:20" in storgatan["properties"]["_p"]
    )
