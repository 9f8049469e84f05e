"""Planted near-repeat data: uniform burglaries, with or without chains of repeats close in space and time."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.model import Reports
from tests.hotspots.conftest import make_reports

X0, Y0 = 440000.0, 6336000.0
"""South-west corner of the planted town (SWEREF 99 TM, near Värnamo)."""


def planted_burglaries(*, chains: int, n_background: int = 600, seed: int = 7) -> Reports:
    """Uniform burglaries over 5 × 5 km and one year, plus `chains` chains of 4 within 150 m and 10 days.

    A chain starts at a uniform place and time; each of its 3 followers lies within 150 m of the start and
    1–10 days after it.
    """
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-01-01")
    x = list(rng.uniform(0, 5000, n_background))
    y = list(rng.uniform(0, 5000, n_background))
    t = list(rng.uniform(0, 365, n_background))
    for _ in range(chains):
        cx, cy, ct = rng.uniform(200, 4800), rng.uniform(200, 4800), rng.uniform(0, 350)
        x.append(cx)
        y.append(cy)
        t.append(ct)
        for _ in range(3):
            r, a = 150 * np.sqrt(rng.uniform()), rng.uniform(0, 2 * np.pi)
            x.append(cx + r * np.cos(a))
            y.append(cy + r * np.sin(a))
            t.append(ct + rng.uniform(1, 10))
    times = start + pd.to_timedelta(np.asarray(t) * 86400, unit="s").round("min")
    return make_reports(X0 + np.asarray(x), Y0 + np.asarray(y), times, categories=["bostadsinbrott"] * len(x))
