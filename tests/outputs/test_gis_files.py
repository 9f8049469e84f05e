"""Files a GIS user can trust: one metric CRS per GeoPackage, DateTime fields, no SQL keywords as column
names, GeoJSON named after its file; reader options honoured for ingested files; rejects never overwritten."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from geo.errors import InputError
from geo.io import read_reports
from geo.io.area import load_area
from geo.io.export import SQL_KEYWORDS, from_gpkg_names, gpkg_names, write_frame


def _layers(path: Path) -> list[tuple[str, dict]]:
    return [(str(name), pyogrio.read_info(path, layer=name)) for name, _ in pyogrio.list_layers(path)]


def test_every_geopackage_of_the_run_has_one_metric_crs(demo_out: Path) -> None:
    packages = sorted(demo_out.glob("*.gpkg"))
    assert len(packages) >= 5
    for path in packages:
        crss = {info["crs"] for _, info in _layers(path) if info["geometry_type"] is not None}
        assert len(crss) == 1, (path.name, crss)
        assert crss == {"EPSG:3006"}, path.name


def test_run_geopackages_store_times_as_datetime_and_no_sql_keywords(demo_out: Path) -> None:
    seen_datetime = set()
    for path in sorted(demo_out.glob("*.gpkg")):
        for name, info in _layers(path):
            for column, ogr_type in zip(info["fields"], info["ogr_types"], strict=True):
                assert column.lower() not in SQL_KEYWORDS, (path.name, name, column)
                if column in {"occurred_at", "start_at", "end_at", "published_at"}:
                    assert ogr_type == "OFTDateTime", (path.name, name, column, ogr_type)
                    seen_datetime.add(column)
    assert {"occurred_at", "start_at"} <= seen_datetime
    visits = gpd.read_file(demo_out / "patrol_plan.gpkg", layer="visits")
    assert "visit_order" in visits.columns and "order" not in visits.columns
    assert isinstance(visits["start_at"].dtype, pd.DatetimeTZDtype)
    # the CSV contract keeps its column names
    assert "order" in pd.read_csv(demo_out / "patrol_plan.csv").columns


def test_geojson_carries_its_own_name(demo_out: Path, tmp_path: Path) -> None:
    assert json.loads((demo_out / "hotspots.geojson").read_text(encoding="utf-8"))["name"] == "hotspots"
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(450_000, 6_400_000)], crs=3006)
    out = write_frame(frame, tmp_path / "punkter.geojson")
    assert json.loads(out.read_text(encoding="utf-8"))["name"] == "punkter"


def test_a_layer_in_another_crs_is_reprojected_to_the_package_crs(tmp_path: Path) -> None:
    metric = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(450_000, 6_400_000)], crs=3006)
    wgs = metric.to_crs(4326).assign(a=2)
    path = tmp_path / "p.gpkg"
    write_frame(metric, path, layer="first")
    write_frame(wgs, path, layer="second")
    table = pd.DataFrame({"week": ["2026-W01"], "count": [3]})
    write_frame(gpd.GeoDataFrame(table, geometry=[None], crs=4326), path, layer="table")
    infos = dict(_layers(path))
    assert infos["first"]["crs"] == infos["second"]["crs"] == "EPSG:3006"
    assert infos["table"]["geometry_type"] is None and infos["table"]["crs"] is None
    back = gpd.read_file(path, layer="second")
    assert back.geometry.iloc[0].distance(metric.geometry.iloc[0]) < 0.01


def test_a_geographic_first_layer_gets_the_metric_crs_of_its_place(tmp_path: Path) -> None:
    wgs = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(14.05, 57.18)], crs=4326)
    path = write_frame(wgs, tmp_path / "w.gpkg")
    assert dict(_layers(path))["w"]["crs"] == "EPSG:3006"


def test_local_times_round_trip_through_a_geopackage(tmp_path: Path) -> None:
    t = pd.Series(pd.to_datetime(["2026-03-29 01:30", "2026-07-01 23:10"]).tz_localize("Europe/Stockholm"))
    frame = gpd.GeoDataFrame({"occurred_at": t}, geometry=[shapely.Point(450_000, 6_400_000)] * 2, crs=3006)
    path = write_frame(frame, tmp_path / "t.gpkg")
    assert dict(_layers(path))["t"]["ogr_types"] == ["OFTDateTime"]
    back = gpd.read_file(path)["occurred_at"].dt.tz_convert("Europe/Stockholm")
    assert list(back.dt.strftime("%Y-%m-%d %H:%M")) == ["2026-03-29 01:30", "2026-07-01 23:10"]


def test_gpkg_names_and_back() -> None:
    names = gpkg_names(["order", "start", "end", "date", "group"], dates=["start", "end"])
    assert names == {"order": "visit_order", "start": "start_date", "end": "end_date", "group": "group_value"}
    assert gpkg_names(["start", "end"]) == {"start": "start_time", "end": "end_time"}
    back = from_gpkg_names(pd.DataFrame(columns=["visit_order", "start_time", "end_time"]))
    assert list(back.columns) == ["order", "start", "end"]


# ------------------------------------------------------------------ reader options for ingested files
@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, now: pd.Timestamp) -> Path:
    """A small part of the real Toronto file, ingested as a user would (GeoParquet)."""
    raw = pd.read_csv(data_dir / "toronto_mci_2014_2017.csv.gz", nrows=2_000)
    folder = tmp_path_factory.mktemp("ingested")
    raw.to_csv(folder / "toronto.csv", index=False)
    reports = read_reports([folder / "toronto.csv"], now=now).reports
    return write_frame(reports, folder / "toronto.parquet")


def test_an_area_without_any_report_is_an_error_for_an_ingested_file(
    ingested: Path, now: pd.Timestamp
) -> None:
    with pytest.raises(InputError, match=r"study area \(Värnamo\) contains none of the reports"):
        read_reports([ingested], area=load_area("Värnamo"), now=now)


def test_geo_hotspots_on_an_ingested_file_honours_area(
    ingested: Path, geo_inproc: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    proc = geo_inproc("hotspots", str(ingested), "--area", "Värnamo", "--out", str(tmp_path / "h.geojson"))
    assert proc.returncode != 0
    assert "contains none of the reports" in proc.stdout + proc.stderr
    assert not (tmp_path / "h.geojson").exists()


def test_the_area_keeps_only_the_ingested_reports_inside_it(ingested: Path, now: pd.Timestamp) -> None:
    every = read_reports([ingested], now=now).reports
    wgs = every.to_crs(4326)
    box = shapely.box(*wgs.total_bounds).buffer(-0.05)
    area_file = ingested.with_name("area.geojson")
    gpd.GeoDataFrame({"name": ["centre"]}, geometry=[box], crs=4326).to_file(area_file)
    got = read_reports([ingested], area=load_area(str(area_file)), now=now)
    inside = int(shapely.contains_xy(box, wgs.geometry.x, wgs.geometry.y).sum())
    assert 0 < len(got.reports) == inside < len(every)
    assert (got.rejects["reason"].str.contains("outside the study area")).sum() == len(every) - inside


def test_a_command_never_overwrites_the_rejects_of_its_input(
    ingested: Path, geo_inproc: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    companion = ingested.with_name("toronto.rejects.csv")
    companion.write_text("file,row,field,reason,status,value\ntoronto.csv,7,x,from ingest,rejected,\n")
    before = companion.read_bytes()
    out = ingested.with_name("toronto.html")
    proc = geo_inproc("map", str(ingested), "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert companion.read_bytes() == before
    assert ingested.with_name("toronto.html.rejects.csv").exists()


def test_the_tables_we_write_with_a_byte_order_mark_read_back_as_points(tmp_path: Path) -> None:
    from geo.io.export import write_csv
    from geo.io.points import read_points

    path = write_csv(pd.DataFrame({"lat": [57.18], "lon": [14.04], "gata": ["Åsgatan"]}), tmp_path / "p.csv")
    table, x, y = read_points(path, crs=None, target_crs="EPSG:3006")
    assert list(table.columns) == ["lat", "lon", "gata"] and len(x) == len(y) == 1
