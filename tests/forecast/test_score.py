"""The scorer on hand-computed cases, ties at the threshold included."""

from __future__ import annotations

import math

import numpy as np
import pytest

from geo.forecast import score_forecast


def test_no_ties_hand_computed() -> None:
    # 20 active cells, 10 % -> k = 2: cells 0 and 1 are flagged (risk 9 and 8)
    risk = np.array([9, 8, 7, 6, 5, 4, 3, 2, 1, 0] + [0] * 10, dtype=float)
    truth = np.array([1, 0, 3, 0, 0, 0, 0, 0, 0, 0] + [0] * 9 + [1], dtype=float)
    s = score_forecast(risk, truth, coverage_pct=10)
    assert s.k == 2 and s.n_active == 20
    assert s.hits == 1.0 and s.incidents == 5.0
    assert s.hit_rate == pytest.approx(0.2)
    assert s.pai == pytest.approx(0.2 / (2 / 20))  # 2.0
    assert s.pei == pytest.approx(1 / 4)  # best two cells hold 3 + 1


def test_ties_counted_at_expected_value() -> None:
    # k = 2; cell 0 is above the threshold, cells 1, 2, 3 tie at it and share the one remaining place
    risk = np.array([5, 3, 3, 3, 1, 0, 0, 0, 0, 0], dtype=float)
    truth = np.array([2, 3, 0, 0, 1, 0, 0, 0, 0, 0], dtype=float)
    s = score_forecast(risk, truth, coverage_pct=20)
    assert s.hits == pytest.approx(2 + (1 / 3) * 3)
    assert s.hit_rate == pytest.approx(3 / 6)
    assert s.pai == pytest.approx(0.5 / 0.2)
    assert s.pei == pytest.approx(3 / 5)


def test_all_tied_is_random_choice() -> None:
    # a forecast that says nothing (all equal) scores exactly PAI 1 in expectation
    truth = np.array([4, 0, 1, 0, 0, 2, 0, 0, 3, 0], dtype=float)
    s = score_forecast(np.ones(10), truth, coverage_pct=30)
    assert s.k == 3
    assert s.hits == pytest.approx(3 / 10 * 10)
    assert s.pai == pytest.approx(1.0)


def test_ties_below_threshold_do_not_count() -> None:
    # k = 2 and exactly two cells are above the zeros: no tie share at all
    risk = np.array([2, 1, 0, 0, 0, 0, 0, 0, 0, 0], dtype=float)
    truth = np.array([0, 1, 5, 0, 0, 0, 0, 0, 0, 0], dtype=float)
    s = score_forecast(risk, truth, coverage_pct=20)
    assert s.hits == pytest.approx(1.0)


def test_float_noise_does_not_break_a_tie() -> None:
    risk = np.array([1.0, 0.1 + 0.2, 0.3, 0.0])  # 0.1 + 0.2 != 0.3 in binary floating point
    truth = np.array([0.0, 2.0, 0.0, 0.0])
    s = score_forecast(risk, truth, coverage_pct=50)  # k = 2: cell 0, then half of cell 1 or 2
    assert s.hits == pytest.approx(1.0)


def test_k_floor_and_empty_weeks_give_nan() -> None:
    s = score_forecast(np.arange(50.0), np.ones(50), coverage_pct=1)  # floor(0.5) = 0
    assert s.k == 0 and math.isnan(s.pai)
    s = score_forecast(np.arange(200.0), np.zeros(200), coverage_pct=5)
    assert s.k == 10 and math.isnan(s.hit_rate)


def test_perfect_forecast_has_pei_one() -> None:
    truth = np.array([0, 3, 0, 1, 7, 0, 0, 0, 0, 2], dtype=float)
    s = score_forecast(truth, truth, coverage_pct=30)
    assert s.pei == pytest.approx(1.0)
    assert s.hit_rate == pytest.approx(12 / 13)


@pytest.mark.parametrize("cov", [0, -1, 101])
def test_bad_coverage(cov: float) -> None:
    with pytest.raises(ValueError, match="coverage_pct"):
        score_forecast(np.ones(3), np.ones(3), coverage_pct=cov)


def test_misaligned() -> None:
    with pytest.raises(ValueError, match="align"):
        score_forecast(np.ones(3), np.ones(4), coverage_pct=10)
