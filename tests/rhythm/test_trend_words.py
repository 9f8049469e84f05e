"""Trend words say what they compared, and the weeks match what the trend counted."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.hotspots.objects import trend_weeks, weekly_counts
from geo.hotspots.trend_words import trend_words

TZ = "Europe/Stockholm"


def ts(day: str) -> pd.Timestamp:
    return pd.Timestamp(day, tz=TZ)


@pytest.mark.parametrize(
    ("start", "end", "weeks"),
    [
        ("2026-10-05", "2026-11-02", (4, 0)),  # four whole weeks across the end of summer time
        ("2026-08-03", "2026-11-02", (4, 9)),  # 13 weeks
        ("2023-11-01", "2026-11-01", (52, 105)),  # the demo's three years
        ("2026-03-02", "2026-04-06", (4, 1)),  # five weeks across the start of summer time
    ],
)
def test_weeks_compared(start, end, weeks):
    assert trend_weeks(ts(start), ts(end)) == weeks
    assert len(weekly_counts(pd.Series([ts(start)]), start=ts(start), end=ts(end))) == sum(weeks)


def test_words():
    assert trend_words(ts("2026-08-03"), ts("2026-11-02")) == (
        "trend: de senaste 4 veckorna jämfört med föregående 9 veckor"
    )
    assert "för kort period" in trend_words(ts("2026-10-05"), ts("2026-11-02"))
    assert trend_words(ts("2023-11-01"), ts("2026-11-01"), lang="en") == (
        "trend: the last 52 weeks compared with the 105 weeks before"
    )
