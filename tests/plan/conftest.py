"""Fixtures for the plan tests: places drawn from the demo world's planted hot-spots.

The demo world's police reports (`demo_police`) and planted truth (`demo_truth`) come from tests/conftest.py.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from geo.model import Reports
from geo.plan.patrol import PatrolPlan, plan_patrols

CUT = pd.Timestamp("2026-09-07", tz="Europe/Stockholm")
"""Monday eight weeks before the demo's last day: history before it, held-out incidents after it."""
CUT_WEEK = "2026-W37"
SHIFTS = ["15-23", "23-07"]
"""The shifts of the `plan` fixture."""


def planted_frame(truth: dict) -> gpd.GeoDataFrame:
    """Return the planted hot-spots of `truth` as circles of their planted radius, in the Hotspots shape."""
    hs = truth["hotspots"]
    return gpd.GeoDataFrame(
        {
            "hotspot_id": [h["id"] for h in hs],
            "label": [h["name"] for h in hs],
            "n_reports": [h["n_reports"] for h in hs],
        },
        geometry=[Point(h["x"], h["y"]).buffer(h["radius_m"]) for h in hs],
        crs="EPSG:3006",
    )


@pytest.fixture(scope="session")
def planted_places(demo_truth: dict) -> gpd.GeoDataFrame:
    """Return the planted hot-spots as circles of their planted radius, as the planner reads them."""
    return planted_frame(demo_truth)


@pytest.fixture(scope="session")
def plan(demo_police: Reports, planted_places: gpd.GeoDataFrame) -> PatrolPlan:
    """Return the plan of the week after the cut over the planted hot-spots, from the history before it."""
    return plan_patrols(planted_places, demo_police, week=CUT_WEEK, shifts=SHIFTS, history_days=365)


def river_streets() -> gpd.GeoDataFrame:
    """Two banks of a river 200 m apart (y = 0 and y = 200, x 0..1000) and the only bridge at x = 1000."""
    return gpd.GeoDataFrame(
        {"name": ["south bank", "bridge", "north bank"]},
        geometry=[
            LineString([(0, 0), (1000, 0)]),
            LineString([(1000, 0), (1000, 200)]),
            LineString([(1000, 200), (0, 200)]),
        ],
        crs="EPSG:3006",
    )


def in_planted_window(visit_start: pd.Timestamp, spec: dict) -> bool:
    """Return whether a visit starts on a planted hot-spot's weekdays and hours (the visit's calendar day)."""
    return visit_start.weekday() in set(spec["weekdays"]) and visit_start.hour in set(spec["hours"])
