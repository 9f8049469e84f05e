"""Drawing days and times in the demo period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.demo.period import PERIOD_END, PERIOD_START, TZ, days, fix_dst, pick_by_year, year_index


def test_three_years_of_days():
    d = days()
    assert d[0].date() == PERIOD_START and d[-1].date() == PERIOD_END
    assert np.bincount(year_index(d)).tolist() == [366, 365, 365]


def test_pick_by_year_draws_the_same_number_each_year():
    d = days()
    idx = pick_by_year(np.random.default_rng(1), 100, np.ones(len(d)), year_index(d))
    assert sorted(np.bincount(year_index(d)[idx]).tolist()) == [33, 33, 34]


def test_fix_dst_moves_times_out_of_the_gap_and_the_overlap():
    t = np.array(["2025-03-30T02:30", "2025-10-26T02:30", "2025-06-01T12:00", "NaT"], dtype="datetime64[ns]")
    fixed = pd.Series(fix_dst(t))
    assert fixed.iloc[0] == pd.Timestamp("2025-03-30 04:30")
    assert fixed.iloc[1] == pd.Timestamp("2025-10-26 04:30")
    assert fixed.iloc[2] == pd.Timestamp("2025-06-01 12:00") and pd.isna(fixed.iloc[3])
    assert fixed.dropna().dt.tz_localize(TZ).notna().all()
