"""A planted world for the insecurity comparison: one place of each class under a background of both kinds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.model import Reports, validate_reports
from tests.hotspots.conftest import make_reports

CELL_M = 250.0
X0, Y0 = 440000.0, 6336000.0
"""South-west corner of the 5 × 5 km world (a multiple of the cell side: cells are aligned)."""

PLANTED: dict[str, tuple[int, int]] = {
    "felt_not_recorded": (4, 15),
    "recorded_not_felt": (15, 4),
    "both": (10, 10),
}
"""Class -> the cell (column, row in the world) where it is planted."""

SMALL_CELL = (5, 5)
"""The cell with three extra felt reports: more than its neighbours, but not a finding."""


def cell_id(col: int, row: int) -> str:
    """The grid id of a world cell (:mod:`geo.grid`)."""
    return f"c{int(X0 // CELL_M) + col}_{int(Y0 // CELL_M) + row}"


def _around(rng: np.random.Generator, cell: tuple[int, int], n: int) -> tuple[np.ndarray, np.ndarray]:
    cx, cy = X0 + (cell[0] + 0.5) * CELL_M, Y0 + (cell[1] + 0.5) * CELL_M
    return cx + rng.uniform(-90, 90, n), cy + rng.uniform(-90, 90, n)


def planted_reports(seed: int = 17, *, felt_bg: int = 400, recorded_bg: int = 2000) -> Reports:
    """Build the world: uniform background of both kinds over 20 × 20 cells, and the planted places.

    Felt reports come from residents, safety walks and a partner (the partner's also about litter bins,
    which do not count); recorded crime from the police. The felt-not-recorded place gets 25 residents'
    reports, the recorded-not-felt place 60 police reports, the "both" place both, the small cell 3 extra
    residents' reports.
    """
    rng = np.random.default_rng(seed)
    parts: list[tuple[np.ndarray, np.ndarray, str, str]] = []
    side = 20 * CELL_M
    for n, source, category in (
        (felt_bg, "resident", "otrygg plats"),
        (recorded_bg, "police", "stöld"),
        (60, "partner", "tömning av papperskorg"),
    ):
        parts.append((X0 + rng.uniform(0, side, n), Y0 + rng.uniform(0, side, n), source, category))
    for cls, cell in PLANTED.items():
        if cls in {"felt_not_recorded", "both"}:
            x, y = _around(rng, cell, 25)
            parts.append((x[:15], y[:15], "resident", "mörkt"))
            parts.append((x[15:20], y[15:20], "safety_walk", "skymd sikt"))
            parts.append((x[20:], y[20:], "partner", "otrygg passage"))
        if cls in {"recorded_not_felt", "both"}:
            x, y = _around(rng, cell, 60)
            parts.append((x, y, "police", "misshandel"))
    x, y = _around(rng, SMALL_CELL, 3)
    parts.append((x, y, "resident", "mörkt"))
    xs = np.concatenate([p[0] for p in parts])
    ys = np.concatenate([p[1] for p in parts])
    sources = np.concatenate([[p[2]] * len(p[0]) for p in parts])
    cats = np.concatenate([[p[3]] * len(p[0]) for p in parts])
    days = pd.to_timedelta(rng.integers(0, 300, len(xs)), unit="D")
    times = pd.Timestamp("2025-04-01 20:00") + days  # always 20:00, never in a daylight-saving gap
    reports = make_reports(xs, ys, pd.DatetimeIndex(times), categories=cats)
    reports["source"] = pd.array(sources, dtype="string")
    return validate_reports(reports)


@pytest.fixture(scope="session")
def planted() -> Reports:
    """The planted world (seed 17)."""
    return planted_reports()
