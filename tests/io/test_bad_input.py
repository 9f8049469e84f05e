"""Every kind of bad input is accounted for with its row (as a spreadsheet shows it), field and reason."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.io import ReaderOptions, read_reports
from geo.io.area import load_area

HEADER = "ärende;latitud;longitud;tidpunkt;brottstyp;beskrivning\n"
GOOD = "A1;57,1832;14,0478;2024-03-05 22:10;misshandel;bråk utanför krogen\n"


def swedish_csv(tmp_path: Path, lines: list[str], name: str = "export.csv") -> Path:
    """A Swedish spreadsheet export: Windows-1252, ';' separators, decimal commas."""
    path = tmp_path / name
    path.write_bytes((HEADER + GOOD + "".join(lines)).encode("cp1252"))
    return path


def only(rejects: pd.DataFrame, row: int) -> pd.Series:
    hit = rejects[rejects["row"] == row]
    assert len(hit) == 1, f"expected one entry for row {row}, got\n{rejects}"
    return hit.iloc[0]


@pytest.fixture(scope="module")
def varnamo():
    return load_area("Värnamo")


def test_swedish_export_reads(tmp_path: Path, now: pd.Timestamp, varnamo) -> None:
    result = read_reports([swedish_csv(tmp_path, [])], area=varnamo, now=now)
    r = result.reports.iloc[0]
    assert r["report_id"] == "A1" and r["category"] == "misshandel" and r["description"] == "bråk utanför krogen"
    assert r["occurred_at"] == pd.Timestamp("2024-03-05 22:10", tz="Europe/Stockholm")
    assert result.crs.to_epsg() == 3006
    assert result.rejects.empty


@pytest.mark.parametrize(
    ("line", "field", "reason", "status"),
    [
        ("B;;14,05;2024-03-05 22:10;stöld;\n", "latitud", "missing coordinate", "rejected"),
        ("B;57,x;14,05;2024-03-05 22:10;stöld;\n", "latitud", "cannot parse coordinate", "rejected"),
        ("B;59,3293;18,0686;2024-03-05 22:10;stöld;\n", "latitud", "outside the study area", "rejected"),
        ("B;14,05;57,18;2024-03-05 22:10;stöld;\n", "latitud", "swapped", "warning"),
        ("B;57,18;14,05;31.02.2024 25:10;stöld;\n", "tidpunkt", "cannot parse time", "rejected"),
        ("B;57,18;14,05;;stöld;\n", "tidpunkt", "missing time", "rejected"),
        ("B;57,18;14,05;2031-01-01 10:00;stöld;\n", "tidpunkt", "future", "rejected"),
        ("B;57,18;14,05;1899-12-31 10:00;stöld;\n", "tidpunkt", "before 1900", "rejected"),
        ("B;57,18;14,05;2024-03-31 02:30;stöld;\n", "tidpunkt", "does not exist", "rejected"),
        ("B;57,18;14,05;2024-10-27 02:30;stöld;\n", "tidpunkt", "ambiguous", "warning"),
        ("B;57,18;14,05;2024-03-05 22:10;  ;\n", "brottstyp", "empty category", "rejected"),
        ("A1;57,18;14,05;2024-03-05 22:10;stöld;\n", "ärende", "repeated id (first at row 2)", "rejected"),
    ],
    ids=["missing-coord", "bad-coord", "outside-area", "swapped", "bad-time", "missing-time", "future",
         "pre-1900", "dst-gap", "dst-ambiguous", "empty-category", "repeated-id"],
)
def test_bad_row_reported(tmp_path: Path, now: pd.Timestamp, varnamo, line: str, field: str, reason: str,
                          status: str) -> None:
    result = read_reports([swedish_csv(tmp_path, [line])], area=varnamo, now=now)
    entry = only(result.rejects, 3)
    assert entry["field"] == field
    assert reason in entry["reason"]
    assert entry["status"] == status
    assert entry["file"].endswith("export.csv")
    kept = 2 if status == "warning" else 1
    assert len(result.reports) == kept


def test_ambiguous_time_keeps_earlier_instant(tmp_path: Path, now: pd.Timestamp) -> None:
    result = read_reports([swedish_csv(tmp_path, ["B;57,18;14,05;2024-10-27 02:30;stöld;\n"])], now=now)
    t = result.reports.set_index("report_id").loc["B", "occurred_at"]
    assert t == pd.Timestamp("2024-10-27 02:30+02:00")  # summer time, the first of the two 02:30s
    assert t.utcoffset() == pd.Timedelta(hours=2)


def test_swapped_without_area(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "s.csv"
    path.write_text("lat,lon,time,category\n100.50,13.75,2016-01-01 10:00,x\n", encoding="utf-8")
    result = read_reports([path], now=now)
    entry = only(result.rejects, 2)
    assert "swapped" in entry["reason"] and entry["status"] == "warning"


def test_duplicates_without_id_listed_or_dropped(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "d.csv"
    row = "57.18,14.05,2024-03-05 22:10,stöld\n"
    path.write_text("lat,lon,time,category\n" + row + row + "57.18,14.05,2024-03-05 22:10,rån\n", encoding="utf-8")
    kept = read_reports([path], now=now)
    assert len(kept.reports) == 3  # separate offences often look exactly like this in real exports
    entry = only(kept.rejects, 3)
    assert entry["status"] == "warning" and "possible duplicate of row 2" in entry["reason"]
    dropped = read_reports([path], ReaderOptions(drop_duplicates=True), now=now)
    assert len(dropped.reports) == 2
    assert only(dropped.rejects, 3)["status"] == "rejected"


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


def test_utf8_and_comma_separated_also_work(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "u.csv"
    path.write_text('id,Latitude,Longitude,date,type\n1,"57.18","14.05",2024-03-05T22:10:00+01:00,skadegörelse\n',
                    encoding="utf-8")
    r = read_reports([path], now=now).reports.iloc[0]
    assert r["category"] == "skadegörelse"
    assert r["occurred_at"] == pd.Timestamp("2024-03-05 22:10", tz="Europe/Stockholm")


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
