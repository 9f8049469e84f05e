"""The printable patrol page: a section per shift, headed by the day the shift starts; Swedish or English."""

from __future__ import annotations

import re

import pytest

from geo.plan.patrol import empty_plan, plan_patrols
from geo.plan.patrol_page import plan_html


def test_html_one_section_per_shift(demo_police, planted_places) -> None:
    from tests.plan.conftest import CUT_WEEK, SHIFTS

    # every shift filled (no threshold), so the Monday night shift has visits after midnight
    plan = plan_patrols(
        planted_places, demo_police, week=CUT_WEEK, shifts=SHIFTS, min_gain_share=0, min_expected_per_hour=0
    )
    html = plan_html(plan, demo=True)
    assert html.count('<section class="shift">') == plan.visits["shift_no"].nunique()
    assert "Förväntad täckning, naiv plan" in html and "Syntetiska demodata" in html
    assert "break-before: page" in html
    assert "<script" not in html
    # a night shift is headed by the day it starts on, even when its first visit is after midnight
    assert "Måndag 7 september 2026 · pass 23:00–07:00" in html
    assert "Måndag 14 september" not in html
    en = plan_html(plan, lang="en")
    assert "Expected coverage, naive plan" in en and "Monday 7 September 2026 · shift 23:00–07:00" in en
    assert en.count('<section class="shift">') == html.count('<section class="shift">')
    with pytest.raises(ValueError, match="lang"):
        plan_html(plan, lang="fi")


def test_html_of_an_empty_plan_says_why() -> None:
    empty = empty_plan(
        week="2026-W45", shifts=["15-23"], crs="EPSG:3006", notes=["inga platser att planera för"]
    )
    html = plan_html(empty)
    assert '<section class="shift">' not in html
    assert "inga platser att planera för" in html and "Inga besök planerade" in html


def test_html_says_what_the_plan_gains_and_which_time_is_free(plan) -> None:
    html = plan_html(plan)
    assert "av veckans förväntade" in html and "möjliga besök planerade" in html
    assert "Fri tid" in html and "ingen prioriterad plats" in html and "använd tiden för annat" in html
    en = plan_html(plan, lang="en")
    assert "of the week&#39;s expected" in en


SV_MARKERS = (
    "patrullplan", "vecka", "historik", "händelser", "besök", "förväntad", "täckning", "pass", "restid",
    "plats", "tid", "skapad", "minuter", "ungefär", "veckans", "och",
)  # fmt: skip
EN_MARKERS = (
    "patrol", "week", "history", "incidents", "visits", "expected", "coverage", "shift", "travel",
    "place", "free", "time", "made", "minutes", "about", "and", "of",
)  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "own", "other"), [("sv", SV_MARKERS, EN_MARKERS), ("en", EN_MARKERS, SV_MARKERS)]
)
def test_each_language_has_no_words_of_the_other(plan, lang, own, other) -> None:
    from tests.language import assert_one_language

    assert_one_language(plan_html(plan, demo=True, lang=lang), own, other)


def test_numbers_follow_the_language(plan) -> None:
    sv, en = plan_html(plan, lang="sv"), plan_html(plan, lang="en")
    assert "\xa0%" in sv and not re.search(r"\d\.\d+\s?%", sv)
    assert not re.search(r"\d,\d+\s?%", en) and re.search(r"\d\.\d+%", en)
    assert "Måndag 7 september 2026" in sv and "Monday 7 September 2026" in en
