"""The map stage: frames in, map/summary/package out; the patrol layer is the plan, never the naive plan."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from geo.maps import render_html
from geo.stages.hotspots import HotspotResult, HotspotSettings
from geo.stages.maps import MapInputs, MapSettings, map_stage
from tests.maps.conftest import NAIVE_PLACE, NAIVE_WINDOW

SETTINGS = MapSettings(tiles="none")


def _registered(html: str) -> list[str]:
    return re.findall(r'LB\.register\("(\w+)"', html)


def test_plan_not_naive_in_summary_map_and_package(demo_reports, demo_hotspots, patrol_with_naive):
    """Regression: the summary page, the internal map and its GeoPackage show the plan, not the naive plan."""
    plan = patrol_with_naive.plan
    assert NAIVE_PLACE in set(plan.naive["place"]) and NAIVE_PLACE not in set(plan.visits["place"])
    inputs = MapInputs.from_results(
        hotspots=HotspotResult(settings=HotspotSettings(), hotspots=demo_hotspots), patrol=patrol_with_naive
    )
    assert_geodataframe_equal(inputs.patrol_visits, plan.visits)
    assert inputs.patrol_visits.attrs["week_expected"] > 0  # the summary says "av veckans N förväntade"
    result = map_stage(demo_reports, inputs, SETTINGS, public=False, title="Lägesbild Värnamo", demo=True)
    first = plan.visits.iloc[0]
    window = f"{first['start']}–{first['end']}"
    naive_window = "–".join(NAIVE_WINDOW)
    page = result.summary_html
    assert page is not None and str(first["place"]) in page and str(first["start"]) in page
    assert NAIVE_PLACE not in page and NAIVE_WINDOW[0] not in page
    html = render_html(result.map)
    assert "patrol" in _registered(html)
    assert str(first["place"]) in html and window in html
    assert NAIVE_PLACE not in html and naive_window not in html
    visits = result.package["patrol_visits"]
    assert set(visits["place"]) == set(plan.visits["place"]) and NAIVE_PLACE not in set(visits["place"])
    assert sorted(visits["start"]) == sorted(plan.visits["start"])
    assert result.counts["patrol"] == result.layers.feature_counts()["patrol"]


def test_stage_does_not_modify_its_input(demo_reports, demo_inputs):
    reports = demo_reports.copy()
    hotspots = demo_inputs.hotspots.copy()
    visits = demo_inputs.patrol_visits.copy()
    map_stage(demo_reports, demo_inputs, SETTINGS, public=False, summary=False)
    map_stage(demo_reports, demo_inputs, SETTINGS, public=True)
    assert_geodataframe_equal(demo_reports, reports)
    assert_geodataframe_equal(demo_inputs.hotspots, hotspots)
    pd.testing.assert_frame_equal(pd.DataFrame(demo_inputs.patrol_visits), pd.DataFrame(visits))


def test_public_map_keeps_only_public_layers_and_says_so(demo_reports, demo_inputs):
    result = map_stage(demo_reports, demo_inputs, MapSettings(tiles="none", k=8), public=True)
    assert result.public and result.summary_html is None
    assert set(result.counts) <= {"area", "grid", "hotspots"}
    assert set(result.package) <= {
        "study_area",
        "report_grid",
        "hotspots",
        "lagesbild_map",
        "police_feed_weekly",
    }
    assert (result.package["report_grid"]["count"] >= 8).all()
    assert any("publika kartan" in n for n in result.notes)


def test_nothing_to_draw_says_why(demo_hotspots):
    result = map_stage(None, MapInputs(hotspots=demo_hotspots), SETTINGS, public=False)
    assert "grid" not in result.counts and result.counts["hotspots"] == len(demo_hotspots)
    assert any("inga rapporter" in n for n in result.notes)
    assert "cell_m" not in result.chosen


def test_automatic_cell_is_explained_and_settings_are_used(demo_reports):
    auto = map_stage(demo_reports, MapInputs(), SETTINGS, public=False, summary=False)
    assert "cell_m" in auto.chosen and auto.layers.cell_m > 0
    fixed = map_stage(demo_reports, MapInputs(), MapSettings(tiles="none", cell_m=333), public=False)
    assert fixed.layers.cell_m == 333 and "cell_m" not in fixed.chosen
    few = map_stage(demo_reports, MapInputs(), MapSettings(tiles="none", max_points=10), public=False)
    assert few.counts["points"] == 10


def test_from_results_takes_every_stage(demo_inputs, demo_extras):
    lighting = demo_extras["lighting"]
    assert set(demo_inputs.origin) >= {"hotspots", "lamp_proposals", "dark_places", "patrol_visits"}
    assert len(demo_inputs.lamp_proposals) == len(lighting.proposals.lamps)
    assert "rank" in demo_inputs.dark_places.columns  # the ranked dark places, not the unlit ways
    assert demo_inputs.patrol_visits.equals(demo_extras["patrol"].visits)
    with pytest.raises(ValueError, match="no frame"):
        MapInputs().set("patrol", demo_inputs.patrol_visits, "x")


def test_bad_language_is_refused(demo_reports):
    with pytest.raises(ValueError, match="lang"):
        map_stage(demo_reports, MapInputs(), SETTINGS, public=False, lang="de")


def test_forecast_cells_are_drawn_on_the_internal_map_only(demo_reports):
    cells = gpd.GeoDataFrame(
        {"cell_id": ["c1", "c2"], "rank": [1, 7], "risk": [2.5, 1.1], "method": ["kde", "kde"]},
        geometry=gpd.GeoSeries.from_xy([448_300, 448_600], [6_340_300, 6_340_600]).buffer(75, cap_style=3),
        crs=demo_reports.crs,
    )
    inputs = MapInputs(forecast_cells=cells)
    internal = map_stage(demo_reports, inputs, SETTINGS, public=False, summary=False)
    assert internal.counts["forecast"] == 2 and "forecast_cells" in internal.package
    assert "forecast" in _registered(render_html(internal.map))
    public = map_stage(demo_reports, inputs, SETTINGS, public=True)
    assert "forecast" not in public.counts
