"""The evaluation page (evaluation.html) from its template: both languages without words of the other."""

from __future__ import annotations

import pytest

from geo.io.area import load_area
from geo.io.measures import read_measures
from geo.measures.page import evaluation_html
from geo.model import Reports
from geo.stages.evaluate import EvaluateSettings, evaluate_stage
from tests.conftest import DEMO
from tests.language import assert_one_language

SV_MARKERS = (
    "åtgärder",
    "effekt",
    "före",
    "efter",
    "området",
    "omgivningen",
    "jämförelse",
    "räknat",
    "rapporter",
    "minskning",
    "ökning",
    "tidigt",
    "dagar",
    "jämfört",
    "med",
    "övriga",
    "var",
)  # fmt: skip  (not "och"/"and": the register's names are the user's own words)
EN_MARKERS = (
    "measures", "effect", "before", "after", "area", "surroundings", "comparison", "counted", "reports",
    "decrease", "increase", "early", "days", "compared", "with", "rest", "each",
)  # fmt: skip


@pytest.fixture(scope="module")
def pages(demo_police) -> dict[str, str]:
    """The demo register's evaluation page in both languages."""
    area = load_area("Värnamo").to_crs(demo_police.crs)
    inside = Reports(demo_police[demo_police.within(area)])
    register = read_measures(DEMO / "atgarder.csv", crs=demo_police.crs, tz="Europe/Stockholm")
    result = evaluate_stage(inside, register, EvaluateSettings(buffer_m=200))
    s = result.settings
    return {
        lang: evaluation_html(
            result.evaluation,
            comparison=result.comparison,
            buffer_m=s.buffer_m,
            min_days=s.min_days,
            min_expected=s.min_expected,
            insecurity=result.evaluation.head(1).assign(verdict="too_early"),
            lang=lang,
        )
        for lang in ("sv", "en")
    }


@pytest.mark.parametrize(
    ("lang", "own", "other"), [("sv", SV_MARKERS, EN_MARKERS), ("en", EN_MARKERS, SV_MARKERS)]
)
def test_each_language_has_no_words_of_the_other(pages, lang, own, other):
    assert_one_language(pages[lang], own, other)


def test_every_measure_has_its_section_chart_and_verdict(pages):
    sv, en = pages["sv"], pages["en"]
    assert sv.count("<section>") == en.count("<section>") == 4  # A1-A4 evaluated, A5-A6 not started
    assert sv.count("<svg") == 4 and sv.count("<rect") == 4 * 6
    assert "Minskning: −40 % (−55 till −19 %) jämfört med övriga området" in sv
    assert "Decrease: −40% (−55 to −19%) compared with the rest of the area" in en
    assert "För tidigt att säga</p>" in sv and "Too early to tell</p>" in en  # said once, not twice
    assert "bara 15 dagar efter starten i data (minst 28 behövs)" in sv
    assert "only 15 days after the start in the data (at least 28 needed)" in en
    assert "genomförd" in sv and "done" in en


def test_numbers_follow_the_language(pages):
    sv, en = pages["sv"], pages["en"]
    assert "-60,6 ± 18,7 / 0,03 / 0,0007" in sv and "-60.6 ± 18.7 / 0.03 / 0.0007" in en
    assert "&lt; 0,0001" in sv and "&lt; 0.0001" in en


def test_text_from_the_register_is_escaped(demo_police):
    area = load_area("Värnamo").to_crs(demo_police.crs)
    inside = Reports(demo_police[demo_police.within(area)])
    register = read_measures(DEMO / "atgarder.csv", crs=demo_police.crs, tz="Europe/Stockholm")
    ev = evaluate_stage(inside, register, EvaluateSettings(buffer_m=200)).evaluation.copy()
    ev.loc[ev.index[0], "name"] = "<script>alert(1)</script>"
    page = evaluation_html(ev, comparison="<b>x</b>", buffer_m=200, min_days=28, min_expected=10)
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>x</b>" not in page
