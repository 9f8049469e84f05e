"""Drawing the map (geo.maps.draw): public map leaks nothing; footer, languages, offline page, escaping."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest

from geo.maps import build_map, render_html
from geo.maps.privacy import leaked_texts
from geo.stages.maps import MapInputs
from tests.maps._helpers import public_checks


def _demo_html(reports: gpd.GeoDataFrame, hotspots: gpd.GeoDataFrame, **kwargs: object) -> str:
    """Render the demo world's map (marked as demo data, Värnamo title) as HTML."""
    inputs = MapInputs(hotspots=hotspots)
    return render_html(build_map(reports, inputs, demo=True, title="Lägesbild Värnamo", **kwargs))


def test_public_demo_map_leaks_nothing(demo_reports, demo_hotspots):
    html = _demo_html(demo_reports, demo_hotspots, public=True, k=5, tiles="none")
    public_checks(html, demo_reports, 5)
    assert "syntetiska demodata" in html.lower() or "SYNTETISKA DEMODATA" in html
    # the descriptions really are in the internal map (the check above can fail)
    internal = render_html(
        build_map(demo_reports, MapInputs(hotspots=demo_hotspots), public=False, tiles="none")
    )
    assert leaked_texts(internal, demo_reports["description"].dropna().astype(str))
    assert "Beskrivning" not in html


def test_public_toronto_map_leaks_nothing(toronto, toronto_analysis):
    html = render_html(build_map(toronto, MapInputs(hotspots=toronto_analysis.hotspots), public=True, k=5))
    public_checks(html, toronto, 5)


def test_footer_and_languages(demo_reports, demo_hotspots):
    sv = _demo_html(
        demo_reports, demo_hotspots, generated_at=pd.Timestamp("2026-11-25 10:00", tz="Europe/Stockholm")
    )
    assert "SYNTETISKA DEMODATA" in sv and "Analys-CRS" in sv and "SWEREF99 TM (EPSG:3006)" in sv
    assert "2026-11-25 10:00" in sv and "polisanmalningar.csv" in sv and "Period" in sv
    en = render_html(build_map(demo_reports, MapInputs(hotspots=demo_hotspots), demo=True, lang="en"))
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
