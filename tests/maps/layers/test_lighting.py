"""Lighting layers (geo.maps.layers.lighting): the CSV contracts as badges, dark places as lines."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString

from geo.maps import render_html
from geo.maps.layers.lighting import add_dark_places, add_lamp_proposals
from tests.maps._helpers import registered


def test_lamp_proposals_and_dark_places_tables(small_map):
    proposals = pd.DataFrame(
        {
            "rank": [1, 2],
            "lat": [57.1801, 57.1852],
            "lon": [14.0411, 14.0523],
            "street": ["Parkstigen", "Stationsstigen"],
            "covered_reports": [14, 9],
            "gain": [14.0, 9.0],
            "reason": ["14 mörka händelser inom 30 m", "9 rapporter"],
        }
    )
    places = pd.DataFrame(
        {
            "rank": [1],
            "lat": [57.18],
            "lon": [14.04],
            "length_m": [180.0],
            "score": [12.5],
            "dark_reports": [11],
        }
    )
    add_lamp_proposals(small_map, proposals)
    add_dark_places(small_map, places)
    html = render_html(small_map)
    assert registered(html) == ["lamp_proposals", "dark_places"]
    assert "14 mörka händelser inom 30 m" in html and '"_n":2' in html
    with pytest.raises(ValueError, match="rank"):
        add_lamp_proposals(small_map, proposals.drop(columns=["rank"]))


def test_dark_places_as_lines(small_map):
    lines = gpd.GeoDataFrame(
        {
            "rank": [1, 2],
            "street": ["Parkstigen", "Lönngatan"],
            "length_m": [120.0, 90.0],
            "score": [3.0, 2.0],
            "dark_reports": [5, 3],
        },
        geometry=[
            LineString([(448000, 6340000), (448120, 6340000)]),
            LineString([(448500, 6340100), (448500, 6340190)]),
        ],
        crs="EPSG:3006",
    )
    add_dark_places(small_map, lines)
    html = render_html(small_map)
    assert '"type":"LineString"' in html and '"_n"' not in html
