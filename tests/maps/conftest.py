"""Fixtures for the map tests: real Toronto reports, the Värnamo demo world (syntetiska demodata), and the
hot-spot engine's results on them, each computed once per session.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.io import ReaderOptions, read_reports
from geo.model import validate_reports

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
DEMO = DATA / "demo"
ARTIFACTS = ROOT / "tests" / "artifacts"

DEMO_POLICE_OPTIONS = ReaderOptions(
    id_col="Ärendenummer",
    category_col="Brottstyp",
    time_col="occurred_from",
    time_to_col="occurred_to",
    lat_col="Latitud",
    lon_col="Longitud",
    description_col="Beskrivning",
    precision_col="Lägesnoggrannhet",
    encoding="cp1252",
    sep=";",
    source="police",
)
"""Column mapping of the demo police export (as in data/demo/demo.toml)."""

NOW = pd.Timestamp("2026-11-25 12:00", tz="Europe/Stockholm")


@pytest.fixture(scope="session")
def toronto() -> gpd.GeoDataFrame:
    """The 114,721 real Toronto MCI reports (2014-2017) in the report model."""
    return read_reports([DATA / "toronto_mci_2014_2017.csv.gz"], now=NOW).reports


@pytest.fixture(scope="session")
def demo_reports() -> gpd.GeoDataFrame:
    """The demo world's police reports, residents' reports and safety-walk findings in one frame."""
    police = read_reports([DEMO / "polisanmalningar.csv"], DEMO_POLICE_OPTIONS, now=NOW)
    rest = read_reports(
        [DEMO / "trygghetsrapporter.csv", DEMO / "trygghetsvandringar.geojson"], crs=police.crs, now=NOW
    )
    merged = pd.concat([police.reports, rest.reports], ignore_index=True)
    return validate_reports(gpd.GeoDataFrame(merged, geometry="geometry", crs=police.crs))


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
    from geo.commands.lighting import compute_lighting
    from geo.plan.patrol import plan_patrols

    plan, _ = compute_lighting(
        demo_reports, lamps_path=DEMO / "belysning.geojson", ways_path=DEMO / "gator.geojson", budget=10
    )
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
