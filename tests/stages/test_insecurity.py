"""The insecurity stage: settings in, classes with evidence, notes, survey and street names out."""

from __future__ import annotations

import geopandas as gpd
import pytest
from pydantic import ValidationError
from shapely.geometry import LineString, box

from geo.model import Reports
from geo.stages.insecurity import InsecurityResult, InsecuritySettings, insecurity_stage
from tests.insecurity.conftest import CELL_M, PLANTED, X0, Y0, cell_id, planted_reports


@pytest.fixture(scope="module")
def planted() -> Reports:
    return planted_reports()


def test_stage_classes_the_planted_places(planted: Reports) -> None:
    res = insecurity_stage(planted, InsecuritySettings(cell_m=CELL_M))
    assert isinstance(res, InsecurityResult)
    cells = res.cells.set_index("cell_id")
    for cls, cell in PLANTED.items():
        assert cells.loc[cell_id(*cell), "class"] == cls
    counts = res.class_counts()
    assert counts["felt_not_recorded"] >= 1 and counts["both"] >= 1 and counts["recorded_not_felt"] >= 1
    assert sum(counts.values()) == len(res.cells)
    assert "Benjamini–Hochberg" in res.chosen["test"] and "Poisson" in res.chosen["test"]
    walks = res.walk_places()
    assert cell_id(*PLANTED["felt_not_recorded"]) in set(walks["cell_id"])
    assert set(walks["class"]) == {"felt_not_recorded"}


def test_settings_by_keyword_and_defaults(planted: Reports) -> None:
    res = insecurity_stage(planted, settings=InsecuritySettings())
    assert res.settings.cell_m == 250.0
    assert res.settings.felt_sources == ["resident", "safety_walk", "partner"]
    assert res.settings.recorded_sources == ["police"]
    with pytest.raises(ValidationError):
        InsecuritySettings(alpha=1.5)
    with pytest.raises(ValidationError):
        InsecuritySettings(cell_size=10)  # type: ignore[call-arg]


def test_missing_kind_is_said(planted: Reports) -> None:
    only_police = Reports(planted[planted["source"] == "police"].reset_index(drop=True))
    res = insecurity_stage(only_police)
    assert res.n_felt == 0 and res.n_recorded > 0
    assert any("inga rapporter om upplevd otrygghet" in n for n in res.notes)
    assert set(res.cells["class"]) <= {"neither", "recorded_not_felt"}


def test_areas_streets_and_survey(planted: Reports) -> None:
    halves = [box(X0, Y0, X0 + 2500, Y0 + 5000), box(X0 + 2500, Y0, X0 + 5000, Y0 + 5000)]
    areas = gpd.GeoDataFrame({"name": ["Väst", "Öst"]}, geometry=halves, crs="EPSG:3006")
    survey = areas.assign(share_unsafe=[0.3, 0.5], n_respondents=[150, 9])
    res = insecurity_stage(planted, areas=areas, survey=survey)
    assert res.id_column == "area_id" and list(res.cells["area_id"]) == ["Väst", "Öst"]
    assert res.survey is not None and list(res.survey["small_sample"]) == [False, True]
    assert any("litet urval" in n for n in res.notes)
    street = gpd.GeoDataFrame(
        {"name": ["Mörka gången"]},
        geometry=[LineString([(X0, Y0 + 15.5 * CELL_M), (X0 + 5000, Y0 + 15.5 * CELL_M)])],
        crs="EPSG:3006",
    )
    res = insecurity_stage(planted, streets=street)
    row = res.cells.set_index("cell_id").loc[cell_id(*PLANTED["felt_not_recorded"])]
    assert row["place"] == "Mörka gången"


def test_notes_follow_the_run_language(planted: Reports) -> None:
    from tests.language import visible_words
    from tests.maps.test_summary import SV_MARKERS

    halves = [box(X0, Y0, X0 + 2500, Y0 + 5000), box(X0 + 2500, Y0, X0 + 5000, Y0 + 5000)]
    areas = gpd.GeoDataFrame({"name": ["Väst", "Öst"]}, geometry=halves, crs="EPSG:3006")
    survey = areas.assign(share_unsafe=[0.3, 0.5], n_respondents=[150, 9])
    only_police = Reports(planted[planted["source"] == "police"].reset_index(drop=True))
    said: list[str] = []
    runs = [
        insecurity_stage(planted, InsecuritySettings(cell_m=CELL_M), progress=said.append, lang="en"),
        insecurity_stage(planted, areas=areas, survey=survey, lang="en"),
        insecurity_stage(only_police, lang="en"),
    ]
    assert said == ["Felt insecurity and crime"]
    assert runs[1].chosen["units"] == "2 areas"
    assert "1 of 2 areas have fewer than 30 respondents" in runs[1].notes[0]
    assert (
        runs[2].notes[-1].startswith("no reports of felt insecurity (sources resident, safety_walk, partner")
    )
    texts = [*said, *(n for r in runs for n in r.notes), *(c for r in runs for c in r.chosen.values())]
    banned = {*SV_MARKERS, "rutor", "områden", "områdena", "brott", "anmälda", "upplevd", "svarande", "minst"}
    assert not set(visible_words(" ".join(texts))) & banned
