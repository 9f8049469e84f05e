"""geo.io.coords: positions from coordinates or geometries, swapped latitude/longitude, the study area."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.io import ReaderOptions, read_reports
from geo.io.area import load_area
from tests.io._swedish import check_bad_row, only


@pytest.fixture(scope="module")
def varnamo():
    return load_area("Värnamo")


@pytest.mark.parametrize(
    ("line", "field", "reason", "status"),
    [
        ("B;;14,05;2024-03-05 22:10;stöld;\n", "latitud", "missing coordinate", "rejected"),
        ("B;57,x;14,05;2024-03-05 22:10;stöld;\n", "latitud", "cannot parse coordinate", "rejected"),
        ("B;59,3293;18,0686;2024-03-05 22:10;stöld;\n", "latitud", "outside the study area", "rejected"),
        ("B;14,05;57,18;2024-03-05 22:10;stöld;\n", "latitud", "swapped", "warning"),
    ],
    ids=["missing-coord", "bad-coord", "outside-area", "swapped"],
)
def test_bad_row_reported(
    tmp_path: Path, now: pd.Timestamp, varnamo, line: str, field: str, reason: str, status: str
) -> None:
    check_bad_row(tmp_path, now, varnamo, line, field, reason, status)


def test_swapped_without_area(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "s.csv"
    path.write_text("lat,lon,time,category\n100.50,13.75,2016-01-01 10:00,x\n", encoding="utf-8")
    result = read_reports([path], now=now)
    entry = only(result.rejects, 2)
    assert "swapped" in entry["reason"] and entry["status"] == "warning"


def test_missing_geometry_in_vector_file(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "g.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":['
        '{"type":"Feature","geometry":{"type":"Point","coordinates":[14.05,57.18]},'
        '"properties":{"time":"2024-03-05 22:10","category":"stöld"}},'
        '{"type":"Feature","geometry":null,"properties":{"time":"2024-03-05 22:10","category":"stöld"}}]}',
        encoding="utf-8",
    )
    result = read_reports([path], now=now)
    entry = only(result.rejects, 2)
    assert entry["field"] == "geometry" and entry["reason"] == "missing geometry"
    assert len(result.reports) == 1


def test_swap_detected_from_the_rest_of_the_data(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "s2.csv"
    path.write_text(
        "lat,lon,time,category\n"
        "57.1832,14.0478,2024-03-05 22:10,stöld\n57.1900,14.0500,2024-03-05 22:10,rån\n"
        "57.1700,14.0400,2024-03-05 22:10,rån\n14.0491,57.1845,2024-03-05 22:10,stöld\n",
        encoding="utf-8",
    )
    result = read_reports([path], now=now)
    entry = only(result.rejects, 5)
    assert "swapped" in entry["reason"] and entry["status"] == "warning"
    assert result.crs.to_epsg() == 3006
    assert result.reports.geometry.y.max() - result.reports.geometry.y.min() < 5_000


def test_projected_xy_with_crs(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "sweref.csv"
    path.write_text("E;N;tid;typ\n440000;6340000;2024-03-01 22:10;stöld\n", encoding="utf-8")
    opts = ReaderOptions(x_col="E", y_col="N", crs="EPSG:3006", time_col="tid", category_col="typ")
    reports = read_reports([path], opts, now=now).reports
    assert reports.crs.to_epsg() == 3006
    assert np.isclose(reports.geometry.x.iloc[0], 440000, atol=0.01)
    assert str(reports["occurred_at"].dt.tz) == "Europe/Stockholm"
