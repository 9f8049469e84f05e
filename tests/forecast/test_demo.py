"""The demo world (synthetic, planted truth): the emerging hot-spot shows in the forecast within two weeks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.forecast import DEFAULT_METHOD, METHODS, backtest, events_from_reports, forecast_cells
from geo.io.area import load_area
from geo.model import Reports
from tests.conftest import read_demo_police


@pytest.fixture(scope="module")
def demo(demo_truth: dict) -> tuple[Reports, dict]:
    """The demo police reports inside Värnamo municipality, with a clock after the demo's last day."""
    reports = read_demo_police(area=load_area("0683"), now=pd.Timestamp("2027-01-01", tz="UTC"))
    return reports, demo_truth


def _emerging(truth: dict) -> dict:
    spots = [h for h in truth["hotspots"] if h.get("emerging")]
    assert len(spots) == 1
    return spots[0]


def _best_share(reports: Reports, spot: dict, *, as_of: pd.Timestamp, method: str) -> float:
    """Rank of the best cell touching the planted spot, as a share of active cells (1 % = top 1 %)."""
    cells = forecast_cells(reports, as_of=as_of, method=method)
    when = reports["occurred_at"]
    recent = reports[(when < as_of) & (when >= as_of - pd.Timedelta(days=365))]
    idx = np.unique(
        np.floor(recent.geometry.x.to_numpy() / 150).astype(int) * 1_000_000
        + np.floor(recent.geometry.y.to_numpy() / 150).astype(int)
    )
    parts = cells["cell_id"].str[1:].str.split("_", expand=True).astype(int)
    cells["key"] = parts[0] * 1_000_000 + parts[1]
    active = cells[cells["key"].isin(idx)].copy()
    active["rank"] = active["risk"].rank(ascending=False, method="max")
    reach = spot["radius_m"] + 75 * np.sqrt(2)
    near = np.hypot(active["x"] - spot["x"], active["y"] - spot["y"]) <= reach
    return float(active.loc[near, "rank"].min() / len(active))


def test_emerging_hotspot_flagged_within_two_weeks(demo: tuple[Reports, dict]) -> None:
    reports, truth = demo
    spot = _emerging(truth)
    members = reports[reports["report_id"].isin(spot["member_ids"])]
    start = members["occurred_at"].min().normalize()
    before = _best_share(reports, spot, as_of=start, method=DEFAULT_METHOD)
    after = _best_share(reports, spot, as_of=start + pd.Timedelta(days=14), method=DEFAULT_METHOD)
    assert before > 0.05, "the place must not already be a hot-spot before it emerges"
    assert after <= 0.05, f"emerging hot-spot not in the top 5 % two weeks after its start ({after:.1%})"


def test_demo_backtest_ranks_every_method(demo: tuple[Reports, dict]) -> None:
    reports, _ = demo
    res = backtest(
        events_from_reports(reports), start=pd.Timestamp("2026-03-02", tz="Europe/Stockholm"), weeks=3
    )
    assert set(res.summary["method"]) == set(METHODS)
    assert res.summary["mean_pai"].notna().all()
    at5 = res.summary[res.summary["coverage_pct"] == 5.0].set_index("method")["mean_pai"]
    assert at5[res.recommended] >= at5["count_365"]
    # the persistent planted hot-spots make any sensible method far better than chance
    assert at5["count_365"] > 3
