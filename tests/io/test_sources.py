"""geo.io.sources: every reader on the same real extract (the pyogrio pattern)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from geopandas.testing import assert_geoseries_equal

from geo.io import read_reports


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg", "shp", "parquet"])
def test_every_format_reads_the_same(extract_files: dict[str, Path], fmt: str, now: pd.Timestamp) -> None:
    expected = read_reports([extract_files["csv"]], now=now).reports
    got = read_reports([extract_files[fmt]], now=now).reports
    assert len(got) == len(expected) == 300
    assert got.crs.to_epsg() == 32617
    assert list(got["category"]) == list(expected["category"])
    assert list(got["report_id"]) == list(expected["report_id"])
    assert (got["occurred_at"] == expected["occurred_at"]).all()
    assert_geoseries_equal(got.geometry, expected.geometry, check_less_precise=True)
    assert str(got["occurred_at"].dt.tz) == "America/Toronto"
