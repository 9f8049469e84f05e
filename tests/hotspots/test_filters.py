"""Filters: period, categories, sources, darkness, weekdays, hours."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.hotspots.filters import filter_reports, parse_hours, parse_weekdays


def test_parse_weekdays() -> None:
    assert parse_weekdays("fre,lör") == (4, 5)
    assert parse_weekdays("mån–fre") == (0, 1, 2, 3, 4)
    assert parse_weekdays("Fri-Mon") == (0, 4, 5, 6)
    assert parse_weekdays("0, 6") == (0, 6)
    assert parse_weekdays("söndag") == (6,)
    with pytest.raises(ValueError, match="'fredan' is not a weekday"):
        parse_weekdays("fredan")


def test_parse_hours() -> None:
    assert parse_hours("22-03") == (22, 3)
    assert parse_hours("08–17") == (8, 17)
    with pytest.raises(ValueError, match="22-03"):
        parse_hours("late")
    with pytest.raises(ValueError):
        parse_hours("5-5")


def test_filters(demo_reports) -> None:
    r = demo_reports
    t = r["occurred_at"]
    since = filter_reports(r, since="2025-01-01")
    assert (since["occurred_at"] >= pd.Timestamp("2025-01-01", tz="Europe/Stockholm")).all()
    assert len(since) == int((t >= pd.Timestamp("2025-01-01", tz="Europe/Stockholm")).sum())
    until = filter_reports(r, until="2025-01-01")
    assert len(since) + len(until) == len(r)
    cat = filter_reports(r, categories=["MISSHANDEL"])
    assert len(cat) > 0 and (cat["category"] == "misshandel").all()
    assert len(filter_reports(r, sources=["police"])) == len(r)
    assert len(filter_reports(r, sources=["resident"])) == 0
    dark = filter_reports(r, dark_only=True)
    assert dark["is_dark"].all() and len(dark) == int(r["is_dark"].sum())
    weekend = filter_reports(r, weekdays=(5, 6))
    assert set(weekend["weekday"]) == {5, 6}
    night = filter_reports(r, hours=(22, 3))
    assert set(night["hour"]) == {22, 23, 0, 1, 2}
    both = filter_reports(r, categories=["misshandel"], hours=(22, 3), weekdays=(4, 5, 6))
    assert len(both) <= min(len(cat), len(night))
    assert len(r) == len(demo_reports)  # the input is not changed
