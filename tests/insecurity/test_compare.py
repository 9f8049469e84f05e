"""compare_surfaces: planted places classed right, background stays neither, small counts are no finding."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from geo.insecurity import CLASSES, compare_surfaces, felt_reports, recorded_reports
from geo.insecurity.compare import OUTPUT_COLUMNS, poisson_test
from geo.model import Reports
from tests.insecurity.conftest import CELL_M, PLANTED, SMALL_CELL, X0, Y0, cell_id, planted_reports

FELT = ("resident", "safety_walk", "partner")


def _compare(reports: Reports, **kwargs: object) -> gpd.GeoDataFrame:
    felt = felt_reports(reports, sources=FELT)
    recorded = recorded_reports(reports, sources=("police",))
    return compare_surfaces(felt, recorded, **{"cell_m": CELL_M, **kwargs})  # type: ignore[arg-type]


def test_each_planted_place_is_classed_right(planted: Reports) -> None:
    cells = _compare(planted).set_index("cell_id")
    for cls, cell in PLANTED.items():
        assert cells.loc[cell_id(*cell), "class"] == cls, cells.loc[cell_id(*cell)]


@pytest.mark.parametrize("seed", [17, 18, 19, 20])
def test_background_stays_neither_false_findings_bounded(seed: int) -> None:
    cells = _compare(planted_reports(seed)).set_index("cell_id")
    planted_ids = {cell_id(*c) for c in PLANTED.values()}
    background = cells.drop(index=[i for i in planted_ids if i in cells.index])
    false = int((background["class"] != "neither").sum())
    # 397 background cells at a false discovery rate of 5 %: at most a couple may be flagged by chance
    assert false <= 2, background[background["class"] != "neither"]
    assert len(background) >= 390


def test_small_count_cell_is_not_a_finding(planted: Reports) -> None:
    cells = _compare(planted).set_index("cell_id")
    small = cells.loc[cell_id(*SMALL_CELL)]
    assert small["felt"] >= 3
    assert small["felt_p_raw"] < 0.5  # more than expected ...
    assert small["class"] == "neither"  # ... but not a finding


def test_two_reports_where_almost_none_are_expected_are_not_a_finding() -> None:
    p, q = poisson_test(np.array([2, 0, 0, 0]), np.array([0.01, 0.01, 0.01, 0.01]))
    assert p[0] < 0.001  # the test alone would flag it; min_count does not
    felt = planted_reports(5, felt_bg=10, recorded_bg=10)
    cells = _compare(felt)
    two = cells[(cells["felt"] == 2) & (cells["felt_p"] < 0.05)]
    assert (two["class"] == "neither").all()


def test_columns_evidence_and_sentences(planted: Reports) -> None:
    cells = _compare(planted)
    assert list(cells.columns) == ["cell_id", *OUTPUT_COLUMNS, "geometry"]
    assert set(cells["class"]) <= set(CLASSES)
    assert cells["felt"].sum() == len(felt_reports(planted, sources=FELT))
    assert np.isclose(cells["felt_expected"].sum(), cells["felt"].sum())
    assert np.isclose(cells["recorded_expected"].sum(), cells["recorded"].sum())
    assert (cells["felt_p"] >= cells["felt_p_raw"] - 1e-12).all()  # BH never lowers a p-value
    row = cells.set_index("cell_id").loc[cell_id(*PLANTED["felt_not_recorded"])]
    assert row["sentence"].startswith("Upplevd otrygghet utan anmälda brott: belysning, insyn, skötsel")
    assert "trygghetsvandring" in row["sentence"]
    assert f"{int(row['felt'])} otrygghetsrapporter" in row["sentence"]
    assert row["sentence_en"].startswith("Felt insecurity without recorded crime")
    assert 57.0 < row["lat"] < 57.4 and 13.8 < row["lon"] < 14.3
    assert cells.crs.to_epsg() == 3006


def test_partner_reports_count_only_about_unsafe_places(planted: Reports) -> None:
    felt = felt_reports(planted, sources=FELT)
    partner = felt[felt["source"] == "partner"]
    assert len(partner) == 10 and set(partner["category"]) == {"otrygg passage"}
    traffic = planted.copy()
    traffic.loc[traffic.index[:5], ["source", "category"]] = ["resident", "hög hastighet"]
    assert "hög hastighet" not in set(felt_reports(Reports(traffic), sources=FELT)["category"])


def test_input_not_modified(planted: Reports) -> None:
    before = planted.copy()
    _compare(planted)
    assert before.equals(planted)


def test_study_area_clips_cells_and_drops_outside(planted: Reports) -> None:
    area = box(X0, Y0, X0 + 10 * CELL_M + 100, Y0 + 20 * CELL_M)
    cells = _compare(planted, area=area)
    assert cells.attrs["outside"]["recorded"] > 0
    assert cells.geometry.within(area.buffer(1e-6)).all()
    assert cells["exposure"].min() < CELL_M**2 - 1


def test_user_areas_every_area_a_row(planted: Reports) -> None:
    areas = gpd.GeoDataFrame(
        {"deso": ["A", "B", "C"]},
        geometry=[
            box(X0, Y0, X0 + 2500, Y0 + 5000),
            box(X0 + 2500, Y0, X0 + 5000, Y0 + 5000),
            box(X0 + 9000, Y0, X0 + 9500, Y0 + 500),  # no reports
        ],
        crs="EPSG:3006",
    )
    out = _compare(planted, areas=areas)
    assert list(out["area_id"]) == ["A", "B", "C"]
    assert out.loc[2, "felt"] == 0 and out.loc[2, "class"] == "neither"
    assert out["felt"].sum() == len(felt_reports(planted, sources=FELT))


def test_user_areas_population_is_the_exposure(planted: Reports) -> None:
    areas = gpd.GeoDataFrame(
        {"area_id": ["A", "B"], "population": [100, 300]},
        geometry=[box(X0, Y0, X0 + 2500, Y0 + 5000), box(X0 + 2500, Y0, X0 + 5000, Y0 + 5000)],
        crs="EPSG:3006",
    )
    out = _compare(planted, areas=areas)
    assert out.attrs["exposure"] == "population"
    assert np.isclose(out.loc[1, "felt_expected"], 3 * out.loc[0, "felt_expected"])


def test_empty_input_gives_no_cells() -> None:
    empty = planted_reports().iloc[:0]
    out = _compare(Reports(empty))
    assert len(out) == 0 and list(out.columns) == ["cell_id", *OUTPUT_COLUMNS, "geometry"]


@pytest.mark.parametrize(("kwargs", "match"), [({"alpha": 0}, "alpha"), ({"min_count": 0}, "min_count")])
def test_bad_arguments(planted: Reports, kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        _compare(planted, **kwargs)
