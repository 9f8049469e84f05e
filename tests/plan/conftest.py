"""Fixtures for the plan tests: the demo world's police reports (read as its run config reads them), its
planted truth, and places drawn from the planted hot-spots.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.io import ReaderOptions, read_reports

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
CUT = pd.Timestamp("2026-09-07", tz="Europe/Stockholm")
"""Monday eight weeks before the demo's last day: history before it, held-out incidents after it."""
CUT_WEEK = "2026-W37"

POLICE_OPTIONS = ReaderOptions(
    encoding="cp1252",
    sep=";",
    id_col="Ärendenummer",
    category_col="Brottstyp",
    time_col="occurred_from",
    time_to_col="occurred_to",
    lat_col="Latitud",
    lon_col="Longitud",
    description_col="Beskrivning",
    precision_col="Lägesnoggrannhet",
    source="police",
)


@pytest.fixture(scope="session")
def demo_truth() -> dict:
    return json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_police() -> gpd.GeoDataFrame:
    return read_reports([DEMO / "polisanmalningar.csv"], POLICE_OPTIONS).reports


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
