"""geo.io.values: category, ids and the other value columns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.io.area import load_area
from tests.io._swedish import check_bad_row


@pytest.fixture(scope="module")
def varnamo():
    return load_area("Värnamo")


@pytest.mark.parametrize(
    ("line", "field", "reason", "status"),
    [
        ("B;57,18;14,05;2024-03-05 22:10;  ;\n", "brottstyp", "empty category", "rejected"),
        ("A1;57,18;14,05;2024-03-05 22:10;stöld;\n", "ärende", "repeated id (first at row 2)", "rejected"),
    ],
    ids=["empty-category", "repeated-id"],
)
def test_bad_row_reported(
    tmp_path: Path, now: pd.Timestamp, varnamo, line: str, field: str, reason: str, status: str
) -> None:
    check_bad_row(tmp_path, now, varnamo, line, field, reason, status)
