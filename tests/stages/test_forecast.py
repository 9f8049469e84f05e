"""The forecast stage on real Toronto reports: frames in, result out, the same numbers as geo.forecast."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from pydantic import ValidationError

from geo.forecast import DEFAULT_METHOD, forecast_cells, forecast_points
from geo.model import Reports
from geo.stages.forecast import TABLE_COLUMNS, ForecastSettings, forecast_stage
from tests.forecast.conftest import TZ, downtown_of

AS_OF = pd.Timestamp("2016-06-06", tz=TZ)


@pytest.fixture(scope="module")
def downtown(toronto: Reports) -> Reports:
    """Toronto reports from 2015-2016 within 3 km of downtown."""
    return downtown_of(toronto)


def test_cells_best_first_as_forecast_cells(downtown: Reports) -> None:
    before = downtown.copy()
    settings = ForecastSettings(method="count_365", top=20)
    result = forecast_stage(downtown, settings, as_of=AS_OF)
    pd.testing.assert_frame_equal(downtown, before)  # input not modified
    assert list(result.table.columns) == list(TABLE_COLUMNS)
    assert result.table["rank"].is_monotonic_increasing
    assert result.method == "count_365" and result.as_of == AS_OF
    assert (result.table["as_of"] == AS_OF.isoformat()).all()
    assert (result.table["horizon_days"] == 7).all()
    expected = forecast_cells(downtown, as_of=AS_OF, method="count_365").set_index("cell_id")
    got = result.table.set_index("cell_id")
    assert len(got) == len(expected)
    np.testing.assert_array_equal(got["risk"], expected.loc[got.index, "risk"])
    np.testing.assert_array_equal(got["rank"], expected.loc[got.index, "rank"])
    assert result.table["lat"].between(43.6, 43.7).all() and result.table["lon"].between(-79.5, -79.3).all()
    # the map's cells: the best `top`, squares in the reports' CRS
    assert len(result.cells) == 20 and result.cells.crs == downtown.crs
    assert list(result.cells["cell_id"]) == list(result.table["cell_id"].head(20))
    assert (result.cells["method"] == "count_365").all()
    assert "method" not in result.chosen  # given, not chosen


def test_defaults_are_chosen_and_said(downtown: Reports) -> None:
    result = forecast_stage(downtown, ForecastSettings(method=None, top=5), lang="en")
    last = downtown["occurred_at"].max()
    assert result.as_of == (last + pd.Timedelta(days=1)).normalize()
    assert result.method == DEFAULT_METHOD
    assert result.chosen["method"].startswith(DEFAULT_METHOD)
    assert "midnight after the last report" in result.chosen["as_of"]
    assert not result.notes  # nothing at or after the moment


def test_later_reports_are_not_used_and_said(downtown: Reports) -> None:
    cut = Reports(downtown[downtown["occurred_at"] < AS_OF].reset_index(drop=True))
    settings = ForecastSettings(method="count_28")
    full = forecast_stage(downtown, settings, as_of="2016-06-06", lang="en")
    part = forecast_stage(cut, settings, as_of="2016-06-06")
    assert (
        part.table.set_index("cell_id")["risk"].to_dict() == full.table.set_index("cell_id")["risk"].to_dict()
    )
    assert any("not used" in note for note in full.notes)


def test_at_positions_as_forecast_points(downtown: Reports) -> None:
    x = np.array([630_379.5, 600_000.0])
    y = np.array([4_834_750.0, 4_800_000.0])
    settings = ForecastSettings(method="kde", cell_m=120, horizon_days=3)
    result = forecast_stage(downtown, settings, as_of=AS_OF, at=(x, y))
    expected = forecast_points(downtown, x, y, as_of=AS_OF, method="kde", cell_m=120, horizon_days=3)
    assert result.at_risk is not None
    np.testing.assert_array_equal(result.at_risk, expected)
    assert result.at_risk[0] > 0 and result.at_risk[1] == 0


def test_area_keeps_its_cells_ranked_among_themselves(downtown: Reports) -> None:
    area = shapely.box(629_000, 4_833_000, 631_000, 4_835_000)
    result = forecast_stage(downtown, ForecastSettings(method="count_365"), as_of=AS_OF, area=area)
    squares = shapely.box(
        result.table["x"] - 75, result.table["y"] - 75, result.table["x"] + 75, result.table["y"] + 75
    )
    assert shapely.intersects(squares, area).all()
    assert result.table["rank"].min() == 1
    assert len(result.table) < len(
        forecast_stage(downtown, ForecastSettings(method="count_365"), as_of=AS_OF).table
    )


def test_nothing_before_the_moment_is_a_note_not_an_error(downtown: Reports) -> None:
    result = forecast_stage(downtown, ForecastSettings(), as_of="2010-01-01", lang="en")
    assert result.table.empty and result.cells.empty
    assert list(result.table.columns) == list(TABLE_COLUMNS)
    assert "no point reports before" in result.notes[-1]
    empty = forecast_stage(Reports(downtown.iloc[:0]), ForecastSettings(), lang="en")
    assert empty.table.empty and "no reports" in empty.notes[-1]


def test_settings_check_the_method() -> None:
    with pytest.raises(ValidationError, match="unknown forecast method 'magic'"):
        ForecastSettings(method="magic")
    with pytest.raises(ValidationError):
        ForecastSettings(cell_m=0)


def test_notes_follow_the_run_language(downtown: Reports) -> None:
    from tests.language import visible_words
    from tests.maps.test_summary import SV_MARKERS

    said: list[str] = []
    english = [
        forecast_stage(
            downtown, ForecastSettings(method=None), as_of="2016-06-06", progress=said.append, lang="en"
        ),
        forecast_stage(downtown, ForecastSettings(), as_of="2010-01-01", lang="en"),
        forecast_stage(Reports(downtown.iloc[:0]), ForecastSettings(), lang="en"),
    ]
    texts = [*said, *(n for r in english for n in r.notes), *(c for r in english for c in r.chosen.values())]
    assert said == [f"Forecast ({DEFAULT_METHOD})"]
    assert "reports at or after the forecast moment are not used" in " ".join(texts)
    assert not set(visible_words(" ".join(texts))) & {*SV_MARKERS, "prognos", "före", "används"}
    swedish = forecast_stage(downtown, ForecastSettings(), as_of="2010-01-01")
    assert swedish.notes[-1].startswith("inga punktrapporter före")
