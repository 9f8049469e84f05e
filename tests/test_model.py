"""The report model is checked in one place and says every problem at once."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from geo.errors import CRSError, SchemaError
from geo.io import read_reports
from geo.model import empty_reports, point_reports, validate_reports


@pytest.fixture()
def reports(tmp_path, now):
    path = tmp_path / "r.csv"
    path.write_text(
        "id,lat,lon,time,category\n1,57.18,14.05,2024-03-05 22:10,stöld\n2,57.19,14.06,2024-03-06 10:00,rån\n"
    )
    return read_reports([path], now=now).reports


def test_valid_frame_passes(reports) -> None:
    assert validate_reports(reports) is reports
    assert validate_reports(empty_reports("EPSG:3006", "Europe/Stockholm")).empty


def test_every_problem_reported_at_once(reports) -> None:
    bad = reports.copy()
    bad["report_id"] = "same"
    bad["location_precision"] = "somewhere"
    bad["occurred_at"] = bad["occurred_at"].dt.tz_localize(None)
    with pytest.raises(SchemaError) as info:
        validate_reports(bad)
    msg = str(info.value)
    assert "repeats" in msg and "location_precision" in msg and "timezone-aware" in msg


def test_degrees_refused(reports) -> None:
    with pytest.raises(CRSError, match="degrees"):
        validate_reports(reports.to_crs("EPSG:4326"))


def test_point_reports_drop_coarse(reports) -> None:
    coarse = reports.copy()
    coarse.loc[coarse.index[0], "location_precision"] = "municipality"
    assert list(point_reports(coarse)["report_id"]) == ["2"]
    assert isinstance(point_reports(coarse), gpd.GeoDataFrame)
    assert isinstance(coarse["occurred_at"].dtype, pd.DatetimeTZDtype)
