"""The planted hot-spots in the committed demo world: dense, in their radius, with their time signature."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from geo.demo.hotspots import HOTSPOTS, active_windows
from geo.time.sun import sun_window

TZ = "Europe/Stockholm"


def _member_frame(police: pd.DataFrame, h: dict) -> pd.DataFrame:
    return police[police["report_id"].isin(set(h["member_ids"]))]


def test_hotspots_are_dense_and_inside_their_radius(truth, police):
    xy = np.c_[police.geometry.x, police.geometry.y]
    area_town_km2 = np.pi * 2.6**2
    background = truth["counts"]["police_background"] / area_town_km2
    for h in truth["hotspots"]:
        m = _member_frame(police, h)
        assert len(m) >= h["n_reports"] - 1  # at most one planted bad row can hit a hot-spot
        d = np.hypot(m.geometry.x - h["x"], m.geometry.y - h["y"])
        assert (d <= h["radius_m"]).all(), h["id"]
        inside = np.hypot(xy[:, 0] - h["x"], xy[:, 1] - h["y"]) <= h["radius_m"]
        density = inside.sum() / (np.pi * (h["radius_m"] / 1000) ** 2)
        assert density > 8 * background, (h["id"], density, background)


def test_hotspots_keep_their_time_signature(truth, police):
    for h in truth["hotspots"]:
        m = _member_frame(police, h)
        exact = m[m["occurred_to"].isna()]
        if h["hours"] and h["pattern"] != "winter_nights":
            in_hours = exact["hour"].isin(h["hours"]) & exact["weekday"].isin(h["weekdays"])
            assert in_hours.mean() >= 0.85, h["id"]
        if h["months"] != list(range(1, 13)):
            assert m["month"].isin(h["months"]).mean() >= 0.8, h["id"]


def test_weekend_night_hotspot_is_friday_saturday_night(truth, police):
    h = next(h for h in truth["hotspots"] if h["pattern"] == "weekend_nights")
    m = _member_frame(police, h)
    evening = m["hour"] >= 22
    night = m["hour"] <= 2
    assert (m[evening]["weekday"].isin([4, 5])).mean() > 0.95
    assert (m[night]["weekday"].isin([5, 6])).mean() > 0.95
    assert (evening | night).mean() >= 0.85


def test_park_drugs_happen_at_real_dusk(truth, police):
    h = next(h for h in truth["hotspots"] if h["at_dusk"])
    m = _member_frame(police, h)
    assert (m["category"] == "narkotikabrott").mean() > 0.7
    offsets = []
    for t in m["occurred_at"]:
        day = (
            t.date() if t.hour >= 12 else t.date() - dt.timedelta(days=1)
        )  # after midnight: last evening's dusk
        _, dusk, _ = sun_window(h["lat"], h["lon"], day, TZ)
        offsets.append((t - dusk).total_seconds() / 60)
    offsets = np.array(offsets)
    assert ((offsets >= -16) & (offsets <= 76)).all()
    # dusk moves with the season: summer incidents are hours later than winter ones
    summer = m["month"].isin([6, 7])
    winter = m["month"].isin([12, 1])
    assert m[summer]["hour"].mean() - m[winter]["hour"].mean() > 4


def test_industrial_burglaries_are_winter_night_windows(truth, police):
    h = next(h for h in truth["hotspots"] if h["pattern"] == "winter_nights")
    m = _member_frame(police, h)
    win = m[m["occurred_to"].notna()]
    assert len(win) >= 0.5 * len(m)
    mid = win["occurred_at"] + (win["occurred_to"] - win["occurred_at"]) / 2
    assert mid.dt.hour.isin([22, 23, 0, 1, 2, 3, 4, 5]).mean() > 0.7
    assert win["is_dark"].mean() > 0.9
    assert (m["category"] == "inbrott").mean() > 0.7


def test_emerging_and_fading(truth, police):
    emerging = next(h for h in truth["hotspots"] if h["emerging"])
    fading = next(h for h in truth["hotspots"] if h["fading"])
    last_year = dt.date.fromisoformat(truth["period"]["years"][2][0])
    m = _member_frame(police, emerging)
    assert (m["occurred_at"].dt.date >= last_year).all()
    y = fading["yearly_counts"]
    assert y[0] > 1.5 * y[1] > 1.5 * 1.5 * y[2] * 0.9
    for h in truth["hotspots"]:
        if h["trend"] == "persistent":
            c = h["yearly_counts"]
            assert max(c) - min(c) <= 0.15 * max(c), h["id"]


def test_repeated_addresses(truth, police):
    for h in truth["hotspots"]:
        rep = h["address_repeats"]
        if rep is None:
            continue
        m = _member_frame(police, h)
        at = m[(m["location_precision"] == "address")]
        assert len(at) == rep["n_reports"] >= 20
        assert at.geometry.x.round(1).nunique() == 1
        assert abs(at.geometry.x.iloc[0] - rep["x"]) < 1 and abs(at.geometry.y.iloc[0] - rep["y"]) < 1


def _in_windows(weekday: pd.Series, hour: pd.Series, windows: list[dict]) -> np.ndarray:
    hit = np.zeros(len(weekday), dtype=bool)
    wd, hr = weekday.to_numpy(), hour.to_numpy()
    for w in windows:
        d, s, e = w["weekday"], w["start_hour"], w["end_hour"]
        if s < e:
            hit |= (wd == d) & (hr >= s) & (hr < e)
        else:  # runs past midnight into the next day
            hit |= ((wd == d) & (hr >= s)) | ((wd == (d + 1) % 7) & (hr < e))
    return hit


def test_active_windows_hold_the_planted_share(truth, police):
    for h in truth["hotspots"]:
        if not h["active_windows"]:
            assert h["at_dusk"] and h["dusk_offset_min"] == [-15, 75]
            continue
        m = _member_frame(police, h)
        exact = m[m["occurred_to"].isna()]
        share = _in_windows(exact["weekday"], exact["hour"], h["active_windows"]).mean()
        assert share >= h["in_window_share"] - 0.05, (h["id"], share)
        # and outside the hot-spot the same windows hold far fewer of the background reports
        background = police[
            ~police["report_id"].isin(set().union(*(x["member_ids"] for x in truth["hotspots"])))
        ]
        bg_share = _in_windows(background["weekday"], background["hour"], h["active_windows"]).mean()
        assert share > bg_share + 0.4, (h["id"], share, bg_share)


def test_active_windows_run_past_midnight():
    centrum = next(s for s in HOTSPOTS if s.key == "centrum")
    assert active_windows(centrum) == [
        {"weekday": 4, "start_hour": 22, "end_hour": 3},
        {"weekday": 5, "start_hour": 22, "end_hour": 3},
    ]
    assert active_windows(next(s for s in HOTSPOTS if s.pattern == "dusk")) == []
