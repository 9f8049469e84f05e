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
    # the place layer: one badge per place, numbered with its visits in the week (as the legend says)
    assert kinds == ["Point"] * 3
    storgatan = next(f for f in data["features"] if f["properties"].get("_n") == 3)
    assert (
        "fredag 2026-11-06" in storgatan["properties"]["_p"]
        and "23:05–23:20" in storgatan["properties"]["_p"]
    )
    assert "antalet planerade besök på platsen" in html
    # the route layer: one route per shift, chosen from a list; stops numbered in visit order
    routes = json.loads(re.search(r"var R = (\[.*?\]), N = ", html).group(1))
    labels = json.loads(re.search(r", N = (\[.*?\]), key = ", html).group(1))
    assert len(routes) == len(labels) == 2
    assert labels[0].startswith("fredag 2026-11-06") and "3 besök" in labels[0]
    first = routes[0]["features"]
    # one badge per place, numbered with the orders of its visits in the shift
    assert [f["geometry"]["type"] for f in first] == ["LineString", "Point", "Point"]
    assert [f["properties"]["_n"] for f in first[1:]] == ["1, 3", "2"]
    assert "lb-route-select" in html and "ordning i passet" in html


def test_a_route_follows_its_street_path(small_map):
    visits = pd.DataFrame(
        {
            "date": ["2026-11-06"] * 2,
            "weekday": ["fredag"] * 2,
            "start": ["22:00", "22:30"],
            "end": ["22:15", "22:45"],
            "place_id": ["A", "B"],
            "place": ["A", "B"],
            "lat": [57.18, 57.19],
            "lon": [14.04, 14.05],
            "order": [1, 2],
            "expected_share": [0.01, 0.01],
            "shift": ["fredag 22:00–06:00"] * 2,
            "path": ["", json.dumps([[14.04, 57.19]])],  # round the corner
        }
    )
    add_patrol(small_map, visits)
    html = render_html(small_map)
    routes = json.loads(re.search(r"var R = (\[.*?\]), N = ", html).group(1))
    line = routes[0]["features"][0]["geometry"]["coordinates"]
    assert line == [[14.04, 57.18], [14.04, 57.19], [14.05, 57.19]]
