"""Helpers shared by the hot-spot tests."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd


def member_centres(hotspots: pd.DataFrame, reports: pd.DataFrame) -> np.ndarray:
    """Median position of each hot-spot's member reports, ``(k, 2)`` metres."""
    pos = pd.DataFrame(
        {"x": reports.geometry.x.to_numpy(), "y": reports.geometry.y.to_numpy()},
        index=reports["report_id"].astype(str).to_numpy(),
    )
    out = []
    for ids in hotspots["member_ids"]:
        sub = pos.loc[json.loads(ids)]
        out.append([float(sub["x"].median()), float(sub["y"].median())])
    return np.array(out).reshape(-1, 2)


def nearest(centres: np.ndarray, x: float, y: float) -> tuple[int, float]:
    """Index of and distance to the centre nearest (x, y)."""
    d = np.hypot(centres[:, 0] - x, centres[:, 1] - y)
    i = int(np.argmin(d))
    return i, float(d[i])
