"""``geo insecurity``: the command-line contract on a planted world written as files."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from tests.insecurity.conftest import PLANTED, X0, Y0, cell_id, planted_reports

CONTRACT = [
    "cell_id",
    "lat",
    "lon",
    "felt",
    "recorded",
    "felt_expected",
    "recorded_expected",
    "felt_p",
    "recorded_p",
    "class",
]


@pytest.fixture(scope="module")
def world_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The planted world as one CSV with lat, lon, time, category and source columns."""
    reports = planted_reports()
    wgs = reports.to_crs("EPSG:4326")
    table = pd.DataFrame(
        {
            "id": reports["report_id"],
            "time": reports["occurred_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "category": reports["category"],
            "source": reports["source"],
            "lat": wgs.geometry.y.round(7),
            "lon": wgs.geometry.x.round(7),
        }
    )
    path = tmp_path_factory.mktemp("world") / "rapporter.csv"
    table.to_csv(path, index=False)
    return path


def test_cells_contract(world_csv: Path, tmp_path: Path, geo_inproc) -> None:
    out = tmp_path / "ut"
    res = geo_inproc("insecurity", str(world_csv), "--cell", "250", "--out", str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    table = pd.read_csv(out / "insecurity.csv")
    assert list(table.columns[: len(CONTRACT)]) == CONTRACT
    assert "sentence" in table.columns
    classes = table.set_index("cell_id")["class"]
    for cls, cell in PLANTED.items():
        assert classes[cell_id(*cell)] == cls
    cells = gpd.read_file(out / "insecurity.gpkg", layer="insecurity")
    assert cells.crs.to_epsg() == 3006 and len(cells) == len(table)
    assert set(cells.geometry.geom_type) == {"Polygon"}
    assert (out / "run.json").exists()
    assert "felt_not_recorded" in res.stdout and "trygghetsvandring" in res.stdout


def test_sources_options(world_csv: Path, tmp_path: Path, geo_inproc) -> None:
    out = tmp_path / "ut"
    res = geo_inproc(
        "insecurity", str(world_csv), "--felt-sources", "safety_walk", "--recorded-sources", "police",
        "--out", str(out),
    )  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
    table = pd.read_csv(out / "insecurity.csv")
    assert table["felt"].sum() == 10  # the planted safety-walk findings only


def test_areas_and_survey(world_csv: Path, tmp_path: Path, geo_inproc) -> None:
    halves = [box(X0, Y0, X0 + 2500, Y0 + 5000), box(X0 + 2500, Y0, X0 + 5000, Y0 + 5000)]
    areas = gpd.GeoDataFrame({"deso": ["0683A", "0683B"]}, geometry=halves, crs="EPSG:3006")
    areas.to_crs("EPSG:4326").to_file(tmp_path / "deso.geojson")
    survey = areas.assign(share_unsafe=[35, 20], n_respondents=[210, 8])
    survey.to_file(tmp_path / "enkat.gpkg")
    out = tmp_path / "ut"
    res = geo_inproc(
        "insecurity", str(world_csv), "--areas", str(tmp_path / "deso.geojson"),
        "--survey", str(tmp_path / "enkat.gpkg"), "--out", str(out),
    )  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
    table = pd.read_csv(out / "insecurity.csv")
    assert list(table.columns[: len(CONTRACT)]) == ["area_id", *CONTRACT[1:]]
    assert list(table["area_id"]) == ["0683A", "0683B"]
    assert list(table["survey_small_sample"]) == [False, True]
    assert "litet urval" in " ".join(res.stdout.split())  # rich wraps lines
    survey_layer = gpd.read_file(out / "insecurity.gpkg", layer="insecurity_survey")
    assert list(survey_layer["small_sample"]) == [False, True]


def test_cell_and_areas_together_is_an_error(world_csv: Path, tmp_path: Path, geo_inproc) -> None:
    res = geo_inproc(
        "insecurity", str(world_csv), "--cell", "100", "--areas", str(world_csv), "--out", str(tmp_path / "u")
    )
    assert res.returncode == 1 and "--cell or --areas" in res.stderr + res.stdout


def test_bad_survey_is_named(world_csv: Path, tmp_path: Path, geo_inproc) -> None:
    bad = gpd.GeoDataFrame({"share": [0.2]}, geometry=[box(X0, Y0, X0 + 100, Y0 + 100)], crs="EPSG:3006")
    bad.to_file(tmp_path / "enkat.gpkg")
    res = geo_inproc(
        "insecurity", str(world_csv), "--survey", str(tmp_path / "enkat.gpkg"), "--out", str(tmp_path / "u")
    )
    assert res.returncode == 1
    assert "share_unsafe" in res.stderr + res.stdout and "enkat.gpkg" in res.stderr + res.stdout


def test_help_has_an_example(geo_inproc) -> None:
    res = geo_inproc("insecurity", "--help")
    assert res.returncode == 0
    for text in ("--cell", "--areas", "--felt-sources", "--recorded-sources", "--survey", "Example:"):
        assert text in res.stdout
    assert "Benjamini" in res.stdout and "--lat-col" in res.stdout


def test_relative_out_and_geo_map_results(
    world_csv: Path, tmp_path: Path, geo_inproc, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    res = geo_inproc("insecurity", str(world_csv), "--out", "ut")
    assert res.returncode == 0, res.stdout + res.stderr
    res = geo_inproc("map", "--results", "ut", "--out", "ut/karta.html")
    assert res.returncode == 0, res.stdout + res.stderr
    page = (tmp_path / "ut" / "karta.html").read_text(encoding="utf-8")
    assert "Otrygghet och brott" in page
    summary = (tmp_path / "ut" / "karta-sammanfattning.html").read_text(encoding="utf-8")
    assert "Förslag till trygghetsvandring" in summary
