"""The weekly summary page: Jinja2 templates, both languages without words of the other, Babel numbers,
plain-language patrol figures, and one A4 landscape page in Chromium's print (with the run's PDF writer).
"""

from __future__ import annotations

import dataclasses
import io
import re

import geopandas as gpd
import pandas as pd
import pytest

from geo.maps.prepare import prepare_layers
from geo.maps.summary import SECTIONS, summary_html
from geo.rhythm.areas import area_lines
from geo.rhythm.changes import since_last_lines
from tests.language import assert_one_language

SV_MARKERS = (
    "rapporter", "händelser", "besök", "förväntade", "veckans", "veckosammanfattning", "förslag",
    "hastighetskontroller", "mörker", "åtgärd", "skapad", "källor", "bestående", "dagar", "ungefär",
    "tidigare", "invånare", "inga", "och",
)  # fmt: skip
EN_MARKERS = (
    "reports", "incidents", "visits", "expected", "week", "weekly", "proposals", "speed", "darkness",
    "measure", "generated", "sources", "persistent", "days", "about", "earlier", "residents", "and",
)  # fmt: skip

ENFORCEMENT = pd.DataFrame(
    {
        "rank": [1, 2],
        "street": ["Jönköpingsvägen", "Södra Ringvägen"],
        "weekdays": ["lör–sön", "mån–fre"],
        "start": ["22:00", "00:00"],
        "end": ["00:00", "02:00"],
        "share_over_limit": [0.9667, 0.137],
    }
)
MEASURES = gpd.GeoDataFrame(
    {
        "measure_id": ["A1", "A2"],
        "kind": ["röjning/skötsel", "kamera"],
        "name": ["Röjning vid Bredasten", ""],
        "status": ["genomförd", "föreslagen"],
        "focus": ["trygghet", ""],
        "verdict": ["decrease", ""],
        "effect": ["−40 % (−55 till −19 %) jämfört med övriga Värnamo", ""],
        "effect_en": ["−40 % (−55 to −19 %) compared with the rest of Värnamo", ""],
    },
    geometry=gpd.points_from_xy([0, 1], [0, 1]),
    crs="EPSG:3006",
)
AREAS = pd.DataFrame(
    {
        "area": ["Centrum"],
        "n_reports": [12],
        "n_previous": [9],
        "change_pct": [33.3],
        "n_residents": [3],
        "dark_share": [0.41],
        "caveat": [""],
    }
)


@pytest.fixture(scope="module")
def layers(demo_reports, demo_inputs, demo_streets):
    from geo.stages.insecurity import insecurity_stage

    layers = prepare_layers(demo_reports, demo_inputs)
    insecurity = insecurity_stage(demo_reports, streets=demo_streets).cells
    layers.frames.update(enforcement=ENFORCEMENT, measures=MEASURES, insecurity=insecurity)
    return layers


@pytest.fixture(scope="module")
def pages(layers, demo_reports, demo_streets) -> dict[str, str]:
    """The demo summary in both languages, every section filled (peak windows found in each language)."""
    from geo.hotspots import find_hotspots

    police = demo_reports[demo_reports["source"] == "police"]
    out = {}
    for lang in ("sv", "en"):
        hs = find_hotspots(police, method="dbscan", eps_m=75, min_samples=30, streets=demo_streets, lang=lang)
        lay = dataclasses.replace(layers, frames={**layers.frames, "hotspots": hs})
        lay.since_last = since_last_lines(None, None, previous_period=None, lang=lang)
        lay.area_lines = area_lines(AREAS, lang=lang)
        lay.period = "2026-10-26 – 2026-11-01"
        out[lang] = summary_html(
            lay, title="Värnamo", lang=lang, demo=True, generated_at=pd.Timestamp("2026-11-02 07:30")
        )
    return out


def test_every_section_is_on_the_page(pages):
    for lang, page in pages.items():
        for section in SECTIONS:
            name = section.template.split("/")[-1].removesuffix(".html")
            assert f'<section id="{name}">' in page, (lang, name)
        assert 'id="since-last"' in page and 'id="priority-areas"' in page


@pytest.mark.parametrize(("lang", "other"), [("sv", EN_MARKERS), ("en", SV_MARKERS)])
def test_each_language_has_no_words_of_the_other(pages, lang, other):
    assert_one_language(pages[lang], SV_MARKERS if lang == "sv" else EN_MARKERS, other)


def test_numbers_and_shares_follow_the_language(pages):
    sv, en = (re.sub(r'src="data:[^"]*"', "", p) for p in (pages["sv"], pages["en"]))
    assert "13,7\xa0%" in sv and "13.7%" in en  # the largest hot-spot's share
    assert "97\xa0%" in sv and "14\xa0%" in sv  # speed checks: whole percentages
    assert not re.search(r"\d\.\d+\s?%", sv), "Swedish decimals use a comma"
    assert not re.search(r"\d,\d+\s?%", en), "English decimals use a point"
    assert "97%" in en and "14%" in en
    assert "2 nov. 2026 07:30" in sv and "2 Nov 2026 07:30" in en


def test_patrol_is_said_in_plain_figures(pages, demo_extras):
    plan = demo_extras["patrol"]
    days = (plan.history_end - plan.history_start).total_seconds() / 86_400
    week = round(plan.n_history * 7 / days)
    covered = round(plan.expected_share * plan.n_history * 7 / days)
    assert f"ungefär {covered} av veckans {week} förväntade händelser" in pages["sv"]
    assert f"about {covered} of the week&#39;s {week} expected incidents" in pages["en"]
    assert "0.0 %" not in pages["sv"] and "0,0 %" not in pages["sv"]


def test_plural_forms(pages):
    assert "1 händelse i mörker" in pages["sv"] and "1 incident in darkness" in pages["en"]
    assert "1 brott/händelser" not in pages["sv"]


def test_page_text_is_escaped(layers):
    hs = layers.frames["hotspots"].copy()
    hs.loc[hs.index[0], "label"] = "<script>alert(1)</script>"
    page = summary_html(dataclasses.replace(layers, frames={**layers.frames, "hotspots": hs}), map_png=b"x")
    assert "<script>" not in page and "&lt;script&gt;" in page


@pytest.mark.browser
def test_prints_on_one_a4_landscape_page_not_cut_at_the_right(pages, tmp_path):
    from pypdf import PdfReader

    from geo.io.outputs.summary_pdf import print_pdf
    from geo.maps.browser import chromium_path, launch
    from tests.maps.conftest import ci

    if chromium_path() is None:
        if ci():
            pytest.fail("Chromium is missing")
        pytest.skip("Chromium is missing")
    for lang, page in pages.items():
        html = tmp_path / f"summary-{lang}.html"
        html.write_text(page, encoding="utf-8")
        pdf = print_pdf(html, tmp_path / f"summary-{lang}.pdf")
        assert len(PdfReader(io.BytesIO(pdf.read_bytes())).pages) == 1, lang
    with launch() as browser:
        tab = browser.new_page(viewport={"width": 1123, "height": 794})  # A4 landscape at 96 dpi
        tab.goto((tmp_path / "summary-sv.html").as_uri())
        tab.emulate_media(media="print")
        width = tab.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1123
