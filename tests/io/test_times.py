"""geo.io.times: the time columns of a report file, with the one parser's rules (geo.time.parse)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.io import read_reports
from geo.io.area import load_area
from tests.io._swedish import check_bad_row, only, swedish_csv


@pytest.fixture(scope="module")
def varnamo():
    return load_area("Värnamo")


@pytest.mark.parametrize(
    ("line", "field", "reason", "status"),
    [
        ("B;57,18;14,05;31.02.2024 25:10;stöld;\n", "tidpunkt", "cannot parse time", "rejected"),
        ("B;57,18;14,05;;stöld;\n", "tidpunkt", "missing time", "rejected"),
        ("B;57,18;14,05;2031-01-01 10:00;stöld;\n", "tidpunkt", "future", "rejected"),
        ("B;57,18;14,05;1899-12-31 10:00;stöld;\n", "tidpunkt", "before 1900", "rejected"),
        ("B;57,18;14,05;2024-03-31 02:30;stöld;\n", "tidpunkt", "does not exist", "rejected"),
        ("B;57,18;14,05;2024-10-27 02:30;stöld;\n", "tidpunkt", "ambiguous", "warning"),
    ],
    ids=["bad-time", "missing-time", "future", "pre-1900", "dst-gap", "dst-ambiguous"],
)
def test_bad_row_reported(
    tmp_path: Path, now: pd.Timestamp, varnamo, line: str, field: str, reason: str, status: str
) -> None:
    check_bad_row(tmp_path, now, varnamo, line, field, reason, status)


def test_ambiguous_time_keeps_earlier_instant(tmp_path: Path, now: pd.Timestamp) -> None:
    result = read_reports([swedish_csv(tmp_path, ["B;57,18;14,05;2024-10-27 02:30;stöld;\n"])], now=now)
    t = result.reports.set_index("report_id").loc["B", "occurred_at"]
    assert t == pd.Timestamp("2024-10-27 02:30+02:00")  # summer time, the first of the two 02:30s
    assert t.utcoffset() == pd.Timedelta(hours=2)


def test_end_before_start_rejected(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "w.csv"
    path.write_text(
        "lat,lon,occurred_from,occurred_to,category\n57.18,14.04,2024-01-06 07:30,2024-01-05 17:00,inbrott\n",
        encoding="utf-8",
    )
    result = read_reports([path], now=now)
    entry = only(result.rejects, 2)
    assert entry["field"] == "occurred_to" and "before start" in entry["reason"]
    assert result.reports.empty


def test_time_window_kept(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "window.csv"
    path.write_text(
        "lat,lon,occurred_from,occurred_to,category\n57.18,14.04,2024-01-05 17:00,2024-01-06 07:30,inbrott\n",
        encoding="utf-8",
    )
    reports = read_reports([path], now=now).reports
    assert reports["occurred_to"].iloc[0] == pd.Timestamp("2024-01-06 07:30", tz="Europe/Stockholm")
    assert reports["occurred_at"].iloc[0] == pd.Timestamp("2024-01-05 17:00", tz="Europe/Stockholm")
