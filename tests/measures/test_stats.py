"""WDD, WDQ and the rate ratio against values computed by hand."""

from __future__ import annotations

import math

import pytest

from geo.measures.stats import rate_ratio, scaled_wdd, wdd, wdq


def test_wdd_matches_hand_computation():
    # Wheeler & Ratcliffe with separate control areas (k = 1):
    # t 100 -> 60, d 50 -> 55, ct = cd = c 80 -> 80
    # WDD = (60-100) - (80-80) + (55-50) - (80-80) = -35
    # Var = 100+60+50+55 + (1+1)^2 (80+80) = 265 + 640 = 905
    value, se = wdd(100, 60, 50, 55, 80, 80)
    assert value == -35
    assert se == pytest.approx(math.sqrt(905))


def test_scaled_wdd_matches_hand_computation():
    # one comparison area 1000 -> 1100 (+10 %); k_t = 100/1000, k_d = 50/1000
    # WDD = -40 - 0.1*100 + 5 - 0.05*100 = -50; Var = 265 + 0.15^2 * 2100 = 312.25
    value, se = scaled_wdd(100, 60, 50, 55, 1000, 1100)
    assert value == pytest.approx(-50)
    assert se == pytest.approx(math.sqrt(312.25))


def test_wdq_matches_hand_computation():
    # (d1/c1 - d0/c0) / (t1/c1 - t0/c0) = (55/100 - 50/100) / (60/100 - 100/100) = 0.05 / -0.4 = -0.125
    assert wdq(100, 60, 50, 55, 100, 100) == pytest.approx(-0.125)
    # buffer falls too: (40/100 - 50/100) / -0.4 = 0.25 (diffusion)
    assert wdq(100, 60, 50, 40, 100, 100) == pytest.approx(0.25)
    assert math.isnan(wdq(100, 100, 50, 40, 100, 100))  # no success: undefined
    assert math.isnan(wdq(100, 60, 50, 40, 0, 100))


def test_rate_ratio_hand_computation():
    rr = rate_ratio(100, 50, 1000, 1000)
    assert rr.ratio == pytest.approx(0.5)
    se = math.sqrt(1 / 100 + 1 / 50 + 2 / 1000)
    assert rr.low == pytest.approx(0.5 * math.exp(-1.959964 * se), rel=1e-5)
    assert rr.high == pytest.approx(0.5 * math.exp(1.959964 * se), rel=1e-5)
    assert rr.p_value < 1e-3
    assert rr.pct[0] == pytest.approx(-50)


def test_rate_ratio_with_a_zero_count_is_finite():
    rr = rate_ratio(10, 0, 100, 100)
    assert rr.ratio < 0.1
    assert math.isfinite(rr.low) and math.isfinite(rr.high)
