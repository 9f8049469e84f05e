"""Places and their activity: forecast cells as places, the history window, which place a report lies in."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.model import Reports, point_reports
from geo.plan.patrol import plan_patrols
from geo.plan.patrol_places import assign_places, forecast_places, history_window, place_columns
from tests.plan.conftest import CUT, CUT_WEEK, SHIFTS


def test_forecast_cells_plug_in(demo_police, planted_places) -> None:
    # a forecast as geo.forecast gives it: square cells with a risk; here 100 m cells over the planted places
    import shapely

    hist = point_reports(demo_police[demo_police["occurred_at"] < CUT])
    x0, y0, x1, y1 = planted_places.total_bounds
    xs, ys = np.meshgrid(np.arange(x0, x1, 100.0), np.arange(y0, y1, 100.0))
    boxes = shapely.box(xs.ravel(), ys.ravel(), xs.ravel() + 100, ys.ravel() + 100)
    cells = gpd.GeoDataFrame({"cell_id": np.arange(boxes.size)}, geometry=boxes, crs="EPSG:3006")
    counts = gpd.sjoin(hist[["geometry"]], cells, predicate="within").groupby("cell_id").size()
    cells["risk"] = cells["cell_id"].map(counts).fillna(0.0) / 52.0  # a naive weekly forecast
    places, total = forecast_places(cells, hist, top=15)
    assert len(places) == 15 and total == pytest.approx(cells["risk"].sum())
    assert sum(sum(json.loads(p)) for p in places["profile"]) == pytest.approx(
        cells["risk"].nlargest(15).sum(), rel=1e-4
    )
    p = plan_patrols(places, week=CUT_WEEK, shifts=SHIFTS, total=total)
    assert len(p.visits) > 0 and p.expected_share > p.naive_share
    # the riskiest cells lie in the planted hot-spots, and so do the visits
    centres = gpd.GeoSeries(shapely.centroid(places.geometry.to_numpy()), crs="EPSG:3006")
    inside = centres.apply(lambda c: bool(planted_places.buffer(100).contains(c).any()))
    visited = set(p.visits["place_id"])
    assert inside[places["place_id"].isin(visited).to_numpy()].mean() > 0.8


def test_history_window_ends_at_the_week_or_the_data(demo_police) -> None:
    start, end = history_window(demo_police, week_start=CUT, history_days=30)
    assert (start, end) == (CUT - pd.Timedelta(days=30), CUT)
    late = CUT + pd.Timedelta(days=400)
    _, end2 = history_window(demo_police, week_start=late, history_days=30)
    assert end2 == (demo_police["occurred_at"].max() + pd.Timedelta(days=1)).normalize()
    with pytest.raises(ValueError, match="history_days"):
        history_window(demo_police, week_start=CUT, history_days=0)


def test_first_place_wins_an_overlap_and_points_get_a_radius() -> None:
    places = gpd.GeoDataFrame(
        {"place_id": ["big", "small", "pt"]},
        geometry=[Point(0, 0).buffer(100), Point(0, 0).buffer(10), Point(1000, 0)],
        crs="EPSG:3006",
    )
    reports = Reports(
        gpd.GeoDataFrame(geometry=[Point(1, 1), Point(1050, 0), Point(500, 500)], crs="EPSG:3006")
    )
    assert list(assign_places(reports, places, point_radius_m=100.0)) == [0, 2, -1]
    assert place_columns(places) == ("place_id", "place_id")
    with pytest.raises(ValueError, match="id column"):
        place_columns(places.rename(columns={"place_id": "x"}))
