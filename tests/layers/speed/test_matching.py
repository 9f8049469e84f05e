"""Matching measurements to road segments: by position, by direction on a dual carriageway."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString

from geo.io.measurements import read_measurements
from geo.layers.speed.matching import match_measurements


def test_direction_picks_the_carriageway(tmp_path: Path) -> None:
    # a dual carriageway: two one-way lines 12 m apart, eastbound digitised west->east, westbound east->west
    y = 6_340_000.0
    segs = gpd.GeoDataFrame(
        {
            "segment_id": ["EAST", "WEST"],
            "street": "Riksväg",
            "highway": "trunk",
            "limit_kmh": [70.0, 70.0],
            "limit_source": "file",
            "oneway": np.array([1, 1], dtype="int8"),
            "truncated": False,
            "length_m": 400.0,
        },
        geometry=[
            LineString([(440_000, y), (440_400, y)]),
            LineString([(440_400, y + 12), (440_000, y + 12)]),
        ],
        crs="EPSG:3006",
    )
    # passes measured on the eastbound line's side but 7 m from it (5 m from the westbound line) only by
    # their direction can they be told apart
    pts = gpd.GeoSeries.from_xy([440_100, 440_200, 440_300], [y + 7, y + 7, y + 7], crs="EPSG:3006").to_crs(
        4326
    )
    table = pd.DataFrame(
        {
            "measured_at": ["2026-09-14 10:00", "2026-09-14 10:01", "2026-09-14 10:02"],
            "speed_kmh": [80, 75, 60],
            "direction": ["E", "W", "90"],
            "lat": pts.y.to_numpy(),
            "lon": pts.x.to_numpy(),
        }
    )
    path = tmp_path / "p.csv"
    table.to_csv(path, index=False)
    meas = read_measurements(path, crs="EPSG:3006")
    matched, _ = match_measurements(meas.frame, segs, tolerance_m=20)
    assert list(matched["segment_id"]) == ["EAST", "WEST", "EAST"]
    # without a direction the nearest line wins
    path2 = tmp_path / "p2.csv"
    table.drop(columns="direction").to_csv(path2, index=False)
    m2, _ = match_measurements(read_measurements(path2, crs="EPSG:3006").frame, segs, tolerance_m=20)
    assert set(m2["segment_id"]) == {"WEST"}


def test_rejects_name_the_frame_s_file_and_row() -> None:
    from geo.rejects import REJECT_COLUMNS

    segs = gpd.GeoDataFrame(
        {"segment_id": ["A"], "limit_kmh": [np.nan], "oneway": np.array([0], dtype="int8")},
        geometry=[LineString([(440_000, 6_340_000), (440_400, 6_340_000)])],
        crs="EPSG:3006",
    )
    frame = gpd.GeoDataFrame(
        {
            "file": ["m.csv", "m.csv", "m.csv"],
            "row": [2, 3, 4],
            "segment_id": pd.array(["A", "B", pd.NA], dtype="string"),
            "direction_deg": np.nan,
        },
        geometry=gpd.GeoSeries.from_xy([np.nan, np.nan, 440_100], [np.nan, np.nan, 6_340_500]),
        crs="EPSG:3006",
    )
    matched, rej = match_measurements(frame, segs, tolerance_m=30)
    assert list(matched["row"]) == [2]
    assert list(rej.columns) == REJECT_COLUMNS and set(rej["file"]) == {"m.csv"}
    by_row = rej.set_index("row")
    assert by_row.loc[2, "status"] == "warning"  # a segment without a limit counts volume only
    assert by_row.loc[3, "reason"] == "no road segment with this id" and by_row.loc[3, "value"] == "B"
    assert by_row.loc[4, "reason"] == "no road segment within 30 m (nearest 500 m)"
