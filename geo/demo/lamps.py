"""Street lamps of the demo town and the planted dark stretches (two unlit paths, one with broken lamps)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from geo.demo.network import Segment

__all__ = ["dark_segments", "street_lamps"]


def dark_segments(segs: list[Segment]) -> dict[str, list[Segment]]:
    """Return the planted dark stretches: the unlit park and station paths and a broken-lamp stretch."""
    broken = [s for s in segs if s.street.key == "lonngatan" and -520 <= s.line.centroid.x <= 220]
    return {
        "unlit_park_path": [s for s in segs if s.street.key == "parkstigen"],
        "unlit_station_path": [s for s in segs if s.street.key == "stationsstigen"],
        "broken_lamps": broken,
    }


def _lamp_position(seg: Segment, d: float) -> tuple[float, float]:
    """Return a lamp `d` metres along the segment, six metres to the left of the way."""
    p = seg.line.interpolate(d)
    q = seg.line.interpolate(min(seg.line.length, d + 1.0))
    r = seg.line.interpolate(max(0.0, d - 1.0))
    dx, dy = q.x - r.x, q.y - r.y
    norm = math.hypot(dx, dy) or 1.0
    return p.x - dy / norm * 6.0, p.y + dx / norm * 6.0


def street_lamps(rng: np.random.Generator, segs: list[Segment], broken_ids: set[str]) -> pd.DataFrame:
    """Return a lamp every 33–40 m along lit streets, with ``status`` ok, broken or part_night.

    Lamps on the segments in `broken_ids` are all broken; every seventh lamp on a secondary road burns
    only part of the night; one per cent of the rest are broken.
    """
    rows: list[dict[str, Any]] = []
    for seg in segs:
        st = seg.street
        if st.lit != "yes":
            continue
        spacing = 40.0 if st.highway in {"primary", "secondary"} else 33.0
        n = max(1, int(seg.line.length // spacing))
        for k in range(n):
            ex, ny = _lamp_position(seg, (k + 0.5) * seg.line.length / n)
            if seg.segment_id in broken_ids:
                status = "broken"
            elif st.highway == "secondary" and len(rows) % 7 == 0:
                status = "part_night"
            else:
                status = "broken" if rng.random() < 0.01 else "ok"
            rows.append(
                {"ex": ex, "ny": ny, "status": status, "street": st.name, "segment_id": seg.segment_id}
            )
    frame = pd.DataFrame(rows)
    frame.insert(0, "lamp_id", [f"L{i + 1:05d}" for i in range(len(frame))])
    return frame
