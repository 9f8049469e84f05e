"""Coverage of a plan on incidents: known to the minute, to the hour, or only within a window."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.model import Reports
from geo.plan.patrol_coverage import coverage_of

TZ = "Europe/Stockholm"


def _reports(rows: list[tuple[str, str | None, tuple[float, float]]]) -> Reports:
    at = pd.Series(pd.to_datetime([r[0] for r in rows])).dt.tz_localize(TZ)
    to = pd.Series(pd.to_datetime([r[1] for r in rows])).dt.tz_localize(TZ)
    return Reports(
        gpd.GeoDataFrame(
            {"occurred_at": at, "occurred_to": to, "location_precision": "exact"},
            geometry=[Point(*r[2]) for r in rows],
            crs="EPSG:3006",
        )
    )


PLACES = gpd.GeoDataFrame({"place_id": ["A"]}, geometry=[Point(0, 0).buffer(50)], crs="EPSG:3006")
VISITS = pd.DataFrame(
    {
        "place_id": ["A"],
        "start_at": [pd.Timestamp("2026-11-02 10:00", tz=TZ)],  # a Monday
        "end_at": [pd.Timestamp("2026-11-02 10:15", tz=TZ)],
    }
)


def test_minute_window_and_outside() -> None:
    rep = _reports(
        [
            ("2026-10-26 10:05", None, (0, 0)),  # Monday a week earlier, inside the visit's minutes
            ("2026-10-26 11:05", None, (0, 0)),  # same place, later
            ("2026-10-19 10:00", "2026-10-19 10:30", (10, 0)),  # a window: half of it covered
            ("2026-10-26 10:05", None, (900, 0)),  # not in any place, still in the denominator
        ]
    )
    assert coverage_of(VISITS, PLACES, rep, time_precision="minute") == pytest.approx(1.5 / 4)


def test_hour_precision_and_no_reports() -> None:
    rep = _reports([("2026-10-26 10:00", None, (0, 0))])
    # known to the hour only: a quarter of the hour is covered
    assert coverage_of(VISITS, PLACES, rep) == pytest.approx(0.25)
    assert coverage_of(VISITS, PLACES, rep, time_precision="minute") == pytest.approx(1.0)
    assert math.isnan(coverage_of(VISITS, PLACES, Reports(rep.iloc[:0])))
    with pytest.raises(ValueError, match="time_precision"):
        coverage_of(VISITS, PLACES, rep, time_precision="second")
    with pytest.raises(ValueError, match="not among the places"):
        coverage_of(VISITS.assign(place_id="B"), PLACES, rep)
