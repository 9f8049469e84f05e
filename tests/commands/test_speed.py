"""``geo speed``: the files it writes, a bad input writing nothing, an OSM PBF with hourly aggregates."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from geo.cli import app
from geo.io.segments import read_segments
from geo.plan.enforcement import ENFORCEMENT_COLUMNS
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def helsinki(data_dir: Path):
    return read_segments(data_dir / "helsinki_center.osm.pbf"), None


def _geo_speed(segments: str | Path, measurements: str | Path, out: str | Path, *args: str) -> Result:
    """Run ``geo speed --segments S --measurements M --out OUT *args`` with typer's test runner."""
    argv = ["speed", "--segments", str(segments), "--measurements", str(measurements), "--out", str(out)]
    return CliRunner().invoke(app, [*argv, *args])


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
