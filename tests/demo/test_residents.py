"""Residents' reports: in time order, in the last two years, dark-place reports on the dark stretches."""

from __future__ import annotations

import pandas as pd

from geo.demo.period import YEAR_STARTS
from geo.demo.residents import RESIDENT_TEXT


def test_residents_reports(world):
    r = world.residents
    assert len(r) == 380 and r["report_id"].is_unique
    assert r["start"].is_monotonic_increasing
    assert (r["start"] >= pd.Timestamp(YEAR_STARTS[1])).all()
    assert set(r["category"]) <= set(RESIDENT_TEXT)
    assert all(d in RESIDENT_TEXT[c] for c, d in zip(r["category"], r["description"], strict=True))
    dark = r[r["kind"] == "dark"]
    assert set(dark["category"]) <= {"mörkt", "trasig belysning", "otrygg passage"}
    assert (r.loc[r["kind"] == "speed", "category"] == "hög hastighet").all()
