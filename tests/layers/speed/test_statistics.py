"""Speed figures per segment and window."""

from __future__ import annotations

import pytest

from geo.io.measurements import read_measurements
from geo.layers.speed.matching import match_measurements
from geo.layers.speed.statistics import speed_by_window
from tests.conftest import DEMO


def test_windows_hours_and_shares(demo_segments) -> None:
    meas = read_measurements(DEMO / "hastighet_passager.csv", crs=demo_segments.crs)
    matched, _ = match_measurements(meas.frame, demo_segments.segments)
    win = speed_by_window(matched, demo_segments.segments, band_hours=4, day_groups="each_day")
    assert set(win["weekdays"]) == {"mån", "tis", "ons", "tor", "fre", "lör", "sön"}
    # a week of measurements: each band of each day observed for at most 4 hours
    assert win["hours_observed"].between(1, 4).all()
    assert win.groupby("segment_id")["passes"].sum().sum() == len(matched)
    assert (
        (win["share_over_limit_10"] <= win["share_over_limit"]) & win["share_over_limit"].between(0, 1)
    ).all()
    with pytest.raises(ValueError, match="band_hours"):
        speed_by_window(matched, demo_segments.segments, band_hours=5)
