"""The summary section and the map layer of the insecurity comparison, in Swedish and English."""

from __future__ import annotations

from types import SimpleNamespace

import geopandas as gpd
import pytest
from shapely.geometry import LineString, box

from geo.maps.insecurity_summary import insecurity_context, walk_suggestions
from geo.maps.layers.insecurity import public_insecurity
from geo.model import Reports
from geo.stages.insecurity import insecurity_stage
from geo.templating import render
from tests.insecurity.conftest import CELL_M, PLANTED, X0, Y0, planted_reports


def insecurity_section(cells: gpd.GeoDataFrame, *, lang: str, top: int) -> str:
    """Render the summary page's section on its own, as the page includes it."""
    layers = SimpleNamespace(frames={"insecurity": cells})
    return render("summary/insecurity.html", lang, section=insecurity_context(layers, lang=lang, top=top))


@pytest.fixture(scope="module")
def cells() -> gpd.GeoDataFrame:
    street = gpd.GeoDataFrame(
        {"name": ["Mörka gången"]},
        geometry=[LineString([(X0, Y0 + 15.5 * CELL_M), (X0 + 5000, Y0 + 15.5 * CELL_M)])],
        crs="EPSG:3006",
    )
    halves = [box(X0, Y0, X0 + 2500, Y0 + 5000), box(X0 + 2500, Y0, X0 + 5000, Y0 + 5000)]
    survey = gpd.GeoDataFrame(
        {"name": ["Väst", "Öst"], "share_unsafe": [0.3, 0.5], "n_respondents": [150, 9]},
        geometry=halves,
        crs="EPSG:3006",
    )
    reports: Reports = planted_reports()
    return insecurity_stage(reports, streets=street, survey=survey).cells


def test_walks_listed_by_street(cells: gpd.GeoDataFrame) -> None:
    walks = walk_suggestions(cells)
    assert walks.loc[0, "place"] == "Mörka gången"
    html = insecurity_section(cells, lang="sv", top=8)
    assert "<h2" in html and "Otrygghet och brott" in html
    assert "Förslag till trygghetsvandring" in html and "Mörka gången" in html
    assert "Trygghetsmätningen: 2 områden, 1 med färre än 30 svarande" in html
    assert "både upplevd otrygghet och anmälda brott" in html


def test_english(cells: gpd.GeoDataFrame) -> None:
    html = insecurity_section(cells, lang="en", top=8)
    assert "Felt insecurity and crime" in html and "Suggested safety walks" in html


def test_no_walks_said(cells: gpd.GeoDataFrame) -> None:
    html = insecurity_section(cells[cells["class"] != "felt_not_recorded"], lang="sv", top=8)
    assert "Inga platser med upplevd otrygghet utan anmälda brott" in html


def test_public_version_hides_small_counts(cells: gpd.GeoDataFrame) -> None:
    public = public_insecurity(cells, k=5)
    assert set(PLANTED) <= set(public["class"])
    assert not {"felt", "recorded", "felt_p", "sentence"} & set(public.columns)
    small = public_insecurity(cells, k=10_000)
    assert len(small) == 0  # nothing reaches k
    for col in ("felt_text", "recorded_text"):
        assert public[col].map(lambda v: v == "< 5" or int(v) >= 5).all()
    low = public_insecurity(cells.assign(recorded=cells["recorded"].clip(upper=2)), k=5)
    assert (low.loc[low["class"] == "felt_not_recorded", "recorded_text"] == "< 5").all()
