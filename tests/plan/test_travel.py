"""Travel times: shortest paths on the street network, the straight line, and the fallback between them."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import pytest
from shapely.geometry import MultiLineString, Point

from geo.plan.travel import street_graph, travel_minutes
from tests.plan.conftest import river_streets


def test_travel_on_the_street_network() -> None:
    # two places 200 m apart across a river; the only bridge is 1 km upstream
    a, b = Point(0, 0), Point(0, 200)
    streets = river_streets()
    pts = gpd.GeoSeries([a, b], crs="EPSG:3006")
    minutes, metres, how = travel_minutes(pts, speed_kmh=30, streets=streets)
    assert how == "gatunät" and metres[0, 1] == pytest.approx(2200.0)
    assert minutes[0, 1] == 5  # 2.2 km at 30 km/h = 4.4 min, rounded up
    minutes2, metres2, how2 = travel_minutes(pts, speed_kmh=30)
    assert how2 == "fågelvägen" and metres2[0, 1] == pytest.approx(200.0) and minutes2[0, 1] == 1
    # a network that does not connect the places falls back to the straight line
    cut = streets.iloc[[0, 2]]
    _, metres3, _ = travel_minutes(pts, speed_kmh=30, streets=cut)
    assert metres3[0, 1] == pytest.approx(200.0)


def test_street_graph_joins_shared_vertices() -> None:
    streets = gpd.GeoDataFrame(
        geometry=[MultiLineString([[(0, 0), (100, 0)], [(100, 0), (100, 50)]]), None],
        crs="EPSG:3006",
    )
    graph, xy = street_graph(streets)
    assert len(xy) == 3 and graph.number_of_edges() == 2
    assert nx.shortest_path_length(graph, 0, 2, weight="length") == pytest.approx(150.0)


def test_bad_speed() -> None:
    with pytest.raises(ValueError, match="speed_kmh"):
        travel_minutes(gpd.GeoSeries([Point(0, 0)], crs="EPSG:3006"), speed_kmh=0)
