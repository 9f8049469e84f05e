"""Shifts and ISO weeks: parsing, week starts, local wall-clock times and the hour skipped in spring."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from geo.time.weeks import (
    MIN_PER_WEEK,
    local_time,
    next_iso_week,
    parse_shift,
    parse_week,
    skipped_minutes,
    week_start,
    week_windows,
)


@pytest.mark.parametrize(
    ("text", "start", "length"),
    [
        ("15-23", 900, 480),
        ("23-07", 1380, 480),
        ("07:30-16:00", 450, 510),
        ("00-24", 0, 1440),
        ("7-7", 420, 1440),
        ("22–02", 1320, 240),
    ],
)
def test_parse_shift(text: str, start: int, length: int) -> None:
    s = parse_shift(text)
    assert (s.start_min, s.length_min) == (start, length)


@pytest.mark.parametrize("text", ["25-03", "15", "kväll", "15-23-07", "12:75-13"])
def test_parse_shift_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="shift"):
        parse_shift(text)


def test_parse_week() -> None:
    assert str(parse_week("2026-W45")) == "2026-11-02"
    assert str(parse_week("2020W53")) == "2020-12-28"
    assert next_iso_week(pd.Timestamp("2026-12-30").date()) == "2027-W01"
    for bad in ("2026-45", "2025-W53", "vecka 3"):
        with pytest.raises(ValueError, match="week"):
            parse_week(bad)


def test_shift_label() -> None:
    assert parse_shift("23-07").label == "23:00–07:00"
    assert parse_shift("07:30-16:00").label == "07:30–16:00"


def test_week_start_and_local_times_across_the_clock_change() -> None:
    assert week_start("2026-W13", "Europe/Stockholm") == pd.Timestamp("2026-03-23", tz="Europe/Stockholm")
    sunday = dt.date(2026, 3, 29)
    # 02:30 does not exist on the spring night: it moves forward to 03:00
    assert local_time(sunday, 150, "Europe/Stockholm") == pd.Timestamp(
        "2026-03-29 03:00", tz="Europe/Stockholm"
    )
    # 02:30 happens twice on the autumn night: the first (summer time) is meant
    autumn = local_time(dt.date(2026, 10, 25), 150, "Europe/Stockholm")
    assert autumn.utcoffset() == pd.Timedelta(hours=2)


def test_skipped_minutes_and_week_windows() -> None:
    skipped = skipped_minutes(dt.date(2026, 3, 23), "Europe/Stockholm")
    assert skipped.shape == (9 * 1440,) and skipped.sum() == 60
    assert skipped[6 * 1440 + 120 : 6 * 1440 + 180].all()
    assert not skipped_minutes(dt.date(2026, 10, 19), "Europe/Stockholm").any()
    w = week_windows(np.array([0, MIN_PER_WEEK - 5]), 10)
    assert w.shape == (2, 10) and list(w[1]) == [*range(MIN_PER_WEEK - 5, MIN_PER_WEEK), *range(5)]
