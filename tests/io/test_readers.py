"""Every reader on the same real extract, and the real files in data/."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geoseries_equal

from geo.io import ReaderOptions, read_reports
from geo.io.area import load_area
from geo.model import point_reports, validate_reports


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


def test_canonical_file_reads_back(tmp_path: Path, extract_files: dict[str, Path], now: pd.Timestamp) -> None:
    from geo.io.export import write_frame

    first = read_reports([extract_files["csv"]], now=now).reports
    for suffix in (".gpkg", ".parquet"):
        path = write_frame(first, tmp_path / f"canon{suffix}", layer="reports" if suffix == ".gpkg" else None)
        again = read_reports([path], now=now).reports
        assert len(again) == len(first)
        assert (again["occurred_at"] == first["occurred_at"]).all()
        assert list(again["report_id"]) == list(first["report_id"])


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


def test_police_feed_varnamo(data_dir: Path, now: pd.Timestamp) -> None:
    area = load_area("Värnamo")
    result = read_reports([data_dir / "polisen_events_varnamo.json"], area=area, now=now)
    reports = result.reports
    assert result.n_read == 154
    assert len(reports) == 154
    assert reports["location_precision"].value_counts().to_dict() == {"municipality": 127, "county": 27}
    assert reports.crs.to_epsg() == 3006
    first = reports.set_index("report_id").loc["polisen:411922"]
    # the event's own time comes from its name ("30 mars 17:04, ..."), not the publication time
    assert first["occurred_at"] == pd.Timestamp("2023-03-30 17:04", tz="Europe/Stockholm")
    assert {"event_type", "event_name", "summary", "url"} <= set(reports.columns)
    assert len(point_reports(reports)) == 0  # kept for trends, out of point analysis


def test_police_feed_unpadded_and_dotted_times(data_dir: Path, now: pd.Timestamp) -> None:
    reports = read_reports([data_dir / "polisen_events_varnamo.json"], now=now).reports.set_index("report_id")
    dotted = reports[reports["event_name"].str.match(r"^\d+ \w+ \d{1,2}\.\d{2}")]
    assert len(dotted) > 0
    for _, row in dotted.head(5).iterrows():
        hh, mm = row["event_name"].split(",")[0].split()[-1].split(".")
        assert (row["occurred_at"].hour, row["occurred_at"].minute) == (int(hh), int(mm))


def test_county_point_not_claimed_by_spatial_join(data_dir: Path, now: pd.Timestamp) -> None:
    area = load_area("0683")
    result = read_reports([data_dir / "polisen_events_jonkopings_lan.json"], area=area, now=now)
    assert result.n_read == 2623
    # the county point lies inside Värnamo, yet only events named for Värnamo are kept
    assert area.geometry.contains(__import__("shapely").Point(14.343917, 57.370843))
    assert len(result.reports) == 154
    assert result.reports["event_name"].str.endswith("Värnamo").all()
    summaries = result.rejects[result.rejects["reason"].str.contains("Sammanfattning")]
    assert len(summaries) == 1206
    assert len(result.reports) + result.n_rejected == 2623


def test_area_by_name_and_code() -> None:
    by_name = load_area("Värnamo")
    by_code = load_area("0683")
    assert by_name.code == "0683" and by_code.name == "Värnamo"
    assert by_name.geometry.equals(by_code.geometry)
    assert load_area("värnamo kommun").code == "0683"


def test_projected_xy_with_crs(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "sweref.csv"
    path.write_text("E;N;tid;typ\n440000;6340000;2024-03-01 22:10;stöld\n", encoding="utf-8")
    opts = ReaderOptions(x_col="E", y_col="N", crs="EPSG:3006", time_col="tid", category_col="typ")
    reports = read_reports([path], opts, now=now).reports
    assert reports.crs.to_epsg() == 3006
    assert np.isclose(reports.geometry.x.iloc[0], 440000, atol=0.01)
    assert str(reports["occurred_at"].dt.tz) == "Europe/Stockholm"


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


def test_time_window_kept(tmp_path: Path, now: pd.Timestamp) -> None:
    path = tmp_path / "window.csv"
    path.write_text(
        "lat,lon,occurred_from,occurred_to,category\n57.18,14.04,2024-01-05 17:00,2024-01-06 07:30,inbrott\n",
        encoding="utf-8",
    )
    reports = read_reports([path], now=now).reports
    assert reports["occurred_to"].iloc[0] == pd.Timestamp("2024-01-06 07:30", tz="Europe/Stockholm")
    assert reports["occurred_at"].iloc[0] == pd.Timestamp("2024-01-05 17:00", tz="Europe/Stockholm")


def test_geojson_output_is_wgs84(tmp_path: Path, extract_files: dict[str, Path], now: pd.Timestamp) -> None:
    from geo.io.export import write_frame

    reports = read_reports([extract_files["csv"]], now=now).reports
    out = write_frame(reports, tmp_path / "r.geojson")
    back = gpd.read_file(out)
    assert back.crs.to_epsg() == 4326


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


def test_id_repeated_across_sources_rejected(tmp_path: Path, now: pd.Timestamp) -> None:
    from geo.io import merge_results

    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("id,lat,lon,time,category\nX1,57.18,14.05,2024-03-05 22:10,stöld\n", encoding="utf-8")
    b.write_text("id;lat;lon;time;category\nX1;57,19;14,06;2024-03-06 10:00;rån\nX2;57,19;14,06;2024-03-06 11:00;rån\n",
                 encoding="utf-8")
    together = read_reports([a, b], now=now)
    apart = merge_results([read_reports([a], now=now), read_reports([b], now=now)])
    for result in (together, apart):
        assert list(result.reports["report_id"]) == ["X1", "X2"]
        entry = result.rejects.iloc[0]
        assert entry["file"].endswith("b.csv") and entry["row"] == 2 and entry["field"] == "report_id"
        assert "already read from" in entry["reason"]
        assert result.rows_read == {str(a): 1, str(b): 2}
