"""Speed-enforcement plan: capacity with diminishing returns, complaints, thin windows, arguments."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from geo.io import ReaderOptions, read_reports
from geo.io.measurements import read_measurements
from geo.io.segments import read_segments
from geo.layers.speed.layer import build_speed_layer
from geo.plan.enforcement import ENFORCEMENT_COLUMNS, plan_enforcement
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def layer():
    seg = read_segments(DEMO / "gator.geojson")
    residents = read_reports([DEMO / "trygghetsrapporter.csv"], ReaderOptions(source="resident")).reports
    return build_speed_layer(
        seg.segments,
        read_measurements(DEMO / "hastighet_passager.csv", crs=seg.crs).frame,
        reports=residents.to_crs(seg.crs),
    )


def test_columns_rank_and_capacity(layer) -> None:
    plan = plan_enforcement(layer, checks=7, check_min=30)
    assert list(plan.columns[: len(ENFORCEMENT_COLUMNS)]) == list(ENFORCEMENT_COLUMNS)
    assert list(plan["rank"]) == list(range(1, 8))
    assert plan["passes"].ge(20).all() | plan["passes"].eq(0).all()
    # a check's catches: drivers over limit + 10 per observed hour, times half an hour
    row = plan.iloc[0]
    assert row["catches_per_check"] == pytest.approx(
        row["share_over_limit_10"] * row["passes"] / row["hours_observed"] * 0.5, rel=0.02
    )


def test_diminishing_returns_spread_checks(layer) -> None:
    no_decay = plan_enforcement(layer, checks=6, repeat_decay=1.0)
    decay = plan_enforcement(layer, checks=6, repeat_decay=0.3)
    assert decay["segment_id"].nunique() >= no_decay["segment_id"].nunique()
    assert no_decay["score"].is_monotonic_decreasing
    # without decay the list is simply the best windows
    windows = layer.windows[layer.windows["passes"] >= 20]
    assert no_decay["score"].iloc[0] == pytest.approx(no_decay["score"].max())
    assert len(windows) >= 6


def test_complaints_raise_a_window(layer) -> None:
    w = layer.windows.copy()
    quiet = plan_enforcement(
        dataclasses.replace(layer, windows=w.assign(complaints=0)), checks=40, complaint_weight=1.0
    )
    target = quiet.iloc[-1]
    key = (
        (w["segment_id"] == target["segment_id"])
        & (w["weekdays"] == target["weekdays"])
        & (w["start_hour"] == int(target["start"][:2]))
    )
    loud = plan_enforcement(
        dataclasses.replace(
            layer, windows=w.assign(complaints=0).assign(complaints=lambda d: key.astype(int) * 5)
        ),
        checks=40,
        complaint_weight=1.0,
    )
    got = loud[
        (loud["segment_id"] == target["segment_id"])
        & (loud["weekdays"] == target["weekdays"])
        & (loud["start"] == target["start"])
    ]
    assert int(got["rank"].iloc[0]) < int(target["rank"])
    assert got["score"].iloc[0] == pytest.approx(2 * target["score"], rel=1e-3)


def test_unmeasured_window_with_complaints_is_considered(layer) -> None:
    extra = pd.DataFrame(
        [
            {
                "segment_id": "S0001",
                "weekdays": "lör–sön",
                "start_hour": 2,
                "end_hour": 4,
                "limit_kmh": 80.0,
                "passes": 0,
                "hours_observed": 0,
                "complaints": 9,
                "street": "Jönköpingsvägen",
                "estimated": False,
            }
        ]
    )
    lay = dataclasses.replace(layer, windows=pd.concat([layer.windows, extra], ignore_index=True))
    plan = plan_enforcement(lay, checks=40)
    hit = plan[(plan["segment_id"] == "S0001") & (plan["start"] == "02:00")]
    assert len(hit) == 1 and hit["passes"].iloc[0] == 0 and hit["score"].iloc[0] > 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"checks": 0}, "checks"),
        ({"check_min": 0}, "check_min"),
        ({"repeat_decay": 0}, "repeat_decay"),
        ({"margin_kmh": -1}, "margin"),
    ],
)
def test_bad_arguments(layer, kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        plan_enforcement(layer, **kwargs)


def test_margin_changes_what_counts(layer) -> None:
    strict = plan_enforcement(layer, checks=3, margin_kmh=0)
    lenient = plan_enforcement(layer, checks=3, margin_kmh=15)
    assert strict["score"].iloc[0] > lenient["score"].iloc[0]
    # with no margin a check counts every driver over the limit
    top = strict.iloc[0]
    assert top["catches_per_check"] == pytest.approx(top["over_limit_per_hour"], rel=0.02)
