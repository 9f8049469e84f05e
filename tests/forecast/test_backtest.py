"""The backtest protocol on the real Toronto data reproduces the published baseline figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.forecast import Events, backtest, recommend, summarise

TZ = "America/Toronto"


def test_toronto_2016_baselines_match_the_protocol(toronto_events: Events) -> None:
    # issue 10: with this protocol the 365-day count reaches mean PAI 11.5 / 6.2 / 4.4 at 1 / 5 / 10 % over
    # the 52 weeks of 2016, a 300 m Gaussian KDE 6.9 / 3.9 / 3.1
    res = backtest(
        toronto_events, start=pd.Timestamp("2016-01-04", tz=TZ), weeks=52, methods=["count_365", "kde"]
    )
    s = res.summary.set_index(["method", "coverage_pct"])["mean_pai"]
    assert [round(s[("count_365", c)], 1) for c in (1.0, 5.0, 10.0)] == [11.5, 6.2, 4.4]
    assert [round(s[("kde", c)], 1) for c in (1.0, 5.0, 10.0)] == [6.9, 3.9, 3.1]
    assert res.weeks["week_start"].nunique() == 52
    # active cells: the cells with a report in the 365 days before each week (about 7,600 in Toronto)
    assert res.weeks["n_active"].between(7_000, 8_500).all()


def test_weeks_follow_the_local_calendar_across_dst(toronto_events: Events) -> None:
    res = backtest(toronto_events, start=pd.Timestamp("2016-03-07", tz=TZ), weeks=2, methods=["count_365"])
    # 2016-03-13 is the spring change in Toronto: the second week still starts at local midnight Monday
    assert sorted(res.weeks["week_start"].unique()) == ["2016-03-07", "2016-03-14"]


def test_fixed_reference_period(toronto_events: Events) -> None:
    res = backtest(
        toronto_events,
        start=pd.Timestamp("2016-01-04", tz=TZ),
        weeks=2,
        methods=["count_365"],
        active_from=pd.Timestamp("2015-01-01", tz=TZ),
        active_to=pd.Timestamp("2016-01-01", tz=TZ),
    )
    assert res.weeks["n_active"].nunique() == 1


def test_recommend_needs_the_baseline_at_five_percent() -> None:
    weeks = pd.DataFrame(
        [
            # "spiky" is best at 1 % and 10 % but below the 365-day count at 5 %: not eligible
            *(
                {
                    "method": "count_365",
                    "coverage_pct": c,
                    "pai": p,
                    "hit_rate": 0.1,
                    "pei": 0.5,
                    "seconds": 0.0,
                }
                for c, p in ((1.0, 10.0), (5.0, 6.0), (10.0, 4.0))
            ),
            *(
                {"method": "spiky", "coverage_pct": c, "pai": p, "hit_rate": 0.1, "pei": 0.5, "seconds": 0.0}
                for c, p in ((1.0, 20.0), (5.0, 5.9), (10.0, 8.0))
            ),
            *(
                {"method": "steady", "coverage_pct": c, "pai": p, "hit_rate": 0.1, "pei": 0.5, "seconds": 0.0}
                for c, p in ((1.0, 10.5), (5.0, 6.1), (10.0, 4.1))
            ),
        ]
    )
    summary = summarise(weeks)
    assert recommend(summary) == "steady"
    assert summary.set_index(["method", "coverage_pct"]).loc[
        ("steady", 5.0), "pai_vs_count_365"
    ] == pytest.approx(6.1 / 6.0)


def test_bad_arguments(toronto_events: Events) -> None:
    start = pd.Timestamp("2016-01-04", tz=TZ)
    with pytest.raises(ValueError, match="weeks"):
        backtest(toronto_events, start=start, weeks=0)
    with pytest.raises(ValueError, match="unknown forecast method"):
        backtest(toronto_events, start=start, weeks=1, methods=["nope"])
    with pytest.raises(ValueError, match="timezone-aware"):
        backtest(toronto_events, start=pd.Timestamp("2016-01-04"), weeks=1)
    assert np.isfinite(
        backtest(toronto_events, start=start, weeks=1, methods=["count_28"]).summary["mean_pai"]
    ).all()
