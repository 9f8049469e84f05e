"""The backtest stage on real Toronto reports: the same scores as geo.forecast.backtest, a note when empty."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from pydantic import ValidationError

from geo.forecast import backtest, events_from_reports
from geo.model import Reports
from geo.stages.backtest import BacktestSettings, backtest_stage
from tests.forecast.conftest import TZ, downtown_of

START = pd.Timestamp("2016-03-07", tz=TZ)


@pytest.fixture(scope="module")
def downtown(toronto: Reports) -> Reports:
    """Toronto reports from 2015-2016 within 3 km of downtown."""
    return downtown_of(toronto)


def test_scores_as_the_library(downtown: Reports) -> None:
    before = downtown.copy()
    settings = BacktestSettings(methods=["kde"], cell_m=200, active_days=180)
    messages: list[str] = []
    result = backtest_stage(downtown, settings, start="2016-03-07", weeks=2, progress=messages.append)
    pd.testing.assert_frame_equal(downtown, before)  # input not modified
    lib = backtest(
        events_from_reports(downtown), start=START, weeks=2, methods=["kde"], cell_m=200, active_days=180
    )
    pd.testing.assert_frame_equal(result.weeks.drop(columns="seconds"), lib.weeks.drop(columns="seconds"))
    pd.testing.assert_frame_equal(
        result.summary.drop(columns="seconds_per_week"), lib.summary.drop(columns="seconds_per_week")
    )
    assert result.recommended == lib.recommended and result.start == START
    assert set(result.summary["method"]) == {"count_28", "count_365", "count_all", "kde"}  # baselines added
    assert len(messages) == 2 * 4 and messages[-1].startswith("8/8 2016-03-14")
    assert result.chosen["recommended"].startswith(result.recommended)


def test_fixed_reference_period(downtown: Reports) -> None:
    settings = BacktestSettings(
        methods=["count_365"], active_from=dt.date(2015, 1, 1), active_to=dt.date(2015, 12, 31)
    )
    result = backtest_stage(downtown, settings, start=START, weeks=2)
    lib = backtest(
        events_from_reports(downtown),
        start=START,
        weeks=2,
        methods=["count_365"],
        active_from=pd.Timestamp("2015-01-01", tz=TZ),
        active_to=pd.Timestamp("2016-01-01", tz=TZ),
    )
    assert result.weeks["n_active"].nunique() == 1
    assert result.weeks["n_active"].tolist() == lib.weeks["n_active"].tolist()


def test_no_point_reports_is_a_note_not_an_error(downtown: Reports) -> None:
    result = backtest_stage(Reports(downtown.iloc[:0]), BacktestSettings(), start=START, weeks=1)
    assert result.summary.empty and result.weeks.empty and result.recommended == ""
    assert result.notes == ["inga punktrapporter att backtesta på"]


def test_notes_follow_the_run_language(downtown: Reports) -> None:
    from tests.language import visible_words
    from tests.maps.test_summary import SV_MARKERS

    empty = backtest_stage(Reports(downtown.iloc[:0]), BacktestSettings(), start=START, weeks=1, lang="en")
    assert empty.notes == ["no point reports to backtest on"]
    settings = BacktestSettings(methods=["count_28"], cell_m=200)
    ran = backtest_stage(downtown, settings, start=START, weeks=1, lang="en")
    reason = ran.chosen["recommended"]
    assert reason.startswith(f"{ran.recommended}: highest relative PAI") and reason.endswith("at 5%")
    words = visible_words(" ".join([*empty.notes, reason]))
    assert not set(words) & {*SV_MARKERS, "högst", "bland", "metoderna", "vid"}


def test_settings_are_checked() -> None:
    with pytest.raises(ValidationError, match="nope"):
        BacktestSettings(methods=["count_365", "nope"])
    with pytest.raises(ValidationError, match="both --active-from and --active-to"):
        BacktestSettings(active_from=dt.date(2015, 1, 1))
    with pytest.raises(ValidationError, match="must not be before"):
        BacktestSettings(active_from=dt.date(2015, 2, 1), active_to=dt.date(2015, 1, 1))
    assert BacktestSettings(active_from="2015-01-01", active_to="2015-01-01").active_to == dt.date(2015, 1, 1)
