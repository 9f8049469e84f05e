"""geo.io.mapping: the steps in order, possible duplicates, and the time parts of the built frame."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.io import ReaderOptions, read_reports
from tests.io._swedish import only


def test_duplicates_without_id_listed_or_dropped(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "d.csv"
    row = "57.18,14.05,2024-03-05 22:10,stöld\n"
    path.write_text(
        "lat,lon,time,category\n" + row + row + "57.18,14.05,2024-03-05 22:10,rån\n", encoding="utf-8"
    )
    kept = read_reports([path], now=now)
    assert len(kept.reports) == 3  # separate offences often look exactly like this in real exports
    entry = only(kept.rejects, 3)
    assert entry["status"] == "warning" and "possible duplicate of row 2" in entry["reason"]
    dropped = read_reports([path], ReaderOptions(drop_duplicates=True), now=now)
    assert len(dropped.reports) == 2
    assert only(dropped.rejects, 3)["status"] == "rejected"


def test_darkness_follows_the_sun(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "dark.csv"
    path.write_text(
        "lat,lon,time,category\n"
        "57.1832,14.0478,2024-12-16 16:30,stöld\n"  # after civil dusk in December
        "57.1832,14.0478,2024-06-21 22:30,stöld\n"  # light summer evening
        "57.1832,14.0478,2024-06-21 01:30,stöld\n",  # the short summer night
        encoding="utf-8",
    )
    reports = read_reports([path], now=now).reports
    assert list(reports["is_dark"]) == [True, False, True]
    assert list(reports["hour"]) == [16, 22, 1]
    assert list(reports["weekday"]) == [0, 4, 4]


def test_darkness_when_dusk_falls_after_midnight(tmp_path: Path, now: pd.Timestamp) -> None:
    # Helsinki in early June: civil dusk comes after midnight, so noon must not count as dark
    path = tmp_path / "hel.csv"
    path.write_text(
        "lat,lon,time,category\n"
        "60.17,24.94,2024-06-03 12:00,x\n"
        "60.17,24.94,2024-06-03 23:50,x\n"
        "60.17,24.94,2024-06-03 01:30,x\n",
        encoding="utf-8",
    )
    reports = read_reports([path], now=now).reports
    assert list(reports["is_dark"]) == [False, False, True]
