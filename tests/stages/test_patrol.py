"""The patrol stage: frames and settings in, the plan out; the week it picks; nothing to plan is a note."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from pydantic import ValidationError

from geo.model import Reports
from geo.plan.patrol import plan_patrols
from geo.stages.patrol import PatrolResult, PatrolSettings, patrol_stage, select_reports
from tests.plan.conftest import CUT_WEEK, planted_frame


@pytest.fixture(scope="module")
def places(demo_truth: dict):
    return planted_frame(demo_truth)


def test_frames_in_plan_out(demo_police: Reports, places) -> None:
    settings = PatrolSettings(week=CUT_WEEK, shifts=["15-23"], visits_per_shift=3)
    before_r, before_p = demo_police.copy(), places.copy()
    result = patrol_stage(demo_police, places, settings)
    assert isinstance(result, PatrolResult) and result.settings is settings
    assert result.places is places
    assert result.notes[:2] == [result.plan.gain_text(), result.plan.capacity_text()]
    assert result.notes[2:] == result.plan.free_text()
    assert result.chosen == {"travel": "fågelvägen: inga gator givna"}
    expected = plan_patrols(places, demo_police, week=CUT_WEEK, shifts=["15-23"], visits_per_shift=3)
    pd.testing.assert_frame_equal(result.plan.table(), expected.table())
    pd.testing.assert_frame_equal(result.plan.table(naive=True), expected.table(naive=True))
    assert result.plan.expected_share == expected.expected_share > result.plan.naive_share
    pd.testing.assert_frame_equal(pd.DataFrame(demo_police), pd.DataFrame(before_r))
    pd.testing.assert_frame_equal(pd.DataFrame(places), pd.DataFrame(before_p))


def test_week_defaults_to_the_week_after_today(demo_police: Reports, places) -> None:
    settings = PatrolSettings(shifts=["15-23"], visits_per_shift=1)
    result = patrol_stage(demo_police, places, settings, today=dt.date(2026, 9, 2))
    assert result.plan.week == CUT_WEEK
    assert result.chosen["week"] == f"{CUT_WEEK}: veckan efter 2026-09-02"


def test_sources_count_only_those_reports(demo_police: Reports, places) -> None:
    mixed = Reports(pd.concat([demo_police, demo_police.assign(source="resident")], ignore_index=True))
    only = PatrolSettings(week=CUT_WEEK, shifts=["15-23"], sources=["police"])
    assert len(select_reports(mixed, only)) == len(demo_police)
    assert len(select_reports(mixed, PatrolSettings())) == len(mixed)
    a = patrol_stage(mixed, places, only).plan
    b = patrol_stage(demo_police, places, only.model_copy(update={"sources": []})).plan
    assert a.n_history == b.n_history
    pd.testing.assert_frame_equal(a.table(), b.table())


def test_nothing_to_plan_is_a_note(demo_police: Reports, places) -> None:
    settings = PatrolSettings(week=CUT_WEEK, sources=["polis"])
    result = patrol_stage(demo_police, places, settings)
    assert len(result.plan.visits) == 0 and result.plan.expected_share == 0.0
    assert result.notes == [
        "inga rapporter från källorna polis (data har källorna police); ingen patrullplan"
    ]
    assert result.plan.notes == result.notes and result.plan.week == CUT_WEEK
    no_places = patrol_stage(demo_police, places.iloc[:0], PatrolSettings(week=CUT_WEEK))
    assert no_places.notes == ["inga platser (hot-spots) att planera för; ingen patrullplan"]
    english = patrol_stage(demo_police, places.iloc[:0], PatrolSettings(week=CUT_WEEK), lang="en")
    assert english.notes == ["no places (hot-spots) to plan for; no patrol plan"]
    assert len(no_places.plan.visits) == 0 and len(no_places.plan.routes) == 0


def test_reports_without_points_are_an_error(demo_police: Reports, places) -> None:
    coarse = Reports(demo_police.assign(location_precision="municipality"))
    with pytest.raises(ValueError, match="point position"):
        patrol_stage(coarse, places.iloc[:0], PatrolSettings(week=CUT_WEEK))


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"week": "2026-45"}, "week"),
        ({"week": "2025-W53"}, "week"),
        ({"shifts": ["15-27"]}, "shift"),
        ({"shifts": []}, "shifts"),
        ({"visit_min": 241}, "visit_min"),
        ({"speed_kmh": 0}, "speed_kmh"),
        ({"visits_per_shift": 0}, "visits_per_shift"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bad_settings(values: dict, field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        PatrolSettings(**values)


def test_notes_follow_the_run_language(demo_police: Reports, places) -> None:
    from tests.language import visible_words
    from tests.maps.test_summary import SV_MARKERS

    settings = PatrolSettings(week=CUT_WEEK, shifts=["15-23"], visits_per_shift=3)
    english = patrol_stage(demo_police, places, settings, lang="en")
    plan = english.plan
    assert english.notes == [plan.gain_text("en"), plan.capacity_text("en"), *plan.free_text("en")]
    assert english.notes[0].startswith("about ") and "possible visits planned" in english.notes[1]
    assert not set(visible_words(" ".join(english.notes))) & {*SV_MARKERS, "pass", "ungefär", "tröskeln"}
