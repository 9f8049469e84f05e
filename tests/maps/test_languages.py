"""The maps in the chosen language: the internal and the public map of the demo, in Swedish and in English,
hold no words of the other language (the summary page's test words, tests/maps/test_summary.py).
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from geo.maps.draw import draw_map, render_html
from geo.maps.prepare import prepare_layers
from tests.language import visible_words
from tests.maps.test_summary import EN_MARKERS, SV_MARKERS

STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
CODE = re.compile(r"'\s*\+|\+\s*'")
"""Script code caught between two double quotes (string concatenation), not a text."""


def map_texts(page: str, *, data: set[str]) -> list[str]:
    """The texts a reader of the map can see: the page's HTML and the strings of its own scripts (names,
    legends, popups, tooltips), without the inlined libraries' code, identifiers and `data` (the reports'
    own texts, which stay as written).
    """
    own = "\n".join(line for line in page.splitlines() if not line.lstrip().startswith("!function"))
    texts = []
    for raw in STRING.findall(own):
        try:
            text = json.loads(f'"{raw}"')
        except json.JSONDecodeError:
            continue
        if text not in data and (" " in text or not text.isascii()) and not CODE.search(text):
            texts.append(text)
    return texts


@pytest.fixture(scope="module")
def maps(demo_extras, demo_reports, demo_streets) -> dict[tuple[str, str], str]:
    """The demo's internal and public map in both languages (hot-spots and lighting plan in each language)."""
    from geo.hotspots import find_hotspots
    from geo.io.lamps import read_lighting_sources
    from geo.stages.hotspots import HotspotResult, HotspotSettings
    from geo.stages.lighting import LightingSettings, lighting_stage
    from geo.stages.maps import MapInputs
    from geo.stages.patrol import PatrolResult, PatrolSettings
    from tests.conftest import DEMO

    lamps, ways, _ = read_lighting_sources(
        DEMO / "belysning.geojson", DEMO / "gator.geojson", crs=demo_reports.crs
    )
    police = demo_reports[demo_reports["source"] == "police"]
    out = {}
    for lang in ("sv", "en"):
        hs = find_hotspots(police, method="dbscan", eps_m=75, min_samples=30, streets=demo_streets, lang=lang)
        inputs = MapInputs.from_results(
            hotspots=HotspotResult(settings=HotspotSettings(), hotspots=hs),
            lighting=lighting_stage(demo_reports, lamps, ways, LightingSettings(budget=10), lang=lang),
            patrol=PatrolResult(settings=PatrolSettings(), plan=demo_extras["patrol"], places=hs),
        )
        internal = prepare_layers(demo_reports, inputs, lang=lang)
        public = prepare_layers(demo_reports, MapInputs(hotspots=hs), public=True, k=5, lang=lang)
        for kind, lay in (("internal", internal), ("public", public)):
            m = draw_map(lay, lang=lang, demo=True, generated_at=pd.Timestamp("2026-11-02 07:30"))
            out[(lang, kind)] = render_html(m)
    return out


@pytest.fixture(scope="module")
def data_texts(demo_reports) -> set[str]:
    return {str(v) for col in ("description", "category") for v in demo_reports[col].dropna().unique()}


@pytest.mark.parametrize("kind", ["internal", "public"])
@pytest.mark.parametrize(("lang", "other"), [("sv", EN_MARKERS), ("en", SV_MARKERS)])
def test_each_map_has_no_words_of_the_other_language(maps, data_texts, kind, lang, other):
    texts = map_texts(maps[(lang, kind)], data=data_texts)
    words = set(visible_words(" ".join(texts)))
    own = SV_MARKERS if lang == "sv" else EN_MARKERS
    assert len(words & set(own)) >= 5, sorted(words & set(own))  # the map really is in its language
    leaks = [t[:120] for t in texts if set(visible_words(t)) & set(other)]
    assert not leaks, leaks[:10]
