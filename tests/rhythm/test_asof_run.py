"""`geo run --as-of`: four weeks of the demo find its active hot-spots, or say why not on every page."""

from __future__ import annotations

import datetime as dt
import json
import tomllib

import pytest
from shapely.geometry import Point

from geo.config import parse_config
from geo.demo import DEMO_DIR
from geo.pipeline import run

TRUTH = json.loads((DEMO_DIR / "truth.json").read_text(encoding="utf-8"))
AS_OF = dt.date(2026, 11, 2)


def _demo(**tables):
    data = tomllib.loads((DEMO_DIR / "demo.toml").read_text(encoding="utf-8"))
    for name, value in tables.items():
        merged = {**data.get(name, {}), **value}
        data[name] = {k: v for k, v in merged.items() if v is not None}
    return parse_config(data, path=DEMO_DIR / "demo.toml")


@pytest.fixture(scope="module")
def four_weeks(tmp_path_factory):
    off = {"enabled": False}
    config = _demo(lighting=off, forecast=off, maps=off)
    return run(config, out_dir=tmp_path_factory.mktemp("asof"), as_of=AS_OF)


def test_four_weeks_find_the_active_hotspots(four_weeks):
    r = four_weeks
    assert r.period == "2026-10-05 – 2026-11-01 (v. 41–44, 4 veckor)"
    assert r.reports["occurred_at"].min().date() >= dt.date(2026, 10, 5)
    assert r.reports["occurred_at"].max().date() <= dt.date(2026, 11, 1)
    assert r.hotspots is not None
    assert r.hotspots.chosen["min_samples"].startswith("5: 30 per 156 veckor")  # scaled to the period
    found = r.hotspots.hotspots.to_crs(TRUTH["crs"])
    assert len(found)
    for place in ("centrum", "resecentrum", "mossle"):  # active every week of the year (mossle emerging)
        truth = next(h for h in TRUTH["hotspots"] if h["id"] == place)
        near = found.distance(Point(truth["x"], truth["y"])).min()
        assert near <= truth["radius_m"] + 100, (place, near)
    assert "Period: 2026-10-05 – 2026-11-01" in r.summary
    manifest = json.loads(r.outputs["manifest"].read_text(encoding="utf-8"))
    assert manifest["period"] == {"start": "2026-10-05", "end": "2026-11-01", "weeks": 4}


def test_four_weeks_trend_against_the_quarter_before(four_weeks):
    words = "trend: de senaste 4 veckorna jämfört med föregående 13 veckor"
    assert four_weeks.hotspots.chosen["trend"] == words and words in four_weeks.summary
    found = four_weeks.hotspots.hotspots.to_crs(TRUTH["crs"])
    centrum = next(h for h in TRUTH["hotspots"] if h["id"] == "centrum")  # the same every week for years
    at = found.distance(Point(centrum["x"], centrum["y"])).idxmin()
    assert found.loc[at, "trend"] == "persistent"
    assert set(found["trend"]) <= {"new", "intensifying", "persistent", "diminishing", "sporadic", "none"}


def test_patrol_claims_no_more_history_than_the_period(four_weeks):
    plan = four_weeks.patrol.plan
    assert plan.history_start is not None and plan.history_start.date() >= dt.date(2026, 10, 5)
    page = four_weeks.outputs["patrol_plan_html"].read_text(encoding="utf-8")
    assert "2025-" not in page


def test_speed_measurements_are_cut_to_the_period(four_weeks):
    assert any("mätningar utanför perioden" in n for n in four_weeks.notes)


def test_a_count_set_for_years_says_why_nothing_was_found(tmp_path):
    config = _demo(
        hotspots={"min_samples_weeks": None}, lighting={"enabled": False}, forecast={"enabled": False}
    )
    r = run(config, out_dir=tmp_path, as_of=AS_OF)
    assert r.hotspots is not None and not len(r.hotspots.hotspots)
    why = "min_samples = 30 kräver"
    assert why in r.summary
    page = r.outputs["map_summary"].read_text(encoding="utf-8")
    assert "Inget att visa" in page and why in page
    assert why in r.outputs["map"].read_text(encoding="utf-8")


def test_trend_words_on_the_console_map_and_summary(tmp_path):
    config = _demo(
        lighting={"enabled": False},
        forecast={"enabled": False},
        period={"weeks": 13, "start": None, "end": None},
    )
    r = run(config, out_dir=tmp_path, as_of=AS_OF)
    words = "trend: de senaste 4 veckorna jämfört med föregående 9 veckor"
    assert r.hotspots is not None and r.hotspots.chosen["trend"] == words
    assert words in r.summary
    assert words in r.outputs["map_summary"].read_text(encoding="utf-8")
    assert words in r.outputs["map"].read_text(encoding="utf-8")
