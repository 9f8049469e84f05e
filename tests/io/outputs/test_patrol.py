"""The patrol writer: the plan and the naive plan as distinct kinds, the page, the GeoPackage for the map."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from geo.io.outputs.patrol import write_patrol
from geo.plan.patrol import PATROL_COLUMNS
from geo.stages.patrol import PatrolSettings, patrol_stage
from tests.plan.conftest import CUT_WEEK, planted_frame


@pytest.fixture(scope="module")
def result(demo_police, demo_truth):
    settings = PatrolSettings(week=CUT_WEEK, shifts=["15-23", "23-07"], visits_per_shift=3)
    return patrol_stage(demo_police, planted_frame(demo_truth), settings)


def test_files_and_kinds(result, tmp_path: Path) -> None:
    files = write_patrol(result, tmp_path / "out", demo=True, lang="en")
    kinds = {f.kind: f for f in files}
    assert list(kinds) == [
        "patrol_plan",
        "patrol_naive",
        "patrol_plan_html",
        "patrol_plan_ics",
        "patrol_plan_gpkg",
        "patrol_visits",
        "patrol_routes",
    ]
    assert {f.stage for f in files} == {"patrol"}
    plan = pd.read_csv(kinds["patrol_plan"].path)
    naive = pd.read_csv(kinds["patrol_naive"].path)
    extra = ["shift", "unit", "travel_min", "travel_m", "expected_incidents"]
    assert list(plan.columns) == list(naive.columns) == [*PATROL_COLUMNS, *extra]
    assert plan["expected_share"].sum() == pytest.approx(result.plan.expected_share, abs=1e-5)
    assert naive["expected_share"].sum() == pytest.approx(result.plan.naive_share, abs=1e-5)
    assert len(plan) == len(result.plan.visits) and len(naive) == len(result.plan.naive)
    html = Path(kinds["patrol_plan_html"].path).read_text(encoding="utf-8")
    assert "Patrol plan" in html and "Synthetic demo data" in html
    gpkg = kinds["patrol_plan_gpkg"].path
    assert kinds["patrol_visits"].path == kinds["patrol_routes"].path == gpkg
    assert [name for name, _ in pyogrio.list_layers(gpkg)] == ["visits", "routes"]
    visits = gpd.read_file(gpkg, layer=kinds["patrol_visits"].layer)
    assert list(visits["place_id"]) == list(plan["place_id"])
    routes = gpd.read_file(gpkg, layer="routes")
    assert len(routes) == plan["shift"].nunique()
    assert not list((tmp_path / "out").glob(".*tmp*"))  # written atomically, nothing left behind


def test_no_geopackage_without_visits(demo_police, demo_truth, tmp_path: Path) -> None:
    empty = patrol_stage(demo_police, planted_frame(demo_truth).iloc[:0], PatrolSettings(week=CUT_WEEK))
    files = write_patrol(empty, tmp_path)
    assert [f.kind for f in files] == ["patrol_plan", "patrol_naive", "patrol_plan_html", "patrol_plan_ics"]
    assert pd.read_csv(tmp_path / "patrol_plan.csv").empty
    assert "inga platser (hot-spots)" in (tmp_path / "patrol_plan.html").read_text(encoding="utf-8")


def test_the_plan_as_a_calendar(result, tmp_path: Path) -> None:
    import icalendar

    files = write_patrol(result, tmp_path)
    ics = next(f for f in files if f.kind == "patrol_plan_ics")
    assert ics.path.endswith("patrol_plan.ics")
    cal = icalendar.Calendar.from_ical(Path(ics.path).read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(result.plan.visits) > 0
    assert {str(e["DTSTART"].params["TZID"]) for e in events} == {"Europe/Stockholm"}
