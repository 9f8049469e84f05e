"""The traffic-speed layer: real OSM limits (Helsinki), malformed limits, measurement rows, matching, the demo's
planted speeding segments and the ``geo speed`` command.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import osmium
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString
from typer.testing import CliRunner, Result

from geo.cli import app
from geo.errors import InputError
from geo.io import ReaderOptions, read_reports
from geo.io.osm import parse_maxspeed
from geo.layers.speed import (
    MOTOR_HIGHWAYS,
    attach_reports,
    build_speed_layer,
    implicit_limit,
    match_measurements,
    read_measurements,
    read_segments,
    speed_by_window,
    traffic_reports,
)
from geo.plan.enforcement import ENFORCEMENT_COLUMNS, plan_enforcement
from tests.conftest import DEMO

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


def test_implicit_limits() -> None:
    assert implicit_limit("residential", country="SE") == 50
    assert implicit_limit("residential", country="SE", zone="rural") == 70
    assert implicit_limit("motorway", country="SE") == 110
    assert implicit_limit("living_street", country="FI") == 20
    assert math.isnan(implicit_limit("residential", country="XX"))
    with pytest.raises(ValueError, match="zone"):
        implicit_limit("residential", zone="city")


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


# ------------------------------------------------------------------------------------------ measurements


def _geo_speed(segments: str | Path, measurements: str | Path, out: str | Path, *args: str) -> Result:
    """Run ``geo speed --segments S --measurements M --out OUT *args`` with typer's test runner."""
    argv = ["speed", "--segments", str(segments), "--measurements", str(measurements), "--out", str(out)]
    return CliRunner().invoke(app, [*argv, *args])


@pytest.fixture(scope="module")
def demo_segments():
    return read_segments(DEMO / "gator.geojson")


def test_measurement_rows_rejected_with_file_row_field_reason(tmp_path: Path, demo_segments) -> None:
    good = pd.read_csv(DEMO / "hastighet_passager.csv", nrows=20)
    bad = pd.DataFrame(
        {
            "measured_at": [
                "igår",
                "2026-09-15 10:00",
                "2026-09-15 10:00",
                "2026-09-15 10:00",
                "2026-03-29 02:30",
                "2026-09-15 10:00",
                "2026-09-15 10:00",
            ],
            "segment_id": ["", "", "", "S9999", "", "", ""],
            "direction": ["", "", "", "", "", "", "uppåt"],
            "speed_kmh": ["50", "snabbt", "-3", "50", "50", "50", "44"],
            "lat": [57.18, 57.18, 57.18, "", 57.18, 57.30, good["lat"].iloc[0]],
            "lon": [14.04, 14.04, 14.04, "", 14.04, 14.20, good["lon"].iloc[0]],
        }
    )
    table = pd.concat([good.drop(columns=["data"]).assign(segment_id=""), bad], ignore_index=True)
    path = tmp_path / "passager.csv"
    table.to_csv(path, index=False)
    meas = read_measurements(path, crs=demo_segments.crs)
    assert meas.kind == "passes" and meas.tz == "Europe/Stockholm"
    matched, rej = match_measurements(meas, demo_segments.segments, tolerance_m=30)
    allrej = pd.concat([meas.rejects, rej], ignore_index=True)
    by_row = allrej[allrej["status"] == "rejected"].set_index("row")
    first_bad = 22  # header = row 1, 20 good rows
    assert by_row.loc[first_bad, "field"] == "measured_at"
    assert (
        by_row.loc[first_bad + 1, "field"] == "speed_kmh" and "number" in by_row.loc[first_bad + 1, "reason"]
    )
    assert by_row.loc[first_bad + 2, "field"] == "speed_kmh"
    assert (
        by_row.loc[first_bad + 3, "field"] == "segment_id"
        and "no road segment" in by_row.loc[first_bad + 3, "reason"]
    )
    assert "does not exist" in by_row.loc[first_bad + 4, "reason"]
    assert "no road segment within 30 m" in by_row.loc[first_bad + 5, "reason"]
    warn = allrej[allrej["status"] == "warning"].set_index("row")
    assert warn.loc[first_bad + 6, "field"] == "direction"
    assert len(matched) == 21  # the 20 good rows and the one with a direction not understood
    assert set(allrej["file"]) == {str(path)}


def test_measurements_without_a_layout(tmp_path: Path, demo_segments) -> None:
    path = tmp_path / "x.csv"
    pd.DataFrame({"tid": ["2026-09-14 10:00"], "v": [50]}).to_csv(path, index=False)
    with pytest.raises(InputError, match="measured_at"):
        read_measurements(path, crs=demo_segments.crs)


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
    matched, _ = match_measurements(meas, segs, tolerance_m=20)
    assert list(matched["segment_id"]) == ["EAST", "WEST", "EAST"]
    # without a direction the nearest line wins
    path2 = tmp_path / "p2.csv"
    table.drop(columns="direction").to_csv(path2, index=False)
    m2, _ = match_measurements(read_measurements(path2, crs="EPSG:3006"), segs, tolerance_m=20)
    assert set(m2["segment_id"]) == {"WEST"}


def test_demo_planted_speeding_segments_found(demo_segments, demo_truth) -> None:
    meas = read_measurements(DEMO / "hastighet_passager.csv", crs=demo_segments.crs)
    layer = build_speed_layer(demo_segments.segments, meas)
    planted = {s["segment_id"] for s in demo_truth["speeding_segments"]}
    controls = {s["segment_id"] for s in demo_truth["speed_controls"]}
    plan = plan_enforcement(layer, checks=10)
    first = list(dict.fromkeys(plan["segment_id"]))[: len(planted)]
    assert set(first) == planted
    # each planted segment's best window is at night, when they speed most
    night = set(demo_truth["speed_night_hours"])
    for sid in planted:
        best = plan[plan["segment_id"] == sid].iloc[0]
        assert int(best["start"][:2]) in night
    # whole-week figures match the truth computed by the generator
    seg = layer.segments.set_index("segment_id")
    for s in demo_truth["speeding_segments"] + demo_truth["speed_controls"]:
        row = seg.loc[s["segment_id"]]
        assert row["passes"] == s["passes_all"]
        assert row["share_over_limit"] == pytest.approx(s["share_over_limit_all"], abs=1e-3)
        assert row["share_over_limit_10"] == pytest.approx(s["share_over_limit_10_all"], abs=1e-3)
        assert row["p85_kmh"] == pytest.approx(s["p85_kmh_all"], abs=0.3)
    assert (
        seg.loc[list(controls), "share_over_limit"].max() < seg.loc[list(planted), "share_over_limit"].min()
    )


def test_hourly_aggregates_agree_with_the_passes(demo_segments, demo_truth) -> None:
    passes = build_speed_layer(
        demo_segments.segments, read_measurements(DEMO / "hastighet_passager.csv", crs=demo_segments.crs)
    )
    hourly = build_speed_layer(
        demo_segments.segments, read_measurements(DEMO / "hastighet_timmar.csv", crs=demo_segments.crs)
    )
    assert hourly.kind == "hourly"
    a = passes.segments.set_index("segment_id")
    b = hourly.segments.set_index("segment_id")
    ids = [s["segment_id"] for s in demo_truth["speeding_segments"] + demo_truth["speed_controls"]]
    assert (a.loc[ids, "passes"] == b.loc[ids, "passes"]).all()
    assert np.allclose(a.loc[ids, "share_over_limit"], b.loc[ids, "share_over_limit"], atol=0.04)
    assert np.allclose(a.loc[ids, "p85_kmh"], b.loc[ids, "p85_kmh"], atol=1.5)
    planted = {s["segment_id"] for s in demo_truth["speeding_segments"]}
    first = list(dict.fromkeys(plan_enforcement(hourly, checks=10)["segment_id"]))[:3]
    assert set(first) == planted


def test_windows_hours_and_shares(demo_segments) -> None:
    meas = read_measurements(DEMO / "hastighet_passager.csv", crs=demo_segments.crs)
    matched, _ = match_measurements(meas, demo_segments.segments)
    win = speed_by_window(matched, demo_segments.segments, band_hours=4, day_groups="each_day")
    assert set(win["weekdays"]) == {"mån", "tis", "ons", "tor", "fre", "lör", "sön"}
    # a week of measurements: each band of each day observed for at most 4 hours
    assert win["hours_observed"].between(1, 4).all()
    assert win.groupby("segment_id")["passes"].sum().sum() == len(matched)
    assert (
        (win["share_over_limit_10"] <= win["share_over_limit"]) & win["share_over_limit"].between(0, 1)
    ).all()
    with pytest.raises(ValueError, match="band_hours"):
        speed_by_window(matched, demo_segments.segments, band_hours=5)


def test_traffic_reports_attach_to_segments(demo_segments, demo_truth) -> None:
    residents = read_reports([DEMO / "trygghetsrapporter.csv"], ReaderOptions(source="resident")).reports
    traffic = traffic_reports(residents)
    assert set(traffic["category"]) == {"hög hastighet"}
    att = attach_reports(traffic.to_crs(demo_segments.crs), demo_segments.segments, tolerance_m=50)
    assert len(att) > 0 and att["distance_m"].le(50).all()
    assert "description" not in att.columns
    planted = {s["segment_id"] for s in demo_truth["speeding_segments"]}
    street_of = demo_segments.segments.set_index("segment_id")["street"]
    planted_streets = set(street_of.loc[list(planted)])
    assert att["segment_id"].map(street_of).isin(planted_streets).mean() > 0.8


def test_police_feed_events_without_a_point_are_not_attached(data_dir: Path, demo_segments) -> None:
    feed = read_reports([data_dir / "polisen_events_varnamo.json"]).reports
    assert feed["category"].str.contains("Trafikolycka", case=False).any()
    assert len(traffic_reports(feed)) == 0  # municipality-centre positions cannot be put on a street


# ---------------------------------------------------------------------------------------------- command


def test_geo_speed_command(tmp_path: Path, demo_truth) -> None:
    out = tmp_path / "speed"
    res = _geo_speed(
        str(DEMO / "gator.geojson"),
        str(DEMO / "hastighet_passager.csv"),
        str(out),
        "--reports",
        str(DEMO / "trygghetsrapporter.csv"),
    )
    assert res.exit_code == 0, res.output
    plan = pd.read_csv(out / "enforcement_plan.csv")
    assert list(plan.columns[: len(ENFORCEMENT_COLUMNS)]) == list(ENFORCEMENT_COLUMNS)
    assert list(plan["rank"]) == list(range(1, len(plan) + 1))
    assert plan["score"].is_monotonic_decreasing or plan["score"].iloc[0] == plan["score"].max()
    planted = {s["segment_id"] for s in demo_truth["speeding_segments"]}
    assert set(list(dict.fromkeys(plan["segment_id"]))[:3]) == planted
    assert plan["start"].str.match(r"^\d\d:00$").all() and plan["end"].str.match(r"^\d\d:00$").all()
    segs = gpd.read_file(out / "speed_segments.gpkg", layer="segments")
    assert {"segment_id", "limit_kmh", "share_over_limit", "p85_kmh", "n_reports"} <= set(segs.columns)
    assert segs.loc[segs["segment_id"].isin(planted), "n_reports"].sum() > 0


def test_geo_speed_bad_measurements_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "m.csv"
    pd.DataFrame({"when": ["x"], "fart": [3]}).to_csv(bad, index=False)
    out = tmp_path / "out"
    res = _geo_speed(str(DEMO / "gator.geojson"), str(bad), str(out))
    assert res.exit_code != 0
    assert not (out / "enforcement_plan.csv").exists() and not (out / "speed_segments.gpkg").exists()


def test_geo_speed_on_the_helsinki_pbf_with_hourly_aggregates(
    tmp_path: Path, data_dir: Path, helsinki
) -> None:
    read, _ = helsinki
    seg = read.segments.set_index("segment_id")
    wgs = gpd.GeoSeries(
        [seg.loc["W4243036", "geometry"].interpolate(0.5, normalized=True)], crs=read.crs
    ).to_crs(4326)
    hours = pd.date_range("2024-05-06 00:00", periods=7 * 24, freq="h")
    fast = hours.hour >= 22
    table = pd.DataFrame(
        {
            "hour_start": hours.strftime("%Y-%m-%d %H:%M"),
            "count": np.where(fast, 20, 40),
            "mean_kmh": np.where(fast, 44.0, 27.0),
            "p85_kmh": np.where(fast, 50.0, 31.0),
            "lat": wgs.y.iloc[0],
            "lon": wgs.x.iloc[0],
        }
    )
    meas = tmp_path / "timmar.csv"
    table.to_csv(meas, index=False)
    out = tmp_path / "out"
    res = _geo_speed(str(data_dir / "helsinki_center.osm.pbf"), str(meas), str(out), "--checks", "3")
    assert res.exit_code == 0, res.output
    plan = pd.read_csv(out / "enforcement_plan.csv")
    assert set(plan["segment_id"]) == {"W4243036"}
    assert set(plan["street"]) == {"Fabianinkatu"} and set(plan["limit_kmh"]) == {30.0}
    top = plan.head(2)
    assert set(top["start"]) == {"22:00"} and set(top["weekdays"]) == {"mån–fre", "lör–sön"}
    assert sorted(top["passes"]) == [80, 200]  # 22-24 on 2 weekend and 5 weekday nights, 20 passes an hour
    assert plan["score"].iloc[2] < 0.01 * plan["score"].iloc[1]  # the slow hours catch next to nobody
    segs = gpd.read_file(out / "speed_segments.gpkg", layer="segments")
    assert segs["truncated"].any()
    # the same hours given by OSM way id (without the W) instead of a position
    by_id = tmp_path / "by_id.csv"
    table.drop(columns=["lat", "lon"]).assign(segment_id="4243036").to_csv(by_id, index=False)
    res2 = _geo_speed(
        str(data_dir / "helsinki_center.osm.pbf"),
        str(by_id),
        str(tmp_path / "out2"),
        "--checks",
        "3",
    )
    assert res2.exit_code == 0, res2.output
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "out2" / "enforcement_plan.csv"), plan)
    rej = pd.read_csv(out / "speed_rejects.csv")
    assert (rej["field"] == "nodes").any()  # the cut ways are accounted for
