"""Preparing and drawing the map: internal layers, the public version's aggregation, and the leak test."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point

from geo.maps import build_map, prepare_layers, render_html
from geo.maps.base import base_map
from geo.maps.layers import add_dark_places, add_enforcement, add_lamp_proposals, add_patrol, shifts_of
from geo.maps.privacy import leaked_coordinates, leaked_texts
from geo.model import point_reports


def _registered(html: str) -> list[str]:
    return re.findall(r'LB\.register\("(\w+)"', html)


def _wgs(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    w = frame.to_crs("EPSG:4326").geometry
    return w.y.to_numpy(), w.x.to_numpy()


# --------------------------------------------------------------------------------------- the leak checker


def test_leak_checker_finds_planted_positions_in_every_common_format():
    lat, lon = 57.183214, 14.047791
    for planted in (
        "57.1832, 14.0478",
        "[14.0478,57.1832]",
        "57.1832 14.0478",
        "lat 57.1832;14.0478",
        "POINT (14.0478 57.1832)",
        '"coordinates":[14.0478,57.1832]',
    ):
        html = f"<html><script>var x = {planted};</script></html>"
        assert leaked_coordinates(html, [lat], [lon]) == ["57.1832, 14.0478"], planted
    # more decimals is another number; neighbouring vertices are not a pair
    assert leaked_coordinates("[14.047812,57.183201]", [lat], [lon]) == []
    assert leaked_coordinates("[1.5,57.1832],[14.0478,2.5]", [lat], [lon]) == []
    # the trailing-zero form: a report at 57.1800 is written 57.18 by JSON
    assert leaked_coordinates("[14.05,57.18]", [57.18001], [14.04996]) == ["57.18, 14.05"]


def test_text_checker_finds_escaped_forms():
    html = 'x = "Man slagen \\u003cvid\\u003e kiosken"; <p>Rån &amp; hot mot butik</p>'
    assert leaked_texts(html, ["Man slagen <vid> kiosken", "Rån & hot mot butik", "Inte med här alls"]) == [
        "Man slagen <vid> kiosken",
        "Rån & hot mot butik",
    ]


# ------------------------------------------------------------------------------------------ public map


def _public_checks(html: str, reports: gpd.GeoDataFrame, k: int) -> None:
    lat, lon = _wgs(point_reports(reports))
    assert leaked_coordinates(html, lat, lon) == []
    texts = [d for d in reports["description"].dropna().astype(str)] if "description" in reports else []
    if "Adress" in reports.columns:
        texts += list(reports["Adress"].dropna().astype(str))
    assert leaked_texts(html, texts) == []
    for key in (
        '"report_id":',
        "member_ids",
        "occurred_at",
        '"lat":',
        '"lon":',
        '"description":',
        '"Adress":',
    ):
        assert key not in html
    assert set(_registered(html)) <= {"area", "grid", "hotspots"}


def _demo_html(reports: gpd.GeoDataFrame, hotspots: gpd.GeoDataFrame, **kwargs: object) -> str:
    """Render the demo world's map (marked as demo data, Värnamo title) as HTML."""
    return render_html(build_map(reports, hotspots=hotspots, demo=True, title="Lägesbild Värnamo", **kwargs))


def test_public_demo_map_leaks_nothing(demo_reports, demo_hotspots):
    html = _demo_html(demo_reports, demo_hotspots, public=True, k=5, tiles="none")
    _public_checks(html, demo_reports, 5)
    assert "syntetiska demodata" in html.lower() or "SYNTETISKA DEMODATA" in html
    # the descriptions really are in the internal map (the check above can fail)
    internal = render_html(build_map(demo_reports, hotspots=demo_hotspots, public=False, tiles="none"))
    assert leaked_texts(internal, demo_reports["description"].dropna().astype(str))
    assert "Beskrivning" not in html


def test_public_toronto_map_leaks_nothing(toronto, toronto_analysis):
    html = render_html(build_map(toronto, hotspots=toronto_analysis["hotspots"], public=True, k=5))
    _public_checks(html, toronto, 5)


def test_public_layers_suppress_small_counts_and_generalise_areas(demo_reports, demo_hotspots):
    k = 10
    layers = prepare_layers(demo_reports, hotspots=demo_hotspots, density=None, public=True, k=k)
    assert set(layers.frames) <= {"area", "grid", "hotspots"}
    grid = layers.frames["grid"]
    assert (grid["count"] >= k).all()
    assert list(grid.columns) == ["cell_id", "count", "geometry"]
    internal = prepare_layers(demo_reports, hotspots=demo_hotspots, public=False)
    assert len(internal.frames["grid"]) > len(grid)  # something was suppressed
    hs = layers.frames["hotspots"]
    assert (hs["n_reports"] >= k).all()
    assert "member_ids" not in hs.columns and "profile" not in hs.columns
    cell = layers.cell_m
    for geom, src in zip(
        hs.geometry, demo_hotspots.set_index("hotspot_id").loc[hs["hotspot_id"]].geometry, strict=True
    ):
        xy = shapely.get_coordinates(geom)
        assert np.allclose(xy / cell, np.round(xy / cell), atol=1e-6)  # lattice corners only
        assert geom.buffer(1e-6).covers(src)
    for mix in hs["category_mix"]:
        assert all(v >= k for v in json.loads(mix).values())
    for prof in hs["profile_3h"].dropna():
        vals = np.asarray(json.loads(prof))
        assert not ((vals > 0) & (vals < k)).any()


def test_public_label_drops_house_numbers_and_descriptions(demo_reports):
    hs = gpd.GeoDataFrame(
        {
            "hotspot_id": ["HS-0001", "HS-0002"],
            "label": ["Finkvägen 24, Värnamo", "Man slagen i ansiktet"],
            "n_reports": [20, 20],
            "share": [0.1, 0.1],
        },
        geometry=[Point(448_000, 6_340_000).buffer(80), Point(449_000, 6_341_000).buffer(80)],
        crs=demo_reports.crs,
    )
    layers = prepare_layers(demo_reports, hotspots=hs, public=True, k=5)
    labels = layers.frames["hotspots"]["label"]
    assert labels.iloc[0] == "Finkvägen, Värnamo" and pd.isna(labels.iloc[1])


# ---------------------------------------------------------------------------------------- internal map


def test_internal_map_has_every_analysis_layer(toronto, toronto_analysis):
    layers = prepare_layers(
        toronto, public=False, **{k: toronto_analysis[k] for k in ("hotspots", "density", "gistar")}
    )
    counts = layers.feature_counts()
    assert counts["hotspots"] == len(toronto_analysis["hotspots"])
    assert counts["points"] == 20_000
    gi = toronto_analysis["gistar"]
    n_sig = int((gi["class"] != "ns").sum())
    # thousands of significant cells are drawn merged, one shape per class
    assert counts["gistar"] == (n_sig if n_sig <= 5000 else gi.loc[gi["class"] != "ns", "class"].nunique())
    assert layers.frames["grid"]["count"].sum() == len(point_reports(toronto))
    assert "Toronto" not in layers.crs_name and "UTM zone 17N" in layers.crs_name
    assert layers.period == "2014-01-01 – 2017-12-31"


def test_footer_and_languages(demo_reports, demo_hotspots):
    sv = _demo_html(
        demo_reports, demo_hotspots, generated_at=pd.Timestamp("2026-11-25 10:00", tz="Europe/Stockholm")
    )
    assert "SYNTETISKA DEMODATA" in sv and "Analys-CRS" in sv and "SWEREF99 TM (EPSG:3006)" in sv
    assert "2026-11-25 10:00" in sv and "polisanmalningar.csv" in sv and "Period" in sv
    en = render_html(build_map(demo_reports, hotspots=demo_hotspots, demo=True, lang="en"))
    assert "SYNTHETIC DEMO DATA" in en and "Analysis CRS" in en and "Reports per cell" in en
    with pytest.raises(ValueError, match="lang"):
        build_map(demo_reports, lang="de")
    with pytest.raises(ValueError, match="k"):
        build_map(demo_reports, public=True, k=0)


def test_offline_page_has_no_external_script_or_style(demo_reports):
    html = render_html(build_map(demo_reports, tiles="none"))
    assert not re.search(r'<script[^>]+src=|<link[^>]+href=|@import|url\(\s*["\']?https?:', html)
    assert "L.tileLayer(" not in html  # --tiles none: no tile layer at all
    osm = render_html(build_map(demo_reports, tiles="osm"))
    assert osm.count("L.tileLayer(") == 3
    local = render_html(build_map(demo_reports, tiles="http://tiles.local/{z}/{x}/{y}.png"))
    assert local.count("L.tileLayer(") == 1 and "tiles.local" in local
    with pytest.raises(ValueError, match="tiles"):
        build_map(demo_reports, tiles="ftp://nope")


def test_descriptions_are_escaped_in_the_internal_map(demo_reports):
    evil = demo_reports.head(3).copy()
    evil["description"] = ["</script><script>alert(1)</script>", "<img src=x onerror=alert(2)>", "a & b"]
    html = render_html(build_map(evil, tiles="none"))
    assert "</script><script>alert(1)" not in html and "<img src=x" not in html


# ------------------------------------------------------------- lighting, speed and patrol layers (contracts)


@pytest.fixture()
def small_map():
    return base_map([[57.17, 14.03], [57.20, 14.07]], tiles="none")


def test_lamp_proposals_and_dark_places_tables(small_map):
    proposals = pd.DataFrame(
        {
            "rank": [1, 2],
            "lat": [57.1801, 57.1852],
            "lon": [14.0411, 14.0523],
            "street": ["Parkstigen", "Stationsstigen"],
            "covered_reports": [14, 9],
            "gain": [14.0, 9.0],
            "reason": ["14 mörka händelser inom 30 m", "9 rapporter"],
        }
    )
    places = pd.DataFrame(
        {
            "rank": [1],
            "lat": [57.18],
            "lon": [14.04],
            "length_m": [180.0],
            "score": [12.5],
            "dark_reports": [11],
        }
    )
    add_lamp_proposals(small_map, proposals)
    add_dark_places(small_map, places)
    html = render_html(small_map)
    assert _registered(html) == ["lamp_proposals", "dark_places"]
    assert "14 mörka händelser inom 30 m" in html and '"_n":2' in html
    with pytest.raises(ValueError, match="rank"):
        add_lamp_proposals(small_map, proposals.drop(columns=["rank"]))


def test_dark_places_as_lines(small_map):
    lines = gpd.GeoDataFrame(
        {
            "rank": [1, 2],
            "street": ["Parkstigen", "Lönngatan"],
            "length_m": [120.0, 90.0],
            "score": [3.0, 2.0],
            "dark_reports": [5, 3],
        },
        geometry=[
            LineString([(448000, 6340000), (448120, 6340000)]),
            LineString([(448500, 6340100), (448500, 6340190)]),
        ],
        crs="EPSG:3006",
    )
    add_dark_places(small_map, lines)
    html = render_html(small_map)
    assert '"type":"LineString"' in html and '"_n"' not in html


def test_enforcement_and_speed_segments(small_map):
    from geo.maps.layers import add_speed_segments

    plan = pd.DataFrame(
        {
            "rank": [1, 2],
            "segment_id": ["S0029", "S0132"],
            "street": ["Jönköpingsvägen", "Skolgatan"],
            "lat": [57.19, 57.18],
            "lon": [14.05, 14.04],
            "limit_kmh": [50, 30],
            "weekdays": ["fre–lör", "mån–fre"],
            "start": ["22:00", "07:00"],
            "end": ["02:00", "09:00"],
            "passes": [400, 300],
            "share_over_limit": [0.61, 0.4],
            "share_over_limit_10": [0.3, 0.1],
            "p85_kmh": [68.0, 41.0],
        }
    )
    segs = gpd.GeoDataFrame(
        {
            "segment_id": ["S0029", "S0001"],
            "limit_kmh": [50, 40],
            "share_over_limit": [0.61, np.nan],
            "p85_kmh": [68.0, np.nan],
        },
        geometry=[
            LineString([(448000, 6340000), (448300, 6340000)]),
            LineString([(448000, 6340100), (448300, 6340100)]),
        ],
        crs="EPSG:3006",
    )
    add_enforcement(small_map, plan)
    add_speed_segments(small_map, segs)
    html = render_html(small_map)
    assert "fre–lör 22:00–02:00" in html and "61.0 %" in html
    assert _registered(html) == ["enforcement", "speed"]


def test_patrol_visits_by_place_and_routes_by_shift(small_map):
    visits = pd.DataFrame(
        {
            "date": ["2026-11-06"] * 3 + ["2026-11-07"] * 2,
            "weekday": ["fredag"] * 3 + ["lördag"] * 2,
            "start": ["22:00", "22:30", "23:05", "22:00", "22:40"],
            "end": ["22:15", "22:45", "23:20", "22:15", "22:55"],
            "place_id": ["HS-0001", "HS-0002", "HS-0001", "HS-0001", "HS-0003"],
            "place": ["Storgatan", "Resecentrum", "Storgatan", "Storgatan", "Parken"],
            "lat": [57.183, 57.186, 57.183, 57.183, 57.178],
            "lon": [14.047, 14.041, 14.047, 14.047, 14.052],
            "order": [1, 2, 3, 1, 2],
            "expected_share": [0.01, 0.005, 0.008, 0.01, 0.004],
        }
    )
    assert shifts_of(visits).tolist() == [0, 0, 0, 1, 1]
    add_patrol(small_map, visits)
    html = render_html(small_map)
    data = json.loads(re.search(r"var layer = L\.geoJSON\((\{.*?\}), opts\);", html).group(1))
    kinds = [f["geometry"]["type"] for f in data["features"]]
    assert kinds.count("LineString") == 2 and kinds.count("Point") == 3
    storgatan = next(f for f in data["features"] if f["properties"].get("_n") == 3)
    assert (
        "fredag 2026-11-06" in storgatan["properties"]["_p"]
        and "23:05–23:20" in storgatan["properties"]["_p"]
    )


def test_police_feed_trend_panel(data_dir):
    from geo.io import read_reports
    from geo.maps import feed_trend

    feed = read_reports([data_dir / "polisen_events_varnamo.json"]).reports
    weekly = feed_trend(feed)
    assert weekly["count"].sum() == len(feed)
    t = feed["occurred_at"].dt.tz_localize(None)
    monday = (t.dt.normalize() - pd.to_timedelta(t.dt.day_of_week, unit="D")).max()
    last4 = int((t >= monday - pd.Timedelta(days=21)).sum())
    before = int(((t >= monday - pd.Timedelta(days=49)) & (t < monday - pd.Timedelta(days=21))).sum())
    html = render_html(build_map(feed, tiles="none"))
    assert f"Senaste 4 veckor: {last4} händelser ({last4 - before:+d} mot 4 veckor innan)" in html
    assert "grid" not in _registered(html)  # municipality-level positions never reach the grid
