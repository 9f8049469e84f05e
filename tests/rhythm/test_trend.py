"""Short-period trends: the period's rate against the 13 weeks before it, significant and material."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.rhythm.trend import short_trend_class, short_trend_text, short_trends


@pytest.mark.parametrize(
    ("n_now", "n_before", "expected"),
    [
        (2, 3, "none"),  # 5 reports: too few to say
        (12, 2, "new"),  # 3/week now, 0.15/week before
        (20, 26, "intensifying"),  # 5/week against 2/week, p < 0.05
        (2, 52, "diminishing"),  # 0.5/week against 4/week
        (8, 26, "persistent"),  # 2/week both
        (6, 13, "persistent"),  # 1.5/week against 1/week: material but not significant
    ],
)
def test_classes(n_now, n_before, expected):
    assert short_trend_class(n_now, n_before, weeks_now=4, weeks_before=13) == expected


def test_text_says_what_it_compared():
    assert short_trend_text(4, 13) == "trend: de senaste 4 veckorna jämfört med föregående 13 veckor"
    assert short_trend_text(1, 13, lang="en") == "trend: the last 1 weeks compared with the 13 weeks before"


def _points(rng, n, centre, start, end):
    xy = rng.normal(centre, 20, size=(n, 2))
    span = (end - start).total_seconds()
    times = start + pd.to_timedelta(rng.uniform(0, span, n), unit="s")
    return gpd.GeoDataFrame({"occurred_at": times}, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=3006)


def test_planted_rise_and_fall_against_the_quarter_before():
    rng = np.random.default_rng(1)
    tz = "Europe/Stockholm"
    start, end = pd.Timestamp("2026-10-05", tz=tz), pd.Timestamp("2026-11-02", tz=tz)
    before = start - pd.Timedelta(weeks=13)
    rising, falling, steady = (0.0, 0.0), (1000.0, 0.0), (0.0, 1000.0)
    history = pd.concat(
        [
            _points(rng, 26, rising, before, start),  # 2 a week before, 8 a week now
            _points(rng, 32, rising, start, end),
            _points(rng, 78, falling, before, start),  # 6 a week before, 0.5 now
            _points(rng, 2, falling, start, end),
            _points(rng, 39, steady, before, start),  # 3 a week both
            _points(rng, 12, steady, start, end),
            _points(rng, 40, steady, before - pd.Timedelta(weeks=30), before),  # outside the 13 weeks
        ]
    )
    places = gpd.GeoDataFrame(geometry=[Point(c).buffer(150) for c in (rising, falling, steady)], crs=3006)
    trends, weeks = short_trends(places, gpd.GeoDataFrame(history, crs=3006), start=start, end=end)
    assert weeks == 13
    assert list(trends) == ["intensifying", "diminishing", "persistent"]


def test_history_shorter_than_a_quarter_compares_what_there_is():
    rng = np.random.default_rng(2)
    tz = "Europe/Stockholm"
    start, end = pd.Timestamp("2026-10-05", tz=tz), pd.Timestamp("2026-11-02", tz=tz)
    history = pd.concat(
        [_points(rng, 10, (0, 0), start - pd.Timedelta(weeks=5), start), _points(rng, 8, (0, 0), start, end)]
    )
    places = gpd.GeoDataFrame(geometry=[Point(0, 0).buffer(150)], crs=3006)
    trends, weeks = short_trends(places, gpd.GeoDataFrame(history, crs=3006), start=start, end=end)
    assert weeks == 4  # the data start a little over 4 whole weeks before the period
    no_history = gpd.GeoDataFrame(history[history["occurred_at"] >= start], crs=3006)
    trends, weeks = short_trends(places, no_history, start=start, end=end)
    assert weeks == 0 and list(trends) == ["none"]
