"""Road segments with speed limits (geo.io.segments): real OSM limits, malformed limits, road files."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import osmium
import pytest
import shapely
from shapely.geometry import LineString

from geo.errors import InputError
from geo.io.osm import parse_maxspeed
from geo.io.road_limits import MOTOR_HIGHWAYS
from geo.io.segments import read_segments

# ------------------------------------------------------------------------------------- Helsinki, real tags


class _MaxspeedWays(osmium.SimpleHandler):
    """Highway ways with maxspeed straight from the PBF (independent of geo.io.osm)."""

    def __init__(self) -> None:
        super().__init__()
        self.ways: dict[int, dict[str, object]] = {}

    def way(self, w) -> None:  # noqa: ANN001
        if "highway" not in w.tags:
            return
        inside = sum(1 for n in w.nodes if n.location.valid())
        self.ways[w.id] = {
            "highway": w.tags.get("highway"),
            "name": w.tags.get("name"),
            "maxspeed": w.tags.get("maxspeed"),
            "inside": inside,
            "nodes": len(w.nodes),
        }


@pytest.fixture(scope="module")
def helsinki(data_dir: Path):
    pbf = data_dir / "helsinki_center.osm.pbf"
    raw = _MaxspeedWays()
    raw.apply_file(str(pbf), locations=True)
    return read_segments(pbf), raw.ways


def test_helsinki_maxspeed_roads_are_the_speed_limit_layer(helsinki) -> None:
    read, raw = helsinki
    seg = read.segments
    assert read.country == "FI"
    assert seg.crs.is_projected
    tagged = {
        i: w for i, w in raw.items() if w["maxspeed"] and w["highway"] in MOTOR_HIGHWAYS and w["inside"] >= 2
    }
    assert len(tagged) > 700
    got = seg[seg["limit_source"] == "maxspeed"].set_index("segment_id")
    assert set(got.index) == {f"W{i}" for i in tagged}
    for i, w in tagged.items():
        assert got.loc[f"W{i}", "limit_kmh"] == float(w["maxspeed"]), i
    # real tags: Fabianinkatu (way 4243036) is 30, Aleksanterinkatu service way 14601899 is 20
    assert got.loc["W4243036", "limit_kmh"] == 30.0
    assert got.loc["W4243036", "street"] == "Fabianinkatu"
    assert got.loc["W14601899", "limit_kmh"] == 20.0
    assert set(got["limit_kmh"].unique()) <= {5.0, 10.0, 20.0, 30.0, 40.0, 50.0}
    # footways and cycleways are no speed-limit segments
    assert not seg["highway"].isin(["footway", "cycleway", "steps"]).any()


def test_helsinki_untagged_roads_get_the_finnish_implicit_limit(helsinki) -> None:
    read, raw = helsinki
    seg = read.segments.set_index("segment_id")
    untagged = [
        i
        for i, w in raw.items()
        if not w["maxspeed"] and w["highway"] in ("service", "unclassified") and w["inside"] >= 2
    ]
    assert untagged
    for i in untagged:
        assert seg.loc[f"W{i}", "limit_source"] == "implicit"
        assert seg.loc[f"W{i}", "limit_kmh"] == 50.0  # FI:urban


def test_helsinki_ways_cut_at_the_edge(helsinki) -> None:
    read, raw = helsinki
    seg = read.segments.set_index("segment_id")
    cut = {i: w for i, w in raw.items() if w["highway"] in MOTOR_HIGHWAYS and 2 <= w["inside"] < w["nodes"]}
    gone = {i for i, w in raw.items() if w["highway"] in MOTOR_HIGHWAYS and w["inside"] < 2}
    assert cut and gone
    for i, w in cut.items():
        assert bool(seg.loc[f"W{i}", "truncated"]), i
        assert len(seg.loc[f"W{i}", "geometry"].coords) == w["inside"]  # the part inside is kept
    assert not ({f"W{i}" for i in gone} & set(seg.index))
    # Mannerheimintie way 22906934 has one of its two nodes in the extract: listed, not silently dropped
    rej = read.rejects
    hit = rej[rej["reason"].str.contains("way 22906934 ")]
    assert len(hit) == 1 and hit["status"].iloc[0] == "rejected" and hit["field"].iloc[0] == "nodes"
    warned = rej[(rej["status"] == "warning") & (rej["field"] == "nodes")]
    assert len(warned) >= len(cut)
    assert seg.loc[[f"W{i}" for i in cut], "length_m"].gt(0).all()


@pytest.mark.parametrize("value", ["fast", "50 km", "-30", "999", "SE:unknown", "", "30 kmph;", "ca 50"])
def test_parser_rejects_malformed_limits_with_a_reason(value: str) -> None:
    kmh, reason = parse_maxspeed(value)
    assert math.isnan(kmh)
    assert reason


def _osm_xml(path: Path, ways: list[tuple[int, str, str | None]]) -> Path:
    """A small OSM XML file: each way is two nodes 100 m apart near Värnamo, with highway and maxspeed."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    for k, _, _ in ways:
        lat = 57.18 + k * 0.001
        lines.append(f'<node id="{2 * k + 1}" version="1" lat="{lat:.6f}" lon="14.040000"/>')
        lines.append(f'<node id="{2 * k + 2}" version="1" lat="{lat:.6f}" lon="14.041650"/>')
    for k, hw, ms in ways:
        tags = f'<tag k="highway" v="{hw}"/>' + (f'<tag k="maxspeed" v="{ms}"/>' if ms is not None else "")
        lines.append(
            f'<way id="{100 + k}" version="1"><nd ref="{2 * k + 1}"/><nd ref="{2 * k + 2}"/>{tags}</way>'
        )
    lines.append("</osm>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_malformed_osm_limits_are_listed_and_not_guessed(tmp_path: Path) -> None:
    osm = _osm_xml(
        tmp_path / "roads.osm",
        [
            (1, "residential", "30"),
            (2, "residential", "fast"),
            (3, "primary", "SE:rural"),
            (4, "residential", None),
            (5, "living_street", None),
            (6, "secondary", "80 kmh"),
        ],
    )
    read = read_segments(osm)
    seg = read.segments.set_index("segment_id")
    assert read.country == "SE"
    assert seg.loc["W101", "limit_kmh"] == 30 and seg.loc["W101", "limit_source"] == "maxspeed"
    assert math.isnan(seg.loc["W102", "limit_kmh"]) and seg.loc["W102", "limit_source"] == "unknown"
    assert seg.loc["W103", "limit_kmh"] == 70
    assert seg.loc["W104", "limit_kmh"] == 50 and seg.loc["W104", "limit_source"] == "implicit"
    assert seg.loc["W105", "limit_kmh"] == 7
    assert seg.loc["W106", "limit_kmh"] == 80
    bad = read.rejects[read.rejects["field"] == "maxspeed"]
    assert len(bad) >= 1
    assert (bad["value"] == "fast").any()
    assert bad[bad["value"] == "fast"]["reason"].str.contains("way 102").all()


# ----------------------------------------------------------------------------------- municipality road file


def _roads(tmp_path: Path, limits: list[object], *, suffix: str = ".gpkg") -> Path:
    base_x, base_y = 440_000.0, 6_340_000.0
    geoms = [
        LineString([(base_x, base_y + 100 * i), (base_x + 200, base_y + 100 * i)]) for i in range(len(limits))
    ]
    # a point where a line belongs (a Shapefile holds one geometry type: there, a missing geometry)
    geoms[-1] = None if suffix == ".shp" else shapely.Point(base_x, base_y)
    frame = gpd.GeoDataFrame(
        {"vag_id": [f"V{i}" for i in range(len(limits))], "gatunamn": "Storgatan", "hastighet": limits},
        geometry=geoms,
        crs="EPSG:3006",
    )
    path = tmp_path / f"vagar{suffix}"
    frame.to_file(path)
    return path


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp"])
def test_road_file_limits_and_bad_rows(tmp_path: Path, suffix: str) -> None:
    path = _roads(tmp_path, ["30", "50", "femtio", "", "250", "40"], suffix=suffix)
    read = read_segments(path, id_col="vag_id")
    seg = read.segments.set_index("segment_id")
    assert list(seg.index) == ["V0", "V1", "V3"]
    assert seg.loc["V0", "limit_kmh"] == 30 and seg.loc["V1", "limit_kmh"] == 50
    assert seg.loc["V3", "limit_source"] == "implicit" and seg.loc["V3", "limit_kmh"] == 50
    rej = read.rejects.set_index("row")
    assert rej.loc[3, "field"] == "hastighet" and "femtio" in rej.loc[3, "reason"]
    assert rej.loc[5, "field"] == "hastighet" and "200" in rej.loc[5, "reason"]
    assert rej.loc[6, "field"] == "geometry"
    assert rej.loc[4, "status"] == "warning"
    assert (rej["file"] == str(path)).all()


def test_road_file_without_limit_column(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"namn": ["a"]}, geometry=[LineString([(0, 0), (1, 1)])], crs="EPSG:3006")
    frame.to_file(tmp_path / "r.gpkg")
    with pytest.raises(InputError, match="limit"):
        read_segments(tmp_path / "r.gpkg")


def test_road_file_without_a_crs_needs_one(tmp_path: Path) -> None:
    line = LineString([(440_000, 6_340_000), (440_200, 6_340_000)])
    frame = gpd.GeoDataFrame({"hastighet": ["40"]}, geometry=[line])  # no CRS
    with pytest.warns(UserWarning, match="crs"):
        frame.to_file(tmp_path / "r.shp")
    with pytest.raises(InputError, match="no CRS"):
        read_segments(tmp_path / "r.shp")
    read = read_segments(tmp_path / "r.shp", crs="EPSG:3006")
    assert read.crs.to_epsg() == 3006 and read.segments["length_m"].iloc[0] == pytest.approx(200.0)
    assert read.tz == "Europe/Stockholm"
