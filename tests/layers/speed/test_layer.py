"""The speed layer: the demo's planted speeding segments, hourly aggregates, traffic reports."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from geo.io import ReaderOptions, read_reports
from geo.io.measurements import read_measurements
from geo.layers.speed.layer import attach_reports, build_speed_layer, traffic_reports
from geo.plan.enforcement import plan_enforcement
from tests.conftest import DEMO


def test_demo_planted_speeding_segments_found(demo_segments, demo_truth) -> None:
    meas = read_measurements(DEMO / "hastighet_passager.csv", crs=demo_segments.crs)
    layer = build_speed_layer(demo_segments.segments, meas.frame)
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
        demo_segments.segments,
        read_measurements(DEMO / "hastighet_passager.csv", crs=demo_segments.crs).frame,
    )
    hourly = build_speed_layer(
        demo_segments.segments, read_measurements(DEMO / "hastighet_timmar.csv", crs=demo_segments.crs).frame
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
