"""The internal map opens on the reports' dense core, has a metric scale only, an offline street base map
from the run's streets, states the point cap in the legend and filters the points by category and week."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.maps import draw_map, prepare_layers, render_html, view_bounds
from geo.maps.layers.streets import street_lines
from geo.stages.maps import MapInputs


def _unescaped(html: str) -> str:
    """The page with the legends' HTML as written (the page keeps it as escaped JSON in a script)."""
    return html.replace("\\u003c", "<").replace("\\u003e", ">").replace('\\"', '"').replace("\\u0026", "&")


def _span_km(bounds: list[list[float]]) -> tuple[float, float]:
    (s, w), (n, e) = bounds
    lat = (s + n) / 2
    return (n - s) * 111.2, (e - w) * 111.2 * np.cos(np.radians(lat))


def test_the_map_opens_on_the_dense_core_not_the_whole_municipality(
    demo_reports: gpd.GeoDataFrame, demo_inputs: MapInputs
) -> None:
    layers = prepare_layers(demo_reports, demo_inputs)
    core = view_bounds(layers)
    whole = view_bounds(layers, core=1.0)
    assert core is not None and whole is not None
    ch, cw = _span_km(core)
    wh, ww = _span_km(whole)
    assert ch * cw < 0.25 * wh * ww, (core, whole)  # the town, not the municipality
    # every hot-spot is in the opening view
    hs = layers.frames["hotspots"].to_crs(4326).total_bounds
    (s, w), (n, e) = core
    assert s <= hs[1] and w <= hs[0] and n >= hs[3] and e >= hs[2]


def test_metric_scale_only(demo_reports: gpd.GeoDataFrame) -> None:
    html = render_html(draw_map(prepare_layers(demo_reports)))
    assert "L.control.scale({metric: true, imperial: false" in html
    assert "L.control.scale()" not in html


def test_offline_street_base_from_the_run_streets(
    demo_reports: gpd.GeoDataFrame, demo_streets: gpd.GeoDataFrame
) -> None:
    inputs = MapInputs()
    inputs.set("streets", demo_streets, "layers.streets")
    html = render_html(draw_map(prepare_layers(demo_reports, inputs), tiles="osm"))
    assert re.search(
        r'LB\.base\("Gator \(offline\)", L\.layerGroup\(\[layer, top\]\), false, .offline.\)', html
    )
    named = sorted(set(demo_streets["name"].dropna()))
    assert named and all(f'"n":"{n}"' in html for n in named[:5])
    # with --tiles none the streets are the opening base map
    html_none = render_html(draw_map(prepare_layers(demo_reports, inputs), tiles="none"))
    assert 'L.layerGroup([layer, top]), true, "offline"' in html_none.replace("'", '"')
    en = render_html(draw_map(prepare_layers(demo_reports, inputs), lang="en"))
    assert '"Streets (offline)"' in en


def test_street_lines_are_simplified_and_weighted(demo_streets: gpd.GeoDataFrame) -> None:
    lines = street_lines(demo_streets)
    assert len(lines) == len(demo_streets[demo_streets.geom_type.str.contains("LineString")])
    assert set(lines["w"]) <= {1, 2, 3, 4, 5}
    assert lines.crs.is_projected


def test_the_point_cap_is_stated_in_the_legend(demo_reports: gpd.GeoDataFrame) -> None:
    layers = prepare_layers(demo_reports, max_points=1_000)
    html = render_html(draw_map(layers))
    total = layers.n_reports
    assert total > 1_000
    assert f"de senaste 1\xa0000 av {total:,}".replace(",", "\xa0") in html  # Swedish thousands (Babel)
    english = render_html(draw_map(layers, lang="en"))
    assert f"the latest 1,000 of {total:,}" in english


def test_points_can_be_filtered_by_category_and_week(demo_reports: gpd.GeoDataFrame) -> None:
    layers = prepare_layers(demo_reports, max_points=2_000)
    html = _unescaped(render_html(draw_map(layers)))
    assert 'class="lb-f-cat"' in html and 'class="lb-f-week"' in html
    points = layers.frames["points"]
    for category in pd.unique(points["category"].astype(str))[:3]:
        assert f">{category}</option>" in html
    iso = points["occurred_at"].dt.isocalendar()
    latest = iso.sort_values(["year", "week"]).iloc[-1]
    assert f"v. {int(latest['week'])} ({int(latest['year'])})" in html
    assert "LB.filterPoints = function (c, w)" in html
