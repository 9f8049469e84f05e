"""The Police events feed (geo.maps.layers.feed): weekly counts and the trend panel."""

from __future__ import annotations

import pandas as pd

from geo.maps import build_map, render_html
from tests.maps._helpers import registered


def test_police_feed_trend_panel(data_dir):
    from geo.io import read_reports
    from geo.maps.layers.feed import feed_trend

    feed = read_reports([data_dir / "polisen_events_varnamo.json"]).reports
    weekly = feed_trend(feed)
    assert weekly["count"].sum() == len(feed)
    t = feed["occurred_at"].dt.tz_localize(None)
    monday = (t.dt.normalize() - pd.to_timedelta(t.dt.day_of_week, unit="D")).max()
    last4 = int((t >= monday - pd.Timedelta(days=21)).sum())
    before = int(((t >= monday - pd.Timedelta(days=49)) & (t < monday - pd.Timedelta(days=21))).sum())
    html = render_html(build_map(feed, tiles="none"))
    assert f"Senaste 4 veckor: {last4} händelser ({last4 - before:+d} mot 4 veckor innan)" in html
    assert "grid" not in registered(html)  # municipality-level positions never reach the grid
