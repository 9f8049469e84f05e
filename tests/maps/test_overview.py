"""The county overview page (overview.html) from its templates: both languages, Babel numbers, safe HTML."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.maps.overview import overview_html
from tests.language import assert_one_language

SV_MARKERS = (
    "översikt", "rapporter", "perioden", "områden", "kommuner", "utanför", "urvalet", "färgen", "klicka",
    "kommun", "karta", "ändrats", "nya", "kvarstår", "upphört", "förslag", "åtgärder", "misslyckades",
)  # fmt: skip
EN_MARKERS = (
    "overview",
    "reports",
    "period",
    "areas",
    "municipalities",
    "selection",
    "colour",
    "click",
    "municipality",
    "map",
    "changed",
    "new",
    "continuing",
    "ended",
    "proposals",
    "measures",
    "failed",
)  # fmt: skip  (not "outside": outside.csv is a file name in both)


def _table() -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    table = pd.DataFrame(
        {
            "code": ["0680", "0683"],
            "name": ["Jönköping", "Värnamo <script>alert(1)</script>"],
            "status": ["ok", "failed"],
            "error": ["", "disk full"],
            "reports": [12_345, 1],
            "hotspots": [3, 0],
            "new": [1, 0],
            "continuing": [2, 0],
            "ended": [0, 0],
            "proposals": [7, 0],
            "measures": [1, 0],
            "verdict_decrease": [1, 0],
            "verdict_increase": [0, 0],
            "verdict_no_clear_effect": [0, 0],
            "verdict_too_early": [0, 0],
            "reports_per_km2": [8.7654, 0.0012],
            "reports_per_1000": [91.5, float("nan")],
            "map": ["0680-jonkoping/lagesbild.html", ""],
        }
    )
    areas = gpd.GeoDataFrame(
        {"code": ["0680", "0683"]},
        geometry=[box(14.0, 57.6, 14.4, 57.9), box(13.9, 57.1, 14.3, 57.4)],
        crs=4326,
    )
    return table, areas


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    table, areas = _table()
    return {
        lang: overview_html(
            table,
            areas,
            title="Jönköpings län",
            outside={"elsewhere": 7, "nowhere": 1500},
            demo=True,
            lang=lang,
        )
        for lang in ("sv", "en")
    }


@pytest.mark.parametrize(
    ("lang", "own", "other"), [("sv", SV_MARKERS, EN_MARKERS), ("en", EN_MARKERS, SV_MARKERS)]
)
def test_each_language_has_no_words_of_the_other(pages, lang, own, other):
    page = re.sub(r"<script.*?</script>", " ", pages[lang], flags=re.S)  # the map's code and data
    assert_one_language(page, own, other)


def _popups(page: str) -> list[str]:
    """The areas' popups as the map gets them (JSON strings in the page's data)."""
    return [json.loads(m) for m in re.findall(r'"_p":\s*("(?:[^"\\]|\\.)*")', page)]


def test_popups_are_html_in_the_language(pages):
    sv, en = _popups(pages["sv"]), _popups(pages["en"])
    assert "<b>Jönköping</b> (0680)" in sv[0] and "Rapporter: 12\xa0345" in sv[0]
    assert "Reports: 12,345" in en[0] and "Open the municipality's map" in en[0]
    assert '<a href="0680-jonkoping/lagesbild.html">Öppna kommunens karta</a>' in sv[0]
    assert "<b>Misslyckades:</b> disk full" in sv[1] and "&lt;script&gt;" in sv[1]


def test_numbers_and_plural_forms(pages):
    sv, en = pages["sv"], pages["en"]
    assert "12\xa0346 rapporter i perioden i 2 områden; 7 i kommuner utanför urvalet och 1\xa0500 utan" in sv
    assert (
        "12,346 reports in the period in 2 areas; 7 in municipalities outside the selection and 1,500" in en
    )
    assert "1 område misslyckades" in sv and "1 area failed" in en
    assert "<td>8,77</td>" in sv and "<td>8.77</td>" in en and "<td>–</td>" in sv
    assert "Rapporter per km² (femtedelar)" in sv and "Reports per km² (fifths)" in en  # the map's legend
    assert "Municipalities" in en and "Kommuner" not in en


def test_names_from_the_input_never_become_markup(pages):
    for page in pages.values():
        assert "<script>alert(1)</script>" not in page
