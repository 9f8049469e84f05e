"""``geo evaluate``: the contract's files and columns on a planted world, English page, errors."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.measures.evaluate import CONTRACT_COLUMNS
from geo.measures.synth import PlantedPlace, planted_reports

A = PlantedPlace(440_000, 6_340_000, 150, per_day=1.5, start="2025-01-01", effect=-0.5, ring_per_day=1.0)
B = PlantedPlace(444_000, 6_344_000, 150, per_day=1.0, start="2025-12-18")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("evaluate")
    reports = planted_reports([A, B], background_per_day=40, seed=11)
    wgs = reports.to_crs(4326)
    pd.DataFrame(
        {
            "id": reports["report_id"],
            "time": reports["occurred_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "category": reports["category"],
            "lat": wgs.geometry.y,
            "lon": wgs.geometry.x,
        }
    ).to_csv(folder / "reports.csv", index=False)
    pts = gpd.GeoSeries(gpd.points_from_xy([A.x, B.x], [A.y, B.y]), crs=3006).to_crs(4326)
    pd.DataFrame(
        {
            "measure_id": ["M1", "M2"],
            "kind": ["patrull/närvaro", "kamera"],
            "start": [A.start, B.start],
            "lat": pts.y,
            "lon": pts.x,
            "radius_m": [150, 150],
        }
    ).to_csv(folder / "atgarder.csv", index=False)
    return folder


def test_geo_evaluate_writes_the_contract(world, tmp_path, geo_inproc):
    out = tmp_path / "ut"
    res = geo_inproc(
        "evaluate",
        str(world / "reports.csv"),
        "--measures",
        str(world / "atgarder.csv"),
        "--buffer-m",
        "150",
        "--before-days",
        "200",
        "--after-days",
        "300",
        "--out",
        str(out),
    )
    assert res.returncode == 0, res.stdout + res.stderr
    table = pd.read_csv(out / "evaluation.csv")
    assert list(table.columns) == list(CONTRACT_COLUMNS)
    m1, m2 = table.iloc[0], table.iloc[1]
    assert (m1["verdict"], m1["buffer_verdict"]) == ("decrease", "none")
    assert m1["ci_high"] < 0
    assert (m1["before_start"], m1["after_end"]) == ("2024-06-15", "2025-07-19")  # 200 days each
    assert m2["verdict"] == "too_early"
    page = (out / "evaluation.html").read_text(encoding="utf-8")
    assert "Åtgärder och deras effekt" in page and "<svg" in page and "M2" in page
    kinds = {f["kind"] for f in json.loads((out / "run.json").read_text())["files"]}
    assert {"evaluation", "evaluation_page"} <= kinds


def test_geo_evaluate_english_page_and_control(world, tmp_path, geo_inproc):
    control = gpd.GeoDataFrame(
        geometry=gpd.GeoSeries.from_wkt(
            ["POLYGON ((438000 6338000, 446000 6338000, 446000 6342000, 438000 6342000, 438000 6338000))"]
        ),
        crs=3006,
    )
    control.to_file(tmp_path / "control.gpkg")
    out = tmp_path / "en"
    res = geo_inproc(
        "evaluate",
        str(world / "reports.csv"),
        "--measures",
        str(world / "atgarder.csv"),
        "--control",
        str(tmp_path / "control.gpkg"),
        "--lang",
        "en",
        "--out",
        str(out),
    )
    assert res.returncode == 0, res.stdout + res.stderr
    page = (out / "evaluation.html").read_text(encoding="utf-8")
    assert "Measures and their effect" in page
    table = pd.read_csv(out / "evaluation.csv")
    assert table["control_before"].iloc[0] < 0.6 * 40 * 365  # only half the town compares


def test_geo_evaluate_bad_register_names_row_and_field(world, tmp_path, geo_inproc):
    bad = tmp_path / "bad.csv"
    bad.write_text("measure_id,kind,start,lat,lon,radius_m\nM1,kamera,igår,57.2,14.0,100\n", encoding="utf-8")
    res = geo_inproc(
        "evaluate", str(world / "reports.csv"), "--measures", str(bad), "--out", str(tmp_path / "x")
    )
    assert res.returncode == 1
    assert "row 2" in res.stderr + res.stdout and "field 'start'" in res.stderr + res.stdout
