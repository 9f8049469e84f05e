"""OSM PBF layers on the real Helsinki extract, checked against counts made directly with osmium."""

from __future__ import annotations

import math
from pathlib import Path

import osmium
import pytest

from geo.io.osm import parse_maxspeed, read_osm


@pytest.fixture(scope="module")
def helsinki(data_dir: Path):
    return read_osm(data_dir / "helsinki_center.osm.pbf")


def test_lamps_ways_and_limits(helsinki, data_dir: Path) -> None:
    assert len(helsinki.lamps) == 586
    assert helsinki.crs.to_epsg() == 32635  # UTM 35N for Helsinki (24.94 E)
    # independent count straight from the file
    lit, maxspeed, highway = {}, 0, 0
    for obj in osmium.FileProcessor(str(data_dir / "helsinki_center.osm.pbf")).with_filter(
        osmium.filter.KeyFilter("highway")
    ):
        if obj.is_way():
            highway += 1
            lit[obj.tags.get("lit")] = lit.get(obj.tags.get("lit"), 0) + 1
            maxspeed += "maxspeed" in obj.tags
    assert highway == 2650 and lit["yes"] == 1523 and lit["no"] == 7 and maxspeed == 795
    # every highway way is either kept or listed as rejected (fewer than 2 nodes inside the extract)
    rejected = helsinki.rejects[
        (helsinki.rejects["status"] == "rejected") & (helsinki.rejects["field"] == "nodes")
    ]
    assert len(helsinki.ways) + len(rejected) == 2650
    truncated = helsinki.rejects[
        (helsinki.rejects["status"] == "warning") & (helsinki.rejects["field"] == "nodes")
    ]
    assert int(helsinki.ways["truncated"].sum()) == len(truncated)
    assert len(truncated) + len(rejected) == 191
    assert set(helsinki.ways["lit"].dropna()) == {"yes", "no", "24/7", "disused"}
    limits = helsinki.ways["maxspeed_kmh"].dropna()
    assert set(limits.unique()) <= {5.0, 10.0, 20.0, 30.0, 40.0, 50.0}
    assert (helsinki.ways.geometry.length > 0).all()


@pytest.mark.parametrize(
    ("value", "kmh"),
    [
        ("50", 50.0),
        ("SE:urban", 50.0),
        ("SE:rural", 70.0),
        ("30 mph", 48.28032),
        ("50;30", 30.0),
        ("walk", 7.0),
        ("FI:urban", 50.0),
        ("60 km/h", 60.0),
    ],
)
def test_maxspeed_values(value: str, kmh: float) -> None:
    got, problem = parse_maxspeed(value)
    assert problem == "" and math.isclose(got, kmh)


@pytest.mark.parametrize("value", ["fast", "0", "999", "SE:nowhere", "50 kmph?", ""])
def test_malformed_maxspeed_rejected(value: str) -> None:
    got, problem = parse_maxspeed(value)
    assert math.isnan(got) and problem
