"""geo.io.rejects: the rejection table and the raw table whose rows it accounts for."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.io.rejects import RawTable
from geo.rejects import REJECT_COLUMNS, RejectLog


def table() -> RawTable:
    raw = pd.DataFrame({"x": ["1", "", "b", "4"]})
    return RawTable(
        raw=raw, rows=np.array([2, 3, 4, 5]), cols={}, log=RejectLog("f.csv"), keep=np.ones(4, bool)
    )


def test_reject_drops_only_accepted_rows_once() -> None:
    t = table()
    hit = t.reject(np.array([False, True, True, False]), field="x", reason="bad", value=t.raw["x"])
    assert list(hit) == [False, True, True, False]
    again = t.reject(np.array([False, True, False, False]), field="x", reason="still bad")
    assert not again.any()  # already rejected: listed once
    frame = t.log.frame()
    assert list(frame.columns) == REJECT_COLUMNS
    assert list(frame["row"]) == [3, 4] and list(frame["value"]) == ["", "b"]
    assert (frame["status"] == "rejected").all() and (frame["file"] == "f.csv").all()
    assert list(t.keep) == [True, False, False, True]


def test_warn_keeps_rows() -> None:
    t = table()
    t.warn(np.array([True, False, False, True]), field="x", reason="odd", value=t.raw["x"])
    assert t.keep.all()
    frame = t.log.frame()
    assert list(frame["row"]) == [2, 5] and (frame["status"] == "warning").all()
    assert t.file == "f.csv"


def test_empty_log_has_the_columns() -> None:
    frame = RejectLog("f.csv").frame()
    assert list(frame.columns) == REJECT_COLUMNS and frame.empty
