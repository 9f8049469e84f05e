"""geo.io.tabular: CSV files as spreadsheets show them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.io import read_reports
from tests.io._swedish import only


def test_blank_line_keeps_spreadsheet_row_numbers(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "blank.csv"
    path.write_text(
        "lat,lon,time,category\n57.18,14.05,2024-03-05 22:10,stöld\n\n57.18,14.05,not a time,rån\n",
        encoding="utf-8",
    )
    result = read_reports([path], now=now)
    assert only(result.rejects, 3)["reason"] == "missing coordinate"  # the blank line a spreadsheet shows
    assert only(result.rejects, 4)["field"] == "time"
    assert len(result.reports) == 1
