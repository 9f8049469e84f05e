"""geo.io.columns: which input column holds which field."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.errors import InputError
from geo.io import ReaderOptions, read_reports
from geo.io.columns import detect_columns


def test_utf8_and_comma_separated_also_work(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "u.csv"
    path.write_text(
        'id,Latitude,Longitude,date,type\n1,"57.18","14.05",2024-03-05T22:10:00+01:00,skadegörelse\n',
        encoding="utf-8",
    )
    r = read_reports([path], now=now).reports.iloc[0]
    assert r["category"] == "skadegörelse"
    assert r["occurred_at"] == pd.Timestamp("2024-03-05 22:10", tz="Europe/Stockholm")


def test_detect_columns_by_name_and_by_option() -> None:
    found = detect_columns(["Latitud", "Longitud", "Tidpunkt", "Brottstyp", "Ärendenummer"], ReaderOptions())
    assert found["lat"] == "Latitud" and found["lon"] == "Longitud"
    assert found["time"] == "Tidpunkt" and found["category"] == "Brottstyp" and found["id"] == "Ärendenummer"
    assert found["x"] is None and found["description"] is None
    projected = detect_columns(["x", "y", "time", "type"], ReaderOptions(crs="EPSG:3006"))
    assert projected["x"] == "x" and projected["y"] == "y" and projected["lat"] is None
    with pytest.raises(InputError, match="'when' .*given for time"):
        detect_columns(["a", "b"], ReaderOptions(time_col="when"))
