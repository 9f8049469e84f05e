"""The Knox test: planted chains found, none found where there are none, counts equal a brute-force count."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.nearrepeat import KNOX_COLUMNS, knox_test, risk_zone
from tests.nearrepeat.conftest import planted_burglaries

SPACE = [0, 100, 200, 300, 400]
TIME = [0, 7, 14, 21, 28]


def _xy_t(reports):
    xy = np.column_stack([reports.geometry.x, reports.geometry.y])
    return xy, reports["occurred_at"]


def test_planted_chains_are_found_in_the_first_bands():
    reports = planted_burglaries(chains=40)
    xy, t = _xy_t(reports)
    knox = knox_test(xy, t, space_bands_m=SPACE, time_bands_days=TIME, permutations=199, seed=1)
    assert list(knox.columns) == list(KNOX_COLUMNS)
    first = knox.iloc[0]  # 0-100 m, 0-7 days
    assert first["p_value"] <= 0.05 and first["ratio"] > 2
    second_time = knox[(knox["space_from_m"] == 0) & (knox["time_from_days"] == 7)].iloc[0]
    assert second_time["p_value"] <= 0.05  # followers up to 10 days
    second_space = knox[(knox["space_from_m"] == 100) & (knox["time_from_days"] == 0)].iloc[0]
    assert second_space["p_value"] <= 0.05  # followers up to 150 m
    far = knox[(knox["space_from_m"] >= 300) & (knox["time_from_days"] >= 14)]
    assert (far["p_value"] > 0.05).all()
    zone = risk_zone(knox, alpha=0.05)
    assert zone is not None and 200 <= zone.radius_m <= 300 and 14 <= zone.days <= 21


def test_data_without_chains_is_not_called_significant():
    reports = planted_burglaries(chains=0, n_background=760)
    xy, t = _xy_t(reports)
    knox = knox_test(xy, t, space_bands_m=SPACE, time_bands_days=TIME, permutations=199, seed=1)
    assert risk_zone(knox, alpha=0.05) is None
    assert (knox["p_value"] <= 0.05).sum() <= 2  # 16 tests at 5 %: at most a chance hit or two
    assert knox["ratio"].between(0.5, 1.6).all()


def test_counts_equal_a_brute_force_count():
    rng = np.random.default_rng(3)
    n = 80
    xy = rng.uniform(0, 600, (n, 2))
    days = rng.uniform(0, 60, n)
    xy[1] = xy[0] + [100.0, 0.0]  # exactly on an edge: counts in the band it starts
    days[1] = days[0] + 7.0
    space, time = [0, 100, 250, 400], [0, 7, 20]
    knox = knox_test(xy, days, space_bands_m=space, time_bands_days=time, permutations=5, seed=0)
    expected = np.zeros((3, 2), dtype=int)
    for i in range(n):
        for j in range(i + 1, n):
            d = float(np.hypot(*(xy[i] - xy[j])))
            g = abs(days[i] - days[j])
            s = next((k for k in range(3) if space[k] <= d < space[k + 1]), None)
            b = next((k for k in range(2) if time[k] <= g < time[k + 1]), None)
            if s is not None and b is not None:
                expected[s, b] += 1
    assert knox["observed"].to_numpy().tolist() == expected.ravel().tolist()
    assert knox["space_from_m"].tolist() == [0, 0, 100, 100, 250, 250]
    assert knox["time_to_days"].tolist() == [7, 20] * 3


def test_same_seed_same_p_values_and_p_value_floor():
    reports = planted_burglaries(chains=10, n_background=200)
    xy, t = _xy_t(reports)
    a = knox_test(xy, t, space_bands_m=SPACE, time_bands_days=TIME, permutations=49, seed=5)
    b = knox_test(xy, t, space_bands_m=SPACE, time_bands_days=TIME, permutations=49, seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert (a["p_value"] >= 1 / 50).all() and (a["p_value"] <= 1).all()


def test_timestamps_and_days_agree():
    reports = planted_burglaries(chains=5, n_background=100)
    xy, t = _xy_t(reports)
    days = (t - t.min()).dt.total_seconds().to_numpy() / 86400
    a = knox_test(xy, t, space_bands_m=SPACE, time_bands_days=TIME, permutations=9, seed=2)
    b = knox_test(xy, days, space_bands_m=SPACE, time_bands_days=TIME, permutations=9, seed=2)
    assert a["observed"].tolist() == b["observed"].tolist()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"space_bands_m": [0]}, "space_bands_m"),
        ({"space_bands_m": [0, 100, 100]}, "space_bands_m"),
        ({"time_bands_days": [-1, 7]}, "time_bands_days"),
        ({"permutations": 0}, "permutations"),
    ],
)
def test_bad_arguments(kwargs, match):
    args = {"space_bands_m": SPACE, "time_bands_days": TIME, "permutations": 9} | kwargs
    with pytest.raises(ValueError, match=match):
        knox_test(np.zeros((3, 2)), np.arange(3.0), **args)


def test_too_few_incidents_give_zero_counts():
    knox = knox_test(np.zeros((1, 2)), np.zeros(1), space_bands_m=SPACE, time_bands_days=TIME, permutations=9)
    assert (knox["observed"] == 0).all() and knox["ratio"].isna().all()


def test_a_gap_of_exactly_a_band_edge_counts_in_the_next_band():
    times = pd.Series(pd.to_datetime(["2017-03-20 14:00", "2017-03-27 14:00"]).tz_localize("America/Toronto"))
    knox = knox_test(
        np.array([[0.0, 0.0], [0.0, 100.0]]),
        times,
        space_bands_m=[0, 100, 200],
        time_bands_days=[0, 7, 14],
        permutations=3,
    )
    assert knox["observed"].tolist() == [0, 0, 0, 1]  # 100 m and 7 days: [100, 200) × [7, 14)
