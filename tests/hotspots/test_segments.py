"""Hot streets: segments between junctions, snapping, per-100 m figures, the curve, planted real OSM ways."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.errors import ConfigError
from geo.hotspots.objects import HOTSPOT_COLUMNS
from geo.hotspots.segments import (
    EXTRA_COLUMNS,
    concentration,
    segment_hotspots,
    snap_to_segments,
    split_at_junctions,
)
from geo.stages.hotspots import HotspotSettings, hotspots_stage
from tests.conftest import DATA
from tests.hotspots.conftest import make_reports

CRS = "EPSG:3006"
X0, Y0 = 440000.0, 6336000.0


def _lines(rows: list[tuple[str | None, str, list[tuple[float, float]]]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": [r[0] for r in rows], "highway": [r[1] for r in rows]},
        geometry=[shapely.LineString([(X0 + x, Y0 + y) for x, y in r[2]]) for r in rows],
        crs=CRS,
    )


def test_streets_are_cut_at_junctions_and_joined_where_osm_split_them():
    streets = _lines(
        [
            ("Storgatan", "residential", [(0, 0), (50, 0)]),  # one street in two ways, joined
            ("Storgatan", "residential", [(50, 0), (100, 0), (200, 0)]),
            ("Kyrkogatan", "residential", [(100, -50), (100, 0), (100, 50)]),  # crosses at (100, 0)
            (None, "footway", [(150, -20), (150, 0), (150, 20)]),  # not a street: no cut
        ]
    )
    seg = split_at_junctions(streets)
    assert sorted(zip(seg["name"], seg["length_m"].round(6), strict=True)) == [
        ("Kyrkogatan", 50.0),
        ("Kyrkogatan", 50.0),
        ("Storgatan", 100.0),
        ("Storgatan", 100.0),
    ]
    assert seg["segment_id"].is_unique


def test_counts_per_100m_and_far_reports():
    streets = _lines(
        [("Långgatan", "residential", [(0, 0), (200, 0)]), ("Kort", "residential", [(0, 500), (50, 500)])]
    )
    rng = np.random.default_rng(0)
    x = np.r_[rng.uniform(0, 200, 10), rng.uniform(0, 50, 3), 100.0]
    y = np.r_[rng.uniform(-5, 5, 10), 500 + rng.uniform(-5, 5, 3), 250.0]  # the last one is far from both
    times = pd.date_range("2025-01-01", periods=len(x), freq="37h")
    reports = make_reports(X0 + x, Y0 + y, times)
    hot, segments, summary = segment_hotspots(reports, streets, snap_m=25, share=1.0, min_samples=1)
    assert summary.n_far == 1 and summary.n_snapped == 13
    by_name = segments.set_index("name")
    assert by_name.loc["Långgatan", "n_reports"] == 10
    assert by_name.loc["Långgatan", "per_100m"] == pytest.approx(5.0)
    assert by_name.loc["Kort", "per_100m"] == pytest.approx(6.0)
    assert list(hot.columns) == [*HOTSPOT_COLUMNS, *EXTRA_COLUMNS, "geometry"]
    assert hot["rank"].tolist() == [1, 2] and hot["label"].tolist() == ["Långgatan", "Kort"]
    assert (hot.geom_type == "LineString").all()
    assert hot["n_reports"].tolist() == [10, 3]
    # 50 m of 250 m (20 %) holds 3 of 13 reports; with Långgatan, all
    assert concentration(np.array([10, 3]), np.array([200.0, 50.0]), shares=(0.2, 0.5)) == {
        0.2: pytest.approx(0.2),
        0.5: pytest.approx(1.0),
    }
    assert "av gatunätet har 50 % av händelserna" in summary.sentence()


def test_snap_distance_is_inclusive_and_positive():
    seg = split_at_junctions(_lines([("A", "residential", [(0, 0), (100, 0)])]))
    idx, dist = snap_to_segments(np.array([[X0 + 50, Y0 + 25.0], [X0 + 50, Y0 + 25.5]]), seg, snap_m=25)
    assert idx.tolist() == [0, -1] and dist[0] == pytest.approx(25)
    with pytest.raises(ValueError, match="snap_m"):
        snap_to_segments(np.zeros((1, 2)), seg, snap_m=0)


@pytest.fixture(scope="module")
def helsinki_streets() -> gpd.GeoDataFrame:
    from geo.io.layers import read_streets

    return read_streets(DATA / "helsinki_center.osm.pbf")


@pytest.fixture(scope="module")
def planted_helsinki(helsinki_streets):
    """Reports planted along three real OSM streets of central Helsinki (40, 30, 22) in 500 uniform ones."""
    network = split_at_junctions(helsinki_streets)
    long = network[network["name"].notna() & (network["length_m"] > 80)].sort_values("segment_id")
    planted = long.iloc[[0, len(long) // 2, len(long) - 1]]
    rng = np.random.default_rng(42)
    xs, ys = [], []
    for line, n in zip(planted.geometry, (40, 30, 22), strict=True):
        pts = shapely.line_interpolate_point(line, rng.uniform(0, 1, n), normalized=True)
        xs.append(shapely.get_x(pts) + rng.normal(0, 3, n))
        ys.append(shapely.get_y(pts) + rng.normal(0, 3, n))
    x0, y0, x1, y1 = helsinki_streets.total_bounds
    xs.append(rng.uniform(x0, x1, 500))
    ys.append(rng.uniform(y0, y1, 500))
    x, y = np.concatenate(xs), np.concatenate(ys)
    times = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.uniform(0, 365 * 86400, len(x)), unit="s")
    reports = make_reports(x, y, times.round("min"), crs=str(helsinki_streets.crs), tz="Europe/Helsinki")
    settings = HotspotSettings(method="segments", overview=False, min_samples=10)
    return reports, planted, hotspots_stage(reports, settings, streets=helsinki_streets)


def test_reports_planted_along_real_osm_ways_rank_those_ways_top(planted_helsinki):
    reports, planted, result = planted_helsinki
    hot = result.hotspots
    assert hot["segment_id"].head(3).tolist() == planted["segment_id"].tolist()
    assert hot["rank"].head(3).tolist() == [1, 2, 3]
    top = hot.iloc[0]
    assert top["n_reports"] >= 40
    assert top["per_100m"] == pytest.approx(100 * top["n_reports"] / planted["length_m"].iloc[0])
    assert top["peak_windows"] and top["trend"] in {"persistent", "sporadic", "none", "new"}
    assert "av gatunätet har 50 % av händelserna" in result.chosen["concentration"]
    assert result.segments is not None and result.segments["rank"].iloc[0] == 1


def test_segments_need_streets():
    reports = make_reports(np.array([X0]), np.array([Y0]), pd.DatetimeIndex(["2025-01-01"]))
    with pytest.raises(ConfigError, match="streets"):
        hotspots_stage(reports, HotspotSettings(method="segments", overview=False))


def test_hot_streets_are_places_for_the_patrol_plan(planted_helsinki):
    from geo.stages.patrol import PatrolSettings, patrol_stage

    reports, planted, result = planted_helsinki
    settings = PatrolSettings(week="2026-W02", shifts=["08-16"], visits_per_shift=2)
    plan = patrol_stage(reports, result.hotspots, settings, today=pd.Timestamp("2026-01-01").date())
    visits = plan.plan.visits
    assert len(visits) > 0
    assert set(visits["place_id"]) <= set(result.hotspots["hotspot_id"])
    assert (pd.to_numeric(visits["expected_share"]) > 0).all()  # activity counted along the corridor
