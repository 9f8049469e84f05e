"""Fixtures for the plan tests: places drawn from the demo world's planted hot-spots.

The demo world's police reports (`demo_police`) and planted truth (`demo_truth`) come from tests/conftest.py.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

CUT = pd.Timestamp("2026-09-07", tz="Europe/Stockholm")
"""Monday eight weeks before the demo's last day: history before it, held-out incidents after it."""
CUT_WEEK = "2026-W37"


@pytest.fixture(scope="session")
def planted_places(demo_truth: dict) -> gpd.GeoDataFrame:
    """The planted hot-spots as circles of their planted radius, in the Hotspots shape the planner reads."""
    hs = demo_truth["hotspots"]
    return gpd.GeoDataFrame(
        {
            "hotspot_id": [h["id"] for h in hs],
            "label": [h["name"] for h in hs],
            "n_reports": [h["n_reports"] for h in hs],
        },
        geometry=[Point(h["x"], h["y"]).buffer(h["radius_m"]) for h in hs],
        crs="EPSG:3006",
    )


def in_planted_window(visit_start: pd.Timestamp, spec: dict) -> bool:
    """Whether a visit starts on one of a planted hot-spot's weekdays and hours (calendar day of the visit)."""
    return visit_start.weekday() in set(spec["weekdays"]) and visit_start.hour in set(spec["hours"])
