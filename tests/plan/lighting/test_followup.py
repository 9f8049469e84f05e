"""Follow-up: dark-time incidents before and after a change, against a comparison ring."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import shapely

from geo.plan.lighting.followup import follow_up
from tests.layers.lighting.street import X0, Y0, reports_along


def test_follow_up_counts_and_caveat(tmp_path: Path) -> None:
    # affected area: x 0-100 m; comparison ring 50-500 m around it; lamps fixed 2024-12-15
    rows = []
    rows += [(50, f"2024-12-{d:02d} 22:00", "rån") for d in (1, 3, 5, 7, 9, 11)]  # before, affected: 6
    rows += [(60, f"2024-12-{d:02d} 22:00", "rån") for d in (17, 20)]  # after, affected: 2
    rows += [(300, f"2024-12-{d:02d} 22:00", "rån") for d in (2, 4, 6, 8)]  # before, comparison: 4
    rows += [(310, f"2024-12-{d:02d} 22:00", "rån") for d in (18, 21, 24, 26)]  # after, comparison: 4
    rows += [(50, "2024-12-16 12:00", "rån")]  # daylight: not counted
    reports = reports_along(tmp_path, rows)
    area = shapely.box(X0 - 5, Y0 - 20, X0 + 100, Y0 + 20)
    res = follow_up(reports, affected=area, changed_at=pd.Timestamp("2024-12-15"), window_days=14)
    t = res.table.set_index("area")
    assert (t.loc["affected", "before"], t.loc["affected", "after"]) == (6, 2)
    assert (t.loc["comparison", "before"], t.loc["comparison", "after"]) == (4, 4)
    assert res.ratio == pytest.approx((2 / 6) / (4 / 4))
    assert res.ci_low < res.ratio < res.ci_high and res.ci_high > 1
    assert "små tal bevisar lite" in res.note and "ingen säker skillnad" in res.note
    # by default the longest equal windows the data allow: 13 days before (from Dec 1), 11 after (to Dec 26)
    auto = follow_up(reports, affected=area, changed_at=pd.Timestamp("2024-12-15")).table.set_index("area")
    assert auto.loc["affected", "days_before"] == auto.loc["affected", "days_after"] == 11
    assert (auto.loc["affected", "before"], auto.loc["affected", "after"]) == (4, 2)
