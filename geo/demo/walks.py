"""Findings of three autumn safety walks (trygghetsvandringar), mostly on the planted dark stretches."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from geo.demo.network import PLACES, Segment
from geo.demo.places import Proj, along, disc
from geo.demo.residents import RESIDENT_TEXT

__all__ = ["WALK_DAYS", "safety_walks"]

WALK_DAYS = ((2024, dt.date(2024, 10, 16)), (2025, dt.date(2025, 10, 15)), (2026, dt.date(2026, 10, 14)))
"""(year, day) of each walk; findings are noted from 18:30 every six minutes."""

_FINDINGS_PER_WALK = 20


def _finding(
    rng: np.random.Generator, dark: dict[str, list[Segment]], *, on_dark: bool, group: str
) -> tuple[float, float, str]:
    """Return the position and category of a finding: on a dark stretch of `group` or at a central place."""
    if on_dark:
        lines = [s.line for s in dark[group]]
        (x,), (y,) = along(rng, 1, lines, jitter_m=6)
        cat = (
            "trasig belysning"
            if group == "broken_lamps"
            else str(rng.choice(np.array(["mörkt", "mörkt", "skymd sikt", "otrygg passage"])))
        )
    else:
        place = ["Stortorget", "Resecentrum", "Stadsparken"][int(rng.integers(0, 3))]
        (x,), (y,) = disc(rng, 1, PLACES[place], 150)
        cat = str(rng.choice(np.array(["otrygg passage", "nedskräpat", "skymd sikt"])))
    return x, y, cat


def safety_walks(rng: np.random.Generator, dark: dict[str, list[Segment]], proj: Proj) -> pd.DataFrame:
    """Return the walks' findings, ids ``V-001`` ..., with the walk's name in column ``walk``."""
    rows: list[dict[str, Any]] = []
    for year, day in WALK_DAYS:
        on_dark = rng.random(_FINDINGS_PER_WALK) < 0.7
        group = rng.choice(np.array(list(dark)), size=_FINDINGS_PER_WALK)
        for i in range(_FINDINGS_PER_WALK):
            x, y, cat = _finding(rng, dark, on_dark=bool(on_dark[i]), group=str(group[i]))
            t = dt.datetime.combine(day, dt.time(18, 30)) + dt.timedelta(minutes=6 * i)
            rows.append(
                {
                    "walk": f"Trygghetsvandring {year}",
                    "start": np.datetime64(t, "ns"),
                    "ex": x,
                    "ny": y,
                    "category": cat,
                    "description": RESIDENT_TEXT[cat][i % len(RESIDENT_TEXT[cat])],
                }
            )
    frame = pd.DataFrame(rows)
    frame["lat"], frame["lon"] = proj.wgs(frame["ex"].to_numpy(), frame["ny"].to_numpy())
    frame.insert(0, "report_id", [f"V-{i + 1:03d}" for i in range(len(frame))])
    return frame
