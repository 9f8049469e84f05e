"""The speed writer: its files, their kinds, and an empty plan."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyogrio

from geo.io.measurements import read_measurements
from geo.io.outputs.speed import write_speed
from geo.io.segments import read_segments
from geo.plan.enforcement import ENFORCEMENT_COLUMNS
from geo.stages.speed import SpeedSettings, speed_stage
from tests.conftest import DEMO


def test_files_kinds_and_an_empty_plan(tmp_path: Path) -> None:
    roads = read_segments(DEMO / "gator.geojson")
    hourly = read_measurements(DEMO / "hastighet_timmar.csv", crs=roads.crs)
    result = speed_stage(roads.segments, hourly.frame, SpeedSettings(margin_kmh=250))
    assert result.plan.empty
    files = write_speed(result, tmp_path / "out")
    kinds = [f.kind for f in files]
    assert kinds == [
        "speed_segments",
        "speed_segments.segments",
        "speed_segments.windows",
        "enforcement_plan",
        "speed_rejects",
    ]
    assert all(Path(f.path).exists() and f.stage == "speed" for f in files)
    assert [f.layer for f in files if f.layer] == ["segments", "windows"]
    layers = [name for name, _ in pyogrio.list_layers(tmp_path / "out" / "speed_segments.gpkg")]
    assert layers == ["segments", "windows"]  # no plan, no reports: no such layers
    plan = pd.read_csv(tmp_path / "out" / "enforcement_plan.csv")
    assert plan.empty and list(plan.columns[: len(ENFORCEMENT_COLUMNS)]) == list(ENFORCEMENT_COLUMNS)
