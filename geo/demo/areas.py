"""The demo's priority area (prioriterat område): the town centre (Stortorget, Resecentrum, Stadsparken).

EST reviews its priority areas each quarter; the demo ships one so `geo run` writes ``areas.csv`` and
`geo history --area Centrum` has a series to draw.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from geo.demo.places import Proj

__all__ = ["PRIORITY_AREAS", "priority_areas"]

# name, file, outline in local metres (east, north) around the town centre, hot-spot ids inside
PRIORITY_AREAS: tuple[tuple[str, str, tuple[tuple[float, float], ...], tuple[str, ...]], ...] = (
    (
        "Centrum",
        "centrum.geojson",
        (
            (-700.0, -600.0),
            (250.0, -600.0),
            (650.0, -100.0),
            (650.0, 900.0),
            (-150.0, 900.0),
            (-700.0, 300.0),
        ),
        ("centrum", "resecentrum", "parken"),
    ),
)


def priority_areas(proj: Proj) -> list[dict[str, Any]]:
    """Return the demo's priority areas with their outlines in WGS84.

    Parameters
    ----------
    proj
        The demo's projection helper.

    Returns
    -------
    areas
        One dict an area: ``name``, ``file``, ``ring`` (closed list of ``[lon, lat]``) and ``hotspots``
        (ids of the planted hot-spots inside it).
    """
    out = []
    for name, file, outline, hotspot_ids in PRIORITY_AREAS:
        ex, ny = np.array([p[0] for p in outline]), np.array([p[1] for p in outline])
        lat, lon = proj.wgs(ex, ny)
        ring = [[round(float(a), 7), round(float(b), 7)] for a, b in zip(lon, lat, strict=True)]
        out.append({"name": name, "file": file, "ring": [*ring, ring[0]], "hotspots": list(hotspot_ids)})
    return out
