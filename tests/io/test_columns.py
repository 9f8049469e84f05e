"""geo.io.columns: which input column holds which field."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.io import read_reports


def test_utf8_and_comma_separated_also_work(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "u.csv"
    path.write_text('id,Latitude,Longitude,date,type\n1,"57.18","14.05",2024-03-05T22:10:00+01:00,skadegörelse\n',
                    encoding="utf-8")
    r = read_reports([path], now=now).reports.iloc[0]
    assert r["category"] == "skadegörelse"
    assert r["occurred_at"] == pd.Timestamp("2024-03-05 22:10", tz="Europe/Stockholm")
