"""geo.io.layers: one reader for street lines and other vector layers, with one CRS rule."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from geo.errors import InputError
from geo.io.layers import read_layer


@pytest.fixture
def streets_3006() -> gpd.GeoDataFrame:
    lines = [
        LineString([(440_000, 6_340_000), (440_100, 6_340_050)]),
        LineString([(440_100, 6_340_050), (440_200, 6_340_000)]),
    ]
    return gpd.GeoDataFrame({"name": ["Storgatan", "Lasarettsgatan"]}, geometry=lines, crs="EPSG:3006")


def test_crs_of_the_file_reprojected_to_the_one_asked(tmp_path: Path, streets_3006: gpd.GeoDataFrame) -> None:
    path = tmp_path / "streets.gpkg"
    streets_3006.to_file(path)
    as_read = read_layer(path, what="streets")
    assert as_read.crs.to_epsg() == 3006
    wgs = read_layer(path, what="streets", crs="EPSG:4326")
    assert wgs.crs.to_epsg() == 4326
    assert 57 < wgs.geometry.iloc[0].coords[0][1] < 58


def test_file_without_crs_is_an_error_unless_file_crs(tmp_path: Path, streets_3006: gpd.GeoDataFrame) -> None:
    path = tmp_path / "streets.parquet"
    streets_3006.set_crs(None, allow_override=True).to_parquet(path)
    with pytest.raises(InputError, match=r"streets\.parquet.*no CRS"):
        read_layer(path, what="streets")
    frame = read_layer(path, what="streets", file_crs="EPSG:3006", crs="EPSG:3006")
    assert frame.crs.to_epsg() == 3006 and len(frame) == 2


def test_lines_only(tmp_path: Path, streets_3006: gpd.GeoDataFrame) -> None:
    mixed = gpd.GeoDataFrame(
        {"name": ["a", "b", "lamp"]},
        geometry=[*streets_3006.geometry, Point(440_050, 6_340_020)],
        crs="EPSG:3006",
    )
    path = tmp_path / "mixed.geojson"
    mixed.to_file(path)
    assert len(read_layer(path, what="layer")) == 3
    assert list(read_layer(path, what="streets", crs="EPSG:3006", lines=True)["name"]) == ["a", "b"]
    points = tmp_path / "points.geojson"
    mixed.iloc[[2]].to_file(points)
    with pytest.raises(InputError, match="holds no lines"):
        read_layer(points, what="streets", lines=True)


def test_missing_and_unreadable(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="streets file not found"):
        read_layer(tmp_path / "nope.gpkg", what="streets")
    bad = tmp_path / "bad.geojson"
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read streets"):
        read_layer(bad, what="streets")


def test_osm_pbf_gives_highway_ways(data_dir: Path) -> None:
    ways = read_layer(data_dir / "helsinki_center.osm.pbf", what="streets", crs="EPSG:3067", lines=True)
    assert ways.crs.to_epsg() == 3067
    assert set(ways.geom_type) == {"LineString"} and "highway" in ways.columns
