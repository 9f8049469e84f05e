"""The demo run's internal map in headless Chromium without internet: the offline streets, the metric scale,
the forecast layer and the points' filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.maps.browser import chromium_path, launch, open_map, screenshot
from geo.pipeline import RunResult

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def browser():
    if chromium_path() is None:
        pytest.skip("Chromium is missing; run scripts/setup-system.sh")
    with launch() as b:
        yield b


def test_offline_internal_map_shows_the_streets(browser, demo_result: RunResult) -> None:
    path = demo_result.outputs["map"]
    with open_map(browser, path, tiles="abort") as (page, report):
        page.wait_for_function("() => LB.offline === true", timeout=30_000)
        errors = [e for e in report.console_errors if not e.startswith("Failed to load resource")]
        assert errors == [] and report.other_requests == []  # only the refused tiles failed
        assert report.tile_requests  # tried, refused: then the streets in the page
        on_map = page.evaluate(
            "() => LB.bases.filter(function (b) { return b[3] === 'offline'; })"
            ".map(function (b) { return LB.map.hasLayer(b[1]); })"
        )
        assert on_map == [True]
        checked = page.locator("#lb-layer-control input[type=radio]:checked + span").inner_text()
        assert "Gator (offline)" in checked
        scale = page.locator(".leaflet-control-scale-line").all_inner_texts()
        assert len(scale) == 1 and scale[0].endswith(("m", "km")) and "ft" not in scale[0]
        assert "forecast" in report.counts and report.counts["forecast"]
        screenshot(page, ARTIFACTS / "offline-map.png")


def test_points_filter_in_the_browser(browser, demo_result: RunResult) -> None:
    reports = demo_result.reports
    path = demo_result.outputs["map"]
    with open_map(browser, path) as (page, report):
        page.evaluate("() => { LB.layers.points.addTo(LB.map); return true; }")
        total = page.evaluate("() => LB.filterPoints(-1, -1)")
        first = page.evaluate("() => LB.filterPoints(0, -1)")
        latest_week = page.evaluate("() => LB.filterPoints(-1, 0)")
        assert 0 < first < total and 0 < latest_week < total
        iso = reports["occurred_at"].dt.isocalendar()
        key = iso["year"] * 100 + iso["week"]
        points = reports[reports["location_precision"].isin(["exact", "address", "intersection"])]
        assert latest_week == int((key.loc[points.index] == key.loc[points.index].max()).sum())
        page.select_option(".lb-f-week", "0")
        assert page.locator(".lb-f-count").inner_text().replace("\u00a0", "") == str(latest_week)
