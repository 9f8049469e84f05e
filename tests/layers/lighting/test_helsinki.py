"""The lighting layer on the real Helsinki OSM extract, checked against figures computed with osmium."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from geo.io import ReaderOptions, read_reports
from geo.io.lamps import read_lighting_sources
from geo.layers.lighting.layer import build_lighting
from geo.layers.lighting.tags import WALKABLE_HIGHWAYS
from geo.plan.lighting.plan import plan_lighting
from tests._helpers import run_geo
from tests.layers.lighting.conftest import HELSINKI_CRS, write_reports_csv

RADIUS_M = 25.0
BAND_M = 12.0


@pytest.fixture(scope="module")
def layer(helsinki_pbf: Path):
    lamps, ways, rejects = read_lighting_sources(helsinki_pbf, crs=HELSINKI_CRS)
    return build_lighting(lamps, ways, radius_m=RADIUS_M, lit_way_buffer_m=BAND_M), rejects


def test_lamps_and_ways_come_from_the_pbf(layer, helsinki_raw) -> None:
    lay, rejects = layer
    raw_lamps = helsinki_raw["lamps"]
    assert len(raw_lamps) > 500
    assert len(lay.lamps) == len(raw_lamps)
    got = np.sort(shapely.get_coordinates(lay.lamps.geometry.to_numpy()), axis=0)
    np.testing.assert_allclose(got, np.sort(raw_lamps, axis=0), atol=0.01)
    assert set(lay.lamps["source"]) == {"osm"} and set(lay.lamps["status"]) == {"ok"}
    # ways cut at the extract's edge are kept and listed
    assert (rejects["field"] == "nodes").any()


def test_unlit_and_walkable_lengths_match_osmium(layer, helsinki_raw) -> None:
    lay, _ = layer
    ways = helsinki_raw["ways"]
    walk = ways[ways["highway"].isin(WALKABLE_HIGHWAYS)]
    lengths = shapely.length(walk["geometry"].to_numpy())
    unlit = walk["lit"].isin(["no", "disused"]).to_numpy()
    assert unlit.sum() >= 3
    expected_unlit = float(lengths[unlit].sum())
    assert expected_unlit > 100
    s = lay.summary()
    assert s["unlit_tagged_m"] == pytest.approx(expected_unlit, rel=1e-6)
    assert s["walkable_m"] == pytest.approx(float(lengths.sum()), rel=1e-6)
    assert len(lay.unlit_ways) == int(unlit.sum())
    tagged_lit = walk["lit"].isin(["yes", "24/7", "automatic", "limited"]).to_numpy()
    assert s["walkable_tagged_lit_m"] == pytest.approx(float(lengths[tagged_lit].sum()), rel=1e-6)


def test_lit_coverage_matches_an_independent_union(layer, helsinki_raw) -> None:
    lay, _ = layer
    ways = helsinki_raw["ways"]
    lit_any = ways[ways["lit"].isin(["yes", "24/7", "automatic", "limited"])]
    cover = shapely.union_all(
        np.concatenate(
            [
                shapely.buffer(shapely.points(helsinki_raw["lamps"]), RADIUS_M, quad_segs=32),
                shapely.buffer(lit_any["geometry"].to_numpy(), BAND_M, quad_segs=32),
            ]
        )
    )
    walk = ways[ways["highway"].isin(WALKABLE_HIGHWAYS)]["geometry"].to_numpy()
    lit_len = float(shapely.length(shapely.intersection(walk, cover)).sum())
    s = lay.summary()
    # polygonised discs differ slightly from true circles: agree to 1 %
    assert s["walkable_lit_m"] == pytest.approx(lit_len, rel=0.01)
    assert s["coverage_area_m2"] == pytest.approx(cover.area, rel=0.01)
    # every walkable metre is lit, dark, a gap shorter than min_stretch_m, or lies on another way
    total = s["walkable_lit_m"] + s["dark_m"] + s["gap_m"] + s["overlap_m"]
    assert total == pytest.approx(s["walkable_m"], rel=1e-6)
    assert s["overlap_m"] < 0.01 * s["dark_m"]
    assert s["dark_m"] > 1000


def test_dark_stretches_are_out_of_reach_of_every_lamp_and_lit_way(layer, helsinki_raw) -> None:
    lay, _ = layer
    mids = shapely.line_interpolate_point(lay.dark_stretches.geometry.to_numpy(), 0.5, normalized=True)
    lamps = shapely.points(helsinki_raw["lamps"])
    d_lamp = shapely.distance(mids[:, None], lamps[None, :]).min(axis=1)
    assert (d_lamp > RADIUS_M - 0.5).all()
    ways = helsinki_raw["ways"]
    lit_geoms = ways[ways["lit"].isin(["yes", "24/7"])]["geometry"].to_numpy()
    tree = shapely.STRtree(lit_geoms)
    hit = tree.query(mids, predicate="dwithin", distance=BAND_M - 0.5)
    assert hit.size == 0


def _night_reports(tmp_path: Path, lay) -> tuple[Path, pd.Series, list[str]]:
    """12 night reports along the longest dark stretch, 12 at noon in March there, 30 at night under lamps."""
    target = lay.dark_stretches.sort_values("length_m", ascending=False).iloc[0]
    line = target.geometry
    frac = np.linspace(0.1, 0.9, 12)
    on = shapely.get_coordinates(shapely.line_interpolate_point(line, frac, normalized=True))
    night = [f"2024-12-{d:02d} 23:30" for d in range(1, 13)]
    noon = [f"2024-03-{d:02d} 12:00" for d in range(1, 13)]
    lamps = shapely.get_coordinates(lay.lamps.geometry.to_numpy())[:30] + 2.0
    path = tmp_path / "helsinki_reports.csv"
    write_reports_csv(path, on, night, crs=HELSINKI_CRS, start=0)
    write_reports_csv(path, on + 1.0, noon, crs=HELSINKI_CRS, start=100)
    write_reports_csv(
        path, lamps, [f"2024-12-{1 + i % 28:02d} 22:00" for i in range(30)], crs=HELSINKI_CRS, start=200
    )
    return path, target, [f"R{i:05d}" for i in range(12)]


def test_night_reports_on_a_dark_stretch_rank_it_first(tmp_path: Path, layer) -> None:
    lay, _ = layer
    path, target, night_ids = _night_reports(tmp_path, lay)
    reports = read_reports([path], ReaderOptions(), crs=HELSINKI_CRS).reports
    assert len(reports) == 54
    plan = plan_lighting(reports, lay, budget=2)
    assert set(plan.evidence["report_id"]) == set(night_ids)  # noon and lit-place reports are not evidence
    top = plan.dark_places.iloc[0]
    assert top["stretch_id"] == target["stretch_id"]
    assert top["dark_reports"] == 12 and top["incidents"] == 12
    assert json.loads(top["report_ids"]) == sorted(night_ids)
    assert json.loads(top["hours"]) == {"23": 12}
    assert top["score"] == pytest.approx(12 / (max(target["length_m"], 100) / 100), rel=1e-3)
    props = plan.proposals.lamps
    assert props.iloc[0]["stretch_id"] == target["stretch_id"]
    assert props["covered_reports"].sum() <= 12
    assert props["gain"].is_monotonic_decreasing


def test_cli_on_the_pbf_writes_the_contract(tmp_path: Path, layer, helsinki_pbf: Path) -> None:
    lay, _ = layer
    path, target, _ = _night_reports(tmp_path, lay)
    out = tmp_path / "out"
    proc = run_geo(
        "lighting",
        str(path),
        "--lamps",
        str(helsinki_pbf),
        "--budget",
        "3",
        "--radius",
        str(RADIUS_M),
        "--out",
        str(out),
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    props = pd.read_csv(out / "lighting_proposals.csv")
    assert list(props.columns[:7]) == ["rank", "lat", "lon", "street", "covered_reports", "gain", "reason"]
    assert 1 <= len(props) <= 3 and list(props["rank"]) == list(range(1, len(props) + 1))
    places = pd.read_csv(out / "dark_places.csv")
    assert list(places.columns[:6]) == ["rank", "lat", "lon", "length_m", "score", "dark_reports"]
    assert places.iloc[0]["dark_reports"] == 12
    assert places["score"].is_monotonic_decreasing
    assert 60.15 < places.iloc[0]["lat"] < 60.19 and 24.9 < places.iloc[0]["lon"] < 24.97
    layers = {name for name, _ in pyogrio.list_layers(out / "lighting.gpkg")}
    assert {
        "lit_coverage",
        "lamps",
        "walkable_ways",
        "unlit_ways",
        "dark_places",
        "dark_evidence",
        "lighting_proposals",
        "quick_fixes",
    } <= layers
    assert not list(out.glob(".*tmp*"))
