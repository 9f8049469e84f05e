"""The printable patrol page: a section per shift, headed by the day the shift starts; Swedish or English."""

from __future__ import annotations

import pytest

from geo.plan.patrol import empty_plan
from geo.plan.patrol_page import plan_html


def test_html_one_section_per_shift(plan) -> None:
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
