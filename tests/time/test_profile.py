"""The hour × weekday profile (aoristic for windows) and peak windows in words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.time.profile import PeakWindow, format_window, hour_week_profile, peak_window_list, peak_windows

TZ = "Europe/Stockholm"


def _frame(starts: list[str], ends: list[str | None] | None = None) -> pd.DataFrame:
    at = pd.Series(pd.to_datetime(starts)).dt.tz_localize(TZ)
    to = pd.Series(pd.to_datetime(ends if ends is not None else [None] * len(starts))).dt.tz_localize(TZ)
    return pd.DataFrame({"occurred_at": at, "occurred_to": to})


def test_exact_reports_land_in_their_bin() -> None:
    # 2024-01-05 is a Friday (weekday 4)
    p = hour_week_profile(_frame(["2024-01-05 22:30", "2024-01-01 00:00", "2024-01-07 23:59"]))
    assert p.sum() == 3
    assert p[4 * 24 + 22] == 1 and p[0] == 1 and p[6 * 24 + 23] == 1


def test_window_is_spread_aoristically() -> None:
    # Friday 22:30 to Saturday 01:30: 30 min in Fri 22, 60 in Fri 23, 60 in Sat 00, 30 in Sat 01
    p = hour_week_profile(_frame(["2024-01-05 22:30"], ["2024-01-06 01:30"]))
    assert p.sum() == pytest.approx(1.0)
    idx = np.flatnonzero(p)
    assert idx.tolist() == [118, 119, 120, 121]
    assert p[idx] == pytest.approx([1 / 6, 1 / 3, 1 / 3, 1 / 6])


def test_window_across_the_week_end_and_longer_than_a_week() -> None:
    p = hour_week_profile(_frame(["2024-01-07 23:00"], ["2024-01-08 01:00"]))  # Sunday 23 to Monday 01
    assert p[167] == pytest.approx(0.5) and p[0] == pytest.approx(0.5)
    p = hour_week_profile(_frame(["2024-01-01 00:00"], ["2024-01-15 00:00"]))  # exactly two weeks
    assert p == pytest.approx(np.full(168, 1 / 168))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60 * 24 * 30), st.integers(0, 60 * 24 * 10)), min_size=1, max_size=30)
)
def test_profile_sums_to_the_number_of_reports(windows: list[tuple[int, int]]) -> None:
    base = pd.Timestamp("2024-05-01")  # no daylight-saving change within the next 40 days
    starts = [str(base + pd.Timedelta(minutes=s)) for s, _ in windows]
    ends = [str(base + pd.Timedelta(minutes=s + d)) if d else None for s, d in windows]
    p = hour_week_profile(_frame(starts, ends))
    assert p.sum() == pytest.approx(len(windows))
    assert (p >= -1e-12).all()


def test_empty_profile() -> None:
    p = hour_week_profile(_frame([]))
    assert p.shape == (168,) and p.sum() == 0
    assert peak_windows(p) == ""


def _planted(days: tuple[int, ...], hours: tuple[int, ...], n: int = 20) -> np.ndarray:
    p = np.zeros(168)
    for d in days:
        for h in hours:
            p[(d * 24 + h) % 168] += n
    return p


@pytest.mark.parametrize(
    ("days", "hours", "sv", "en"),
    [
        ((4, 5), (22, 23, 24, 25, 26), "fre–lör 22–03", "Fri–Sat 22–03"),
        ((0, 1, 2, 3, 4), (13, 14, 15, 16), "mån–fre 13–17", "Mon–Fri 13–17"),
        ((0, 1, 2, 3, 4, 5, 6), (17, 18, 19, 20, 21), "alla dagar 17–22", "every day 17–22"),
        ((3, 4, 5), (18, 19, 20, 21, 22), "tor–lör 18–23", "Thu–Sat 18–23"),
        ((5, 6, 0), (10, 11), "lör–mån 10–12", "Sat–Mon 10–12"),
        ((1, 3), (8,), "tis, tor 08–09", "Tue, Thu 08–09"),
    ],
)
def test_peak_windows_in_words(days: tuple, hours: tuple, sv: str, en: str) -> None:
    p = _planted(days, hours) + 1.0  # a little everywhere
    assert peak_windows(p) == sv
    assert peak_windows(p, "en") == en


def test_two_windows_and_flat_profile() -> None:
    p = _planted((0, 1, 2, 3, 4), (7, 8)) + _planted((4, 5), (22, 23))
    text = peak_windows(p)
    assert "mån–fre 07–09" in text and "fre–lör 22–00" in text and "; " in text
    windows = peak_window_list(p)
    assert len(windows) == 2 and sum(w.share for w in windows) == pytest.approx(1.0)
    assert peak_windows(np.ones(168)) == "ingen tydlig topp"
    assert peak_windows(np.ones(168), "en") == "no clear peak"


def test_window_object() -> None:
    w = PeakWindow(days=(4, 5), start_hour=22, end_hour=3, share=0.9)
    assert w.hours == 5
    assert w.bins().tolist() == [118, 119, 120, 121, 122, 142, 143, 144, 145, 146]
    assert format_window(w) == "fre–lör 22–03"
    with pytest.raises(ValueError, match="lang"):
        format_window(w, lang="de")
    with pytest.raises(ValueError, match="168"):
        peak_window_list(np.ones(24))


def test_random_times_give_no_window() -> None:
    rng = np.random.default_rng(7)
    for seed in range(5):
        p = np.bincount(np.random.default_rng(seed).integers(0, 168, 300), minlength=168).astype(float)
        assert peak_windows(p) == "ingen tydlig topp", seed
    # a real but broad daily rhythm with many reports is still a window
    hours = np.tile(np.r_[np.full(16, 10.0), np.full(8, 40.0)], 7) + rng.uniform(0, 1, 168)
    assert peak_windows(hours) == "alla dagar 16–00"
    for seed in range(20):
        p = np.bincount(np.random.default_rng(seed).integers(0, 168, 2000), minlength=168).astype(float)
        assert peak_windows(p) == "ingen tydlig topp", seed


def test_days_without_an_hour_rhythm() -> None:
    p = np.ones(168) * 2.0
    p[5 * 24 : 7 * 24] = 12.0  # weekends busy around the clock
    assert peak_windows(p) == "lör–sön hela dygnet"
    assert peak_windows(p, "en") == "Sat–Sun all day"
