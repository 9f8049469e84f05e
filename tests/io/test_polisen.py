"""geo.io.polisen: the real Police events feed for Värnamo and Jönköping county."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.io import read_reports
from geo.io.area import load_area
from geo.model import point_reports


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
