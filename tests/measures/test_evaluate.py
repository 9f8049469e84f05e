"""Planted effects are found: a decrease, no effect under a town-wide trend, displacement vs diffusion."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.measures.evaluate import CONTRACT_COLUMNS, Rules, evaluate_measures
from geo.measures.synth import PlantedPlace, make_reports, planted_reports
from tests.measures._helpers import measures_for

A = PlantedPlace(440_000, 6_340_000, 150, per_day=1.0, start="2025-01-01", effect=-0.5)
B = PlantedPlace(444_000, 6_344_000, 150, per_day=1.0, start="2025-01-01", effect=0.0)


def test_a_real_decrease_is_found_with_an_interval_excluding_zero():
    reports = planted_reports([A, B], seed=1)
    before = reports.copy()
    out = evaluate_measures(reports, measures_for([A, B]))
    assert list(out.columns[: len(CONTRACT_COLUMNS)]) == list(CONTRACT_COLUMNS)
    a, b = out.iloc[0], out.iloc[1]
    assert a["verdict"] == "decrease"
    assert a["ci_high"] < 0 and a["ci_low"] < a["effect_pct"] < a["ci_high"]
    assert a["effect_pct"] == pytest.approx(-50, abs=10)
    assert a["wdd"] < 0 and a["wdd"] + 1.96 * a["wdd_se"] < 0
    assert a["before_start"] == "2024-01-02" and a["after_end"] == "2025-12-31"
    assert a["days"] == 365
    assert b["verdict"] == "no_clear_effect"
    assert "minskade" in a["note"]
    pd.testing.assert_frame_equal(reports, before)


def test_no_effect_under_a_town_wide_trend():
    # the whole town falls by 40 % from the measure's start; the place falls with it, not because of it
    reports = planted_reports([B], trend=0.6, trend_start="2025-01-01", seed=2)
    row = evaluate_measures(reports, measures_for([B])).iloc[0]
    assert row["treated_after"] < 0.8 * row["treated_before"]  # a naive before/after sees a fall
    assert row["verdict"] == "no_clear_effect"
    assert row["ci_low"] < 0 < row["ci_high"]


@pytest.mark.parametrize(
    ("ring_effect", "expected", "wdq_sign"), [(0.6, "displacement", -1), (-0.5, "diffusion", 1)]
)
def test_displacement_and_diffusion_are_told_apart(ring_effect, expected, wdq_sign):
    place = PlantedPlace(
        440_000,
        6_340_000,
        150,
        per_day=1.5,
        start="2025-01-01",
        effect=-0.6,
        ring_per_day=1.5,
        ring_effect=ring_effect,
    )
    reports = planted_reports([place], seed=3)
    row = evaluate_measures(reports, measures_for([place]), Rules(buffer_m=200)).iloc[0]
    assert row["verdict"] == "decrease"
    assert row["buffer_verdict"] == expected
    assert np.sign(row["wdq"]) == wdq_sign


def test_no_buffer_change_is_none():
    place = PlantedPlace(
        440_000, 6_340_000, 150, per_day=1.5, start="2025-01-01", effect=-0.6, ring_per_day=1.5
    )
    row = evaluate_measures(planted_reports([place], seed=4), measures_for([place])).iloc[0]
    assert (row["verdict"], row["buffer_verdict"]) == ("decrease", "none")


def test_a_measure_started_two_weeks_before_the_data_ends_is_too_early():
    late = PlantedPlace(440_000, 6_340_000, 150, per_day=3.0, start="2025-12-18", effect=-0.9)
    row = evaluate_measures(planted_reports([late], seed=5), measures_for([late])).iloc[0]
    assert row["verdict"] == "too_early"
    assert row["buffer_verdict"] == "unclear"
    assert "14 dagar" in row["note"]


def test_a_handful_of_reports_is_too_early():
    quiet = PlantedPlace(440_000, 6_340_000, 30, per_day=0.005, start="2025-01-01", effect=-1.0)
    row = evaluate_measures(planted_reports([quiet], seed=6), measures_for([quiet])).iloc[0]
    assert row["verdict"] == "too_early"
    assert "för få rapporter" in row["note"]


def test_windows_are_equal_and_shortened_to_the_data():
    place = PlantedPlace(440_000, 6_340_000, 150, per_day=2.0, start="2025-10-01")
    row = evaluate_measures(planted_reports([place], seed=7), measures_for([place])).iloc[0]
    assert row["days"] == 92  # 2025-10-01 .. 2025-12-31
    assert (row["before_start"], row["before_end"]) == ("2025-07-01", "2025-09-30")
    assert (row["after_start"], row["after_end"]) == ("2025-10-01", "2025-12-31")


def test_lighting_counts_only_darkness_and_a_patrol_only_its_hours():
    t = pd.date_range("2024-01-01", periods=24 * 730, freq="h", tz="Europe/Stockholm")
    x = np.full(len(t), 440_000.0)
    y = np.full(len(t), 6_340_000.0)
    dark = np.isin(t.hour, [0, 1, 2, 3, 22, 23])
    reports = make_reports(
        np.r_[x, 445_000.0], np.r_[y, 6_345_000.0], t.append(t[:1]), is_dark=np.r_[dark, False]
    )
    place = PlantedPlace(440_000, 6_340_000, 100, per_day=0, start="2025-01-01")
    lamp = evaluate_measures(reports, measures_for([place], kind="belysning"), Rules(min_expected=0)).iloc[0]
    assert lamp["treated_before"] == lamp["days"] * 6
    assert lamp["counted"] == "rapporter i mörker"
    patrol = measures_for([place], kind="patrull", hours="fre-lör 22-03")
    row = evaluate_measures(reports, patrol, Rules(min_expected=0)).iloc[0]
    # 52 weeks + 1 day before 2025-01-01 (2024 is a leap year: 366 days = 52 Fri + 52 Sat), 5 h a shift
    fridays = int(((t < pd.Timestamp("2025-01-01", tz="Europe/Stockholm")) & (t.day_of_week == 4)).sum() / 24)
    saturdays = int(
        ((t < pd.Timestamp("2025-01-01", tz="Europe/Stockholm")) & (t.day_of_week == 5)).sum() / 24
    )
    assert row["treated_before"] == pytest.approx(5 * (fridays + saturdays), abs=5)


def test_stage_notes_follow_the_run_language():
    from geo.model import Reports
    from geo.stages.evaluate import EvaluateSettings, evaluate_stage
    from tests.language import visible_words
    from tests.maps.test_summary import SV_MARKERS

    reports = planted_reports([A, B], seed=1)
    reports = Reports(reports.assign(source=np.where(np.arange(len(reports)) % 5 == 0, "resident", "police")))
    measures = measures_for([A, B], status="föreslagen")
    said: list[str] = []
    english = evaluate_stage(reports, measures, EvaluateSettings(), progress=said.append, lang="en")
    assert said == ["Evaluating measures"]
    assert english.notes == [
        "2 measures are not evaluated as their status is not pågår, genomförd, avbruten",
        "no measures to evaluate",
    ]
    insecure = int((reports["source"] == "resident").sum())
    assert english.chosen["reports"].endswith(f"the insecurity reports ({insecure:,}) are evaluated apart")
    texts = [*said, *english.notes, *english.chosen.values()]
    banned = {*SV_MARKERS, "åtgärder", "utvärderas", "utom", "för", "sig"}
    assert not set(visible_words(" ".join(texts))) & banned
    swedish = evaluate_stage(reports, measures, EvaluateSettings())
    assert swedish.notes[-1] == "inga åtgärder att utvärdera"
