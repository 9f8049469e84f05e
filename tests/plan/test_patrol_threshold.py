"""Patrol visits that matter: a threshold, not a quota; free time reported; units; street routes; iCal."""

from __future__ import annotations

import geopandas as gpd
import icalendar
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.model import Reports
from geo.plan.patrol import plan_patrols
from geo.plan.patrol_free import gain_words
from tests.hotspots.conftest import make_reports

WEEK = "2026-W10"  # Monday 2 March 2026
X0, Y0 = 440000.0, 6336000.0
# (place_id, x, y, weekdays, hours): the hours of the week each place is active
PLACES = [
    ("skolan", 500.0, 500.0, (0, 1, 2, 3, 4), (15, 16)),
    ("krogen", 2500.0, 600.0, (4, 5), (22, 23)),
    ("stationen", 1500.0, 2000.0, (0, 1, 2, 3, 4), (7, 8)),
]


def _world(seed: int = 3) -> tuple[gpd.GeoDataFrame, Reports]:
    rng = np.random.default_rng(seed)
    days = pd.date_range("2025-03-01", "2026-02-28", freq="D")
    xs, ys, ts = [], [], []
    for _, x, y, wd, hours in PLACES:
        ok = days[np.isin(days.day_of_week, wd)]
        n = 160
        d = ok[rng.integers(0, len(ok), n)]
        h = rng.choice(hours, n)
        ts.append(d + pd.to_timedelta(h, unit="h") + pd.to_timedelta(rng.integers(0, 60, n), unit="min"))
        xs.append(X0 + x + rng.normal(0, 25, n))
        ys.append(Y0 + y + rng.normal(0, 25, n))
    # a light background everywhere, at any hour, also inside the places
    nb = 300
    ts.append(days[rng.integers(0, len(days), nb)] + pd.to_timedelta(rng.integers(0, 1440, nb), unit="min"))
    xs.append(X0 + rng.uniform(0, 3000, nb))
    ys.append(Y0 + rng.uniform(0, 3000, nb))
    t = pd.DatetimeIndex(np.concatenate([np.asarray(v, dtype="datetime64[ns]") for v in ts]))
    reports = make_reports(np.concatenate(xs), np.concatenate(ys), t)
    places = gpd.GeoDataFrame(
        {"place_id": [p[0] for p in PLACES], "place": [p[0].capitalize() for p in PLACES]},
        geometry=[shapely.Point(X0 + x, Y0 + y).buffer(90) for _, x, y, *_ in PLACES],
        crs="EPSG:3006",
    )
    return places, reports


@pytest.fixture(scope="module")
def world():
    return _world()


@pytest.fixture(scope="module")
def plan(world):
    places, reports = world
    return plan_patrols(places, reports, week=WEEK, shifts=["07-15", "15-23", "23-07"], visits_per_shift=4)


def test_visits_fall_in_each_places_active_hours(plan) -> None:
    v = plan.visits
    assert len(v) > 0
    active = {pid: (wd, hours) for pid, _, _, wd, hours in PLACES}
    for pid, g in v.groupby("place_id"):
        wd, hours = active[pid]
        start = g["start_at"]
        inside = start.dt.day_of_week.isin(wd) & start.dt.hour.isin(hours)
        assert inside.mean() >= 0.8, f"{pid}: {inside.mean():.0%} of {len(g)} visits in its active hours"
    # every active window of the week gets a visit (the threshold does not starve the real places)
    assert set(v["place_id"]) == set(active)
    # the plan does not fill the quota: 21 shifts × 4 visits would be 84
    assert len(v) < 84 * 0.6


def test_empty_hours_are_reported_free(plan) -> None:
    free = plan.free
    assert len(free) > 0
    assert (
        free["text"]
        .str.match(r"ingen prioriterad plats \d\d(:\d\d)?–\d\d(:\d\d)?: använd tiden för annat")
        .all()
    )
    # Monday night 23–07: nothing is active, the whole shift is free
    monday_night = free[(free["date"] == "2026-03-02") & free["shift"].str.endswith("23:00–07:00")]
    assert list(zip(monday_night["start"], monday_night["end"], strict=True)) == [("23", "07")]
    # no free stretch overlaps a planned visit
    for _, f in free.iterrows():
        same = plan.visits[plan.visits["shift_no"] == f["shift_no"]]
        for s in same["start"]:
            assert not (f["start"] <= s < f["end"]) or f["start"] > f["end"]
    notes = plan.free_text()
    assert any("23–07 (mån" in n for n in notes), notes
    assert "möjliga besök planerade" in plan.capacity_text()


def test_the_threshold_is_tunable(world) -> None:
    places, reports = world
    kwargs = {"week": WEEK, "shifts": ["15-23"], "visits_per_shift": 4}
    filled = plan_patrols(places, reports, **kwargs, min_gain_share=0, min_expected_per_hour=0)
    strict = plan_patrols(places, reports, **kwargs, min_gain_share=0.5)
    default = plan_patrols(places, reports, **kwargs)
    assert len(filled.visits) >= len(default.visits) > len(strict.visits) > 0
    with pytest.raises(ValueError, match="min_gain_share"):
        plan_patrols(places, reports, **kwargs, min_gain_share=2)


def test_gain_in_words(plan) -> None:
    words = plan.gain_text()
    assert words.startswith("ungefär ") and "av veckans förväntade" in words
    weekly = plan.n_history * 7 / plan.history_days
    assert f"förväntade {weekly:.0f} händelser" in words
    assert plan.visits["expected_incidents"].sum() == pytest.approx(plan.expected_incidents)
    assert gain_words(0.066, 1560, 365).startswith("ungefär 2 av veckans förväntade 30")
    assert gain_words(0.001, 1560, 365).startswith("mindre än 1 av")


def test_units_plan_separate_routes(world) -> None:
    places, reports = world
    one = plan_patrols(places, reports, week=WEEK, shifts=["15-23"], visits_per_shift=2)
    two = plan_patrols(places, reports, week=WEEK, shifts=["15-23"], visits_per_shift=2, units=2)
    assert set(two.visits["unit"]) == {1, 2}
    assert (two.visits.groupby(["shift_no", "unit"]).size() <= 2).all()
    assert two.expected_share >= one.expected_share
    assert len(two.routes) == two.visits.groupby(["shift_no", "unit"]).ngroups
    # orders restart for each unit's route
    for _, g in two.visits.groupby(["shift_no", "unit"]):
        assert list(g["order"]) == list(range(1, len(g) + 1))
    # two units are never at the same place at the same time
    for _, g in two.visits.groupby(["shift_no", "place_id"]):
        t = g["start_at"].sort_values()
        assert (t.diff().dropna() >= pd.Timedelta(minutes=15)).all()


def test_routes_follow_the_streets(world) -> None:
    places, reports = world
    # an L of streets: along y = 500 to x = 2500, then up; no street across the diagonal
    streets = gpd.GeoDataFrame(
        {"name": ["Södra", "Östra", "Norra"]},
        geometry=[
            shapely.LineString([(X0 + 500, Y0 + 500), (X0 + 2500, Y0 + 500)]),
            shapely.LineString([(X0 + 2500, Y0 + 500), (X0 + 2500, Y0 + 2000)]),
            shapely.LineString([(X0 + 2500, Y0 + 2000), (X0 + 1500, Y0 + 2000)]),
        ],
        crs="EPSG:3006",
    )
    plan = plan_patrols(
        places,
        reports,
        week=WEEK,
        shifts=["07-23"],
        visits_per_shift=6,
        streets=streets,
        min_gain_share=0,
        min_expected_per_hour=0,
    )
    assert plan.travel == "gatunät"
    corner = shapely.Point(X0 + 2500, Y0 + 2000)
    moving = plan.routes[plan.routes["visits"] >= 2]
    assert len(moving)
    for line, (_, r) in zip(moving.geometry, moving.iterrows(), strict=True):
        g = plan.visits[(plan.visits["shift_no"] == r["shift_no"]) & (plan.visits["unit"] == r["unit"])]
        pids = list(g["place_id"])
        if any({a, b} == {"krogen", "stationen"} for a, b in zip(pids[:-1], pids[1:], strict=True)):
            assert line.distance(corner) < 1.0, "the route goes round the corner, not across"
        assert len(line.coords) >= len(g)


def test_ics_has_one_event_a_visit_and_parses(plan) -> None:
    from geo.io.outputs.patrol_ics import plan_ics

    data = plan_ics(plan)
    assert data == plan_ics(plan)  # reproducible: same plan, same file (stable UIDs and stamps)
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), "lines are folded at 75 octets"
    cal = icalendar.Calendar.from_ical(data)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == len(plan.visits)
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert any(c.name == "VTIMEZONE" and str(c["TZID"]) == "Europe/Stockholm" for c in cal.walk())
    first = plan.visits.iloc[0]
    e = events[0]
    assert e.decoded("DTSTART") == first["start_at"].to_pydatetime()
    assert str(e["DTSTART"].params["TZID"]) == "Europe/Stockholm"
    assert str(e["SUMMARY"]) == f"Patrull: {first['place']}"
    assert first["place"] in str(e["LOCATION"])
    assert "besök 1 i rutten" in str(e["DESCRIPTION"])
