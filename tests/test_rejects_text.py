"""Reject reasons in the user's language: every reader's wording has its Swedish form; English unchanged."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.rejects_text import localize_rejects, reason_text
from geo.time.parse import time_reasons

READERS = [
    "missing geometry",
    "missing coordinate",
    "cannot parse coordinate as a number",
    "coordinate out of range for degrees",
    "position outside the study area (Värnamo)",
    "place is not the study area (Värnamo); a municipality/county point is not placed in the area by "
    "position",
    "empty category",
    "repeated id (first at row 12)",
    "possible duplicate of row 5 (same place, time and category)",
    "time is in the future (after 2026-11-01 10:00)",
    "end time is before start time",
    *time_reasons("Europe/Stockholm").values(),
    *time_reasons("Europe/Stockholm", what="end time").values(),
    *time_reasons("Europe/Stockholm", what="time in the name").values(),
]
ENGLISH = {"missing", "cannot", "outside", "the", "time", "row", "after", "before", "is", "of", "a", "not"}


@pytest.mark.parametrize("reason", READERS)
def test_each_reason_in_swedish_and_english(reason):
    assert reason_text(reason, "en") == reason  # the catalogue's English is the reader's own wording
    sv = reason_text(reason, "sv")
    assert sv != reason
    words = set(sv.replace("(", " ").replace(")", " ").replace(";", " ").split())
    assert not words & ENGLISH, (sv, words & ENGLISH)


def test_unknown_reasons_are_kept_and_the_table_is_not_modified():
    table = pd.DataFrame({"reason": ["missing coordinate", "something new"], "row": [1, 2]})
    out = localize_rejects(table, "sv")
    assert list(out["reason"]) == ["koordinat saknas", "something new"]
    assert table.loc[0, "reason"] == "missing coordinate"
