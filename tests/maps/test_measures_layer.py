"""The measures layer on the internal map and the summary page's "Åtgärder och uppföljning"."""

from __future__ import annotations

import pandas as pd

from geo.maps.measures_summary import measures_context
from geo.maps.prepare import MapLayers
from geo.measures.synth import PlantedPlace, planted_reports
from geo.stages.evaluate import EvaluateSettings, evaluate_stage
from geo.stages.maps import MapInputs, MapSettings, map_stage
from tests.measures._helpers import measures_for

A = PlantedPlace(440_000, 6_340_000, 150, per_day=1.5, start="2025-01-01", effect=-0.5)
B = PlantedPlace(444_000, 6_344_000, 150, per_day=1.0, start="2025-03-01")


def _result():
    reports = planted_reports([A, B], background_per_day=20, seed=21)
    measures = measures_for([A, B], status="pågår", focus="trygghet")
    measures.loc[1, "status"] = "föreslagen"
    return reports, evaluate_stage(reports, measures, EvaluateSettings())


def test_internal_map_draws_measures_and_the_summary_lists_them():
    reports, res = _result()
    inputs = MapInputs.from_results(measures=res)
    out = map_stage(reports, inputs, MapSettings(tiles="none"), public=False)
    assert "measures" in out.layers.frames and out.counts.get("measures") == 2
    assert "measures" in out.package
    assert "Åtgärder och uppföljning" in (out.summary_html or "")
    public = map_stage(reports, inputs, MapSettings(tiles="none"), public=True, summary=False)
    assert "measures" not in public.layers.frames


def test_section_counts_statuses_per_focus_and_gives_effects_in_words():
    _, res = _result()
    layers = MapLayers(frames={"measures": res.map_frame()})
    sv = measures_context(layers, lang="sv", top=8)
    assert sv is not None and sv["statuses"] == ["föreslagen", "pågår"]
    assert {"focus": "trygghet", "counts": ["1", "1"]} in sv["status_rows"]
    (effect,) = sv["effects"]  # the proposal is counted, not evaluated
    assert "jämfört med övriga området; ingen förflyttning till omgivningen" in effect["effect"]
    en = measures_context(layers, lang="en", top=8)
    assert en is not None and en["statuses"] == ["proposed", "ongoing"]
    assert (
        "compared with the rest of the area; no displacement to the surroundings"
        in en["effects"][0]["effect"]
    )
    assert isinstance(res.map_frame(), pd.DataFrame)
