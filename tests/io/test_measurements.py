"""Speed measurements (geo.io.measurements): every row accounted for with file, row, field and reason."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.errors import InputError
from geo.io.measurements import read_measurements
from geo.io.segments import read_segments
from geo.layers.speed.matching import match_measurements
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def demo_segments():
    return read_segments(DEMO / "gator.geojson")


def test_measurement_rows_rejected_with_file_row_field_reason(tmp_path: Path, demo_segments) -> None:
    good = pd.read_csv(DEMO / "hastighet_passager.csv", nrows=20)
    bad = pd.DataFrame(
        {
            "measured_at": [
                "igår",
                "2026-09-15 10:00",
                "2026-09-15 10:00",
                "2026-09-15 10:00",
                "2026-03-29 02:30",
                "2026-09-15 10:00",
                "2026-09-15 10:00",
            ],
            "segment_id": ["", "", "", "S9999", "", "", ""],
            "direction": ["", "", "", "", "", "", "uppåt"],
            "speed_kmh": ["50", "snabbt", "-3", "50", "50", "50", "44"],
            "lat": [57.18, 57.18, 57.18, "", 57.18, 57.30, good["lat"].iloc[0]],
            "lon": [14.04, 14.04, 14.04, "", 14.04, 14.20, good["lon"].iloc[0]],
        }
    )
    table = pd.concat([good.drop(columns=["data"]).assign(segment_id=""), bad], ignore_index=True)
    path = tmp_path / "passager.csv"
    table.to_csv(path, index=False)
    meas = read_measurements(path, crs=demo_segments.crs)
    assert meas.kind == "passes" and meas.tz == "Europe/Stockholm"
    matched, rej = match_measurements(meas.frame, demo_segments.segments, tolerance_m=30)
    allrej = pd.concat([meas.rejects, rej], ignore_index=True)
    by_row = allrej[allrej["status"] == "rejected"].set_index("row")
    first_bad = 22  # header = row 1, 20 good rows
    assert by_row.loc[first_bad, "field"] == "measured_at"
    assert (
        by_row.loc[first_bad + 1, "field"] == "speed_kmh" and "number" in by_row.loc[first_bad + 1, "reason"]
    )
    assert by_row.loc[first_bad + 2, "field"] == "speed_kmh"
    assert (
        by_row.loc[first_bad + 3, "field"] == "segment_id"
        and "no road segment" in by_row.loc[first_bad + 3, "reason"]
    )
    assert "does not exist" in by_row.loc[first_bad + 4, "reason"]
    assert "no road segment within 30 m" in by_row.loc[first_bad + 5, "reason"]
    warn = allrej[allrej["status"] == "warning"].set_index("row")
    assert warn.loc[first_bad + 6, "field"] == "direction"
    assert len(matched) == 21  # the 20 good rows and the one with a direction not understood
    assert set(allrej["file"]) == {str(path)}


def test_measurements_without_a_layout(tmp_path: Path, demo_segments) -> None:
    path = tmp_path / "x.csv"
    pd.DataFrame({"tid": ["2026-09-14 10:00"], "v": [50]}).to_csv(path, index=False)
    with pytest.raises(InputError, match="measured_at"):
        read_measurements(path, crs=demo_segments.crs)
