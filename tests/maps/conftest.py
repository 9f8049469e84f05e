"""Fixtures for the map tests: real Toronto reports, the Värnamo demo world (syntetiska demodata), and the
hot-spot engine's results on them, each computed once per session.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.io import read_reports
from geo.model import Reports, validate_reports
from tests.conftest import DEMO, NOW, ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def demo_reports(demo_police: Reports) -> gpd.GeoDataFrame:
    """The demo world's police reports, residents' reports and safety-walk findings in one frame."""
    rest = read_reports(
        [DEMO / "trygghetsrapporter.csv", DEMO / "trygghetsvandringar.geojson"], crs=demo_police.crs, now=NOW
    )
    merged = pd.concat([demo_police, rest.reports], ignore_index=True)
    return validate_reports(gpd.GeoDataFrame(merged, geometry="geometry", crs=demo_police.crs))


@pytest.fixture(scope="session")
def demo_streets(demo_reports: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The demo world's streets (name, highway, maxspeed, lit) in the reports' CRS."""
    return gpd.read_file(DEMO / "gator.geojson").to_crs(demo_reports.crs)


@pytest.fixture(scope="session")
def demo_hotspots(demo_reports: gpd.GeoDataFrame, demo_streets: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """DBSCAN hot-spots of the demo police reports with the demo config's parameters, labelled by street."""
    from geo.hotspots import find_hotspots

    police = demo_reports[demo_reports["source"] == "police"]
    return find_hotspots(police, method="dbscan", eps_m=75, min_samples=30, streets=demo_streets)


@pytest.fixture(scope="session")
def demo_extras(demo_reports: gpd.GeoDataFrame, demo_hotspots: gpd.GeoDataFrame) -> dict:
    """The demo world's real lighting plan and patrol plan (from the lighting and patrol modules)."""
    from geo.io.lamps import read_lighting_sources
    from geo.plan.patrol import plan_patrols
    from geo.stages.lighting import LightingSettings, lighting_stage

    lamps, ways, _ = read_lighting_sources(
        DEMO / "belysning.geojson", DEMO / "gator.geojson", crs=demo_reports.crs
    )
    plan = lighting_stage(demo_reports, lamps, ways, LightingSettings(budget=10)).plan
    patrol = plan_patrols(demo_hotspots, demo_reports, week="2026-W45")
    return {"lighting": plan, "patrol": patrol}


@pytest.fixture(scope="session")
def toronto_analysis(toronto: gpd.GeoDataFrame) -> dict:
    """The map's default analysis of the Toronto reports (hot-spots, density contours, Gi* cells)."""
    from geo.commands.map import analyse_for_map

    return analyse_for_map(toronto)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/artifacts/ (gitignored): screenshots of each run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def ci() -> bool:
    """CI is set: missing browser must fail, not skip."""
    return bool(os.environ.get("CI"))
