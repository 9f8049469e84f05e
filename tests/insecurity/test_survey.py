"""The survey beside the surfaces: every area kept, small samples flagged, figures joined to the cells."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from geo.insecurity import compare_surfaces, felt_reports, join_survey, recorded_reports
from geo.insecurity.survey import survey_table, wilson_interval
from geo.model import Reports
from tests.insecurity.conftest import CELL_M, PLANTED, X0, Y0, cell_id


def _survey(**columns: list[float]) -> gpd.GeoDataFrame:
    data = {"namn": ["Väst", "Öst"], "share_unsafe": [0.4, 0.2], "n_respondents": [200, 12], **columns}
    geoms = [box(X0, Y0, X0 + 2500, Y0 + 5000), box(X0 + 2500, Y0, X0 + 5000, Y0 + 5000)]
    return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:3006")


def test_small_samples_flagged_not_hidden() -> None:
    table = survey_table(_survey(), min_respondents=30)
    assert list(table["survey_id"]) == ["Väst", "Öst"]
    assert list(table["small_sample"]) == [False, True]
    assert (table["ci_high"] - table["ci_low"]).iloc[1] > (table["ci_high"] - table["ci_low"]).iloc[0]
    assert not table["above_average"].any()  # 40 % of 200 is not clearly above the 39 % overall


def test_above_average_needs_the_whole_interval_above() -> None:
    table = survey_table(_survey(n_respondents=[200, 200]))
    assert list(table["above_average"]) == [True, False]


def test_percentages_are_read_as_shares() -> None:
    table = survey_table(_survey(share_unsafe=[40, 20]))
    assert np.allclose(table["share_unsafe"], [0.4, 0.2])


@pytest.mark.parametrize(
    ("columns", "match"),
    [({"share_unsafe": [150, 20]}, "percentage"), ({"n_respondents": [-1, 5]}, "negative")],
)
def test_bad_survey_named(columns: dict[str, list[float]], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        survey_table(_survey(**columns))


def test_missing_column_named() -> None:
    with pytest.raises(ValueError, match="n_respondents"):
        survey_table(_survey().drop(columns="n_respondents"))


def test_wilson_interval_holds_the_share() -> None:
    low, high = wilson_interval(np.array([0.3, 0.0]), np.array([100, 10]))
    assert low[0] < 0.3 < high[0] and low[1] == 0.0 and high[1] > 0.2


def test_cells_get_their_survey_area(planted: Reports) -> None:
    felt = felt_reports(planted, sources=("resident", "safety_walk", "partner"))
    cells = compare_surfaces(felt, recorded_reports(planted, sources=("police",)), cell_m=CELL_M)
    joined, table = join_survey(cells, _survey(), min_respondents=30)
    row = joined.set_index("cell_id").loc[cell_id(*PLANTED["recorded_not_felt"])]  # east half
    assert row["survey_id"] == "Öst" and bool(row["survey_small_sample"])
    assert "trygghetsmätningen: 20 % känner sig otrygga (n = 12, litet urval" in row["sentence"]
    assert "small sample" in row["sentence_en"]
    assert table["felt"].sum() == joined["felt"].sum()
    assert len(joined) == len(cells) and "survey_id" not in cells.columns  # input not modified
