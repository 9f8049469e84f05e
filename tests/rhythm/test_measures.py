"""Measures in the run store: which changed status or measured effect since the last lägesbild."""

from __future__ import annotations

import pandas as pd

from geo.rhythm.measures import measure_records, measure_status_lines


def _rec(mid, status, verdict="", name=None):
    return {"measure_id": mid, "name": name or mid, "kind": "lighting", "status": status, "verdict": verdict}


def test_records_from_the_map_frame():
    frame = pd.DataFrame([{**_rec("M1", "pågår"), "verdict": None, "effect": "x"}])
    assert measure_records(frame) == [_rec("M1", "pågår")]
    assert measure_records(None) == []


def test_status_and_verdict_changes_are_named():
    before = [_rec("M1", "beslutad", name="Belysning Parkstigen"), _rec("M2", "genomförd", "too_early")]
    now = [
        _rec("M1", "genomförd", name="Belysning Parkstigen"),
        _rec("M2", "genomförd", "decrease"),
        _rec("M3", "föreslagen"),
    ]
    (line,) = measure_status_lines(now, before)
    assert line.startswith("Åtgärder som ändrats (3): ")
    assert "Belysning Parkstigen: beslutad → genomförd" in line
    assert "M2: för tidigt att säga → minskning" in line
    assert "M3 ny i registret (föreslagen)" in line


def test_nothing_changed_or_nothing_to_compare():
    same = [_rec("M1", "pågår", "no_clear_effect")]
    assert measure_status_lines(same, same) == []
    assert measure_status_lines(same, None) == []
