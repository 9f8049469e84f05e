"""geo.io.reports: read_reports on a Swedish export and on the real Toronto file, every row accounted for."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.io import read_reports
from geo.io.area import load_area
from geo.model import validate_reports
from tests.io._swedish import swedish_csv


@pytest.fixture(scope="module")
def varnamo():
    return load_area("Värnamo")


def test_swedish_export_reads(tmp_path: Path, now: pd.Timestamp, varnamo) -> None:
    result = read_reports([swedish_csv(tmp_path, [])], area=varnamo, now=now)
    r = result.reports.iloc[0]
    assert (
        r["report_id"] == "A1" and r["category"] == "misshandel" and r["description"] == "bråk utanför krogen"
    )
    assert r["occurred_at"] == pd.Timestamp("2024-03-05 22:10", tz="Europe/Stockholm")
    assert result.crs.to_epsg() == 3006
    assert result.rejects.empty


def test_toronto_every_row_accounted(data_dir: Path, now: pd.Timestamp) -> None:
    result = read_reports([data_dir / "toronto_mci_2014_2017.csv.gz"], now=now)
    assert result.n_read == 114_721
    assert len(result.reports) + result.n_rejected == 114_721
    assert result.crs.to_epsg() == 32617
    assert result.tz == "America/Toronto"
    rejected = result.rejects[result.rejects["status"] == "rejected"]
    assert (rejected["reason"].str.len() > 0).all()
    # the publisher's rows in the spring daylight-saving gap are rejected, the repeated autumn hour is warned
    assert rejected["reason"].str.contains("does not exist").all()
    warn = result.rejects[result.rejects["status"] == "warning"]
    assert warn["reason"].str.contains("ambiguous").any()
    validate_reports(result.reports)
    assert result.reports["is_dark"].dtype == bool
