"""The speed stage: frames in, result out; input untouched; empty results say why; as ``geo speed``."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from typer.testing import CliRunner

from geo.cli import app
from geo.commands._settings import build_settings
from geo.errors import ConfigError
from geo.io.manifest import read_manifest
from geo.io.measurements import Measurements, read_measurements
from geo.io.outputs.speed import write_speed
from geo.io.segments import SegmentsRead, read_segments
from geo.rejects import REJECT_COLUMNS
from geo.stages.speed import SpeedResult, SpeedSettings, speed_stage
from tests.conftest import DEMO

HOURLY = DEMO / "hastighet_timmar.csv"


@pytest.fixture(scope="module")
def roads() -> SegmentsRead:
    return read_segments(DEMO / "gator.geojson")


@pytest.fixture(scope="module")
def hourly(roads: SegmentsRead) -> Measurements:
    return read_measurements(HOURLY, crs=roads.crs, tz=roads.tz)


@pytest.fixture(scope="module")
def run(roads: SegmentsRead, hourly: Measurements) -> tuple[SpeedResult, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The stage on the demo's hourly aggregates, with copies of its inputs taken before."""
    segments, frame = roads.segments.copy(), hourly.frame.copy()
    result = speed_stage(
        roads.segments, hourly.frame, SpeedSettings(checks=5), rejects=[roads.rejects, hourly.rejects]
    )
    return result, segments, frame


def test_frames_in_result_out(run, demo_truth) -> None:
    result, _, _ = run
    assert result.settings == SpeedSettings(checks=5)
    assert result.layer.kind == "hourly" and result.chosen["kind"].startswith("hourly")
    assert list(result.plan["rank"]) == [1, 2, 3, 4, 5]
    planted = {s["segment_id"] for s in demo_truth["speeding_segments"]}
    assert set(list(dict.fromkeys(result.plan["segment_id"]))[:3]) == planted
    assert list(result.rejects.columns) == REJECT_COLUMNS
    assert result.notes and "mätrader kopplade" in result.notes[0]


def test_input_not_modified(run, roads: SegmentsRead, hourly: Measurements) -> None:
    _, segments, frame = run
    pd.testing.assert_frame_equal(pd.DataFrame(roads.segments), pd.DataFrame(segments))
    pd.testing.assert_frame_equal(pd.DataFrame(hourly.frame), pd.DataFrame(frame))


def test_no_match_gives_an_empty_plan_and_says_why(roads: SegmentsRead, hourly: Measurements) -> None:
    unknown = hourly.frame.assign(segment_id="X" + hourly.frame["segment_id"].astype(str))
    result = speed_stage(roads.segments, unknown, SpeedSettings())
    assert result.plan.empty and result.layer.windows.empty
    assert any("ingen kontroll föreslås" in n and "segment" in n for n in result.notes)
    assert (result.rejects["reason"] == "no road segment with this id").sum() == len(unknown)


def test_nobody_over_the_margin_gives_an_empty_plan_and_says_why(
    roads: SegmentsRead, hourly: Measurements
) -> None:
    result = speed_stage(roads.segments, hourly.frame, SpeedSettings(margin_kmh=250))
    assert result.plan.empty and len(result.layer.measurements) > 0
    assert any("250 km/h" in n for n in result.notes)


def test_no_measurements(roads: SegmentsRead, hourly: Measurements) -> None:
    result = speed_stage(roads.segments, hourly.frame.iloc[:0], SpeedSettings())
    assert result.plan.empty
    assert any("inga mätningar" in n for n in result.notes)


def test_frames_without_the_needed_columns(roads: SegmentsRead, hourly: Measurements) -> None:
    with pytest.raises(ValueError, match="limit_kmh"):
        speed_stage(roads.segments.drop(columns="limit_kmh"), hourly.frame, SpeedSettings())


@pytest.mark.parametrize(
    ("field", "value"), [("band_hours", 5), ("day_groups", "weekend"), ("checks", 0), ("tolerance_m", 0)]
)
def test_bad_settings(field: str, value: object) -> None:
    with pytest.raises(ConfigError, match=f"--{field.replace('_', '-')}"):
        build_settings(SpeedSettings, **{field: value})


def _same_files(a: Path, b: Path) -> None:
    for name in ("enforcement_plan.csv", "speed_rejects.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(a / name), pd.read_csv(b / name))
    layers = [name for name, _ in pyogrio.list_layers(a / "speed_segments.gpkg")]
    assert layers == [name for name, _ in pyogrio.list_layers(b / "speed_segments.gpkg")]
    for layer in layers:
        pd.testing.assert_frame_equal(
            gpd.read_file(a / "speed_segments.gpkg", layer=layer),
            gpd.read_file(b / "speed_segments.gpkg", layer=layer),
        )


def test_command_and_stage_give_identical_outputs(tmp_path: Path, roads: SegmentsRead, hourly) -> None:
    args = ["--checks", "7", "--check-minutes", "30", "--band-hours", "3", "--day-groups", "each_day"]
    argv = ["speed", "--segments", str(DEMO / "gator.geojson"), "--measurements", str(HOURLY)]
    res = CliRunner().invoke(app, [*argv, "--out", str(tmp_path / "cli"), *args])
    assert res.exit_code == 0, res.output
    settings = SpeedSettings(checks=7, check_min=30, band_hours=3, day_groups="each_day")
    result = speed_stage(roads.segments, hourly.frame, settings, rejects=[roads.rejects, hourly.rejects])
    files = write_speed(result, tmp_path / "lib")
    _same_files(tmp_path / "cli", tmp_path / "lib")
    manifest = read_manifest(tmp_path / "cli")
    assert manifest.kinds == [f.kind for f in files]
    assert manifest.settings["speed"] == settings.model_dump(mode="json")
