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
from geo.maps.base import base_map
from geo.maps.registry import LeanMap
from geo.model import Reports, validate_reports
from geo.stages.hotspots import HotspotResult
from geo.stages.maps import MapInputs
from geo.stages.patrol import PatrolResult
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
def demo_inputs(demo_hotspots: gpd.GeoDataFrame, demo_extras: dict) -> MapInputs:
    """The demo world's hot-spots, lighting plan and patrol plan as the map's inputs (from stage results)."""
    from geo.stages.hotspots import HotspotResult, HotspotSettings
    from geo.stages.lighting import LightingResult, LightingSettings
    from geo.stages.patrol import PatrolResult, PatrolSettings

    return MapInputs.from_results(
        hotspots=HotspotResult(settings=HotspotSettings(), hotspots=demo_hotspots),
        lighting=LightingResult(
            settings=LightingSettings(), plan=demo_extras["lighting"], rejects=pd.DataFrame()
        ),
        patrol=PatrolResult(settings=PatrolSettings(), plan=demo_extras["patrol"], places=demo_hotspots),
    )


@pytest.fixture(scope="session")
def toronto_analysis(toronto: gpd.GeoDataFrame) -> HotspotResult:
    """The map's default analysis of the Toronto reports (hot-spots, density contours, Gi* cells)."""
    from geo.stages.hotspots import HotspotSettings, hotspots_stage

    return hotspots_stage(toronto, HotspotSettings())


@pytest.fixture()
def small_map() -> LeanMap:
    """An empty map of central Värnamo without tiles."""
    return base_map([[57.17, 14.03], [57.20, 14.07]], tiles="none")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/artifacts/ (gitignored): screenshots of each run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def ci() -> bool:
    """CI is set: missing browser must fail, not skip."""
    return bool(os.environ.get("CI"))


NAIVE_PLACE = "Naiva torget"
NAIVE_WINDOW = ("12:34", "12:49")


@pytest.fixture(scope="session")
def patrol_with_naive(demo_extras: dict, demo_hotspots: gpd.GeoDataFrame) -> PatrolResult:
    """The demo patrol plan with a naive comparison plan that differs in every place, time and position."""
    import dataclasses

    from geo.stages.patrol import PatrolResult, PatrolSettings

    plan = demo_extras["patrol"]
    naive = plan.visits.copy()
    naive["place"] = NAIVE_PLACE
    naive["place_id"] = "NAIV-" + naive["place_id"].astype(str)
    naive["start"], naive["end"] = NAIVE_WINDOW
    naive = naive.set_geometry(naive.geometry.translate(3000.0, 3000.0))
    naive["lat"] = naive.geometry.to_crs("EPSG:4326").y
    naive["lon"] = naive.geometry.to_crs("EPSG:4326").x
    return PatrolResult(
        settings=PatrolSettings(), plan=dataclasses.replace(plan, naive=naive), places=demo_hotspots
    )
