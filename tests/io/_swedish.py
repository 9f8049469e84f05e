"""A Swedish spreadsheet export with one bad line, and the check that the line is accounted for."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.io import read_reports

HEADER = "ärende;latitud;longitud;tidpunkt;brottstyp;beskrivning\n"
GOOD = "A1;57,1832;14,0478;2024-03-05 22:10;misshandel;bråk utanför krogen\n"


def swedish_csv(tmp_path: Path, lines: list[str], name: str = "export.csv") -> Path:
    """A Swedish spreadsheet export: Windows-1252, ';' separators, decimal commas."""
    path = tmp_path / name
    path.write_bytes((HEADER + GOOD + "".join(lines)).encode("cp1252"))
    return path


def only(rejects: pd.DataFrame, row: int) -> pd.Series:
    hit = rejects[rejects["row"] == row]
    assert len(hit) == 1, f"expected one entry for row {row}, got\n{rejects}"
    return hit.iloc[0]


def check_bad_row(
    tmp_path: Path, now: pd.Timestamp, area, line: str, field: str, reason: str, status: str
) -> None:
    """The bad line (row 3) is listed once with its field, reason and status; the good line is kept."""
    result = read_reports([swedish_csv(tmp_path, [line])], area=area, now=now)
    entry = only(result.rejects, 3)
    assert entry["field"] == field
    assert reason in entry["reason"]
    assert entry["status"] == status
    assert entry["file"].endswith("export.csv")
    kept = 2 if status == "warning" else 1
    assert len(result.reports) == kept
