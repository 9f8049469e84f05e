"""The public version of the hot-spots: generalised areas with counts, mixes and charts coarsened below ``k``.

A hot-spot of at least ``k`` incidents is replaced by the grid cells it touches; its label loses house
numbers (and is dropped when it repeats a report's free text), its category mix keeps only categories with
at least ``k`` incidents, and its hour × weekday profile becomes three-hour blocks with blocks under ``k``
blanked. No report coordinate, id, time or free text enters a public frame.
"""

from __future__ import annotations

import json
import re
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.i18n import gettext
from geo.maps.aggregate import cells_covering
from geo.maps.svg import block_profile

__all__ = ["public_hotspots", "public_label", "public_mix", "public_profile"]

_HOUSE_NUMBER = re.compile(r"(?<=[^\W\d_])\s+\d+\s*[A-Za-z]?\b")


def public_label(label: Any, descriptions: set[str]) -> str | None:
    """Make a hot-spot label fit for the public page.

    House numbers are removed (``"Finkvägen 24, Värnamo"`` → ``"Finkvägen, Värnamo"``: an address names a
    home), and a label that repeats a report's free text is dropped.

    Parameters
    ----------
    label
        The hot-spot's label.
    descriptions
        The reports' free texts, case-folded.
    """
    if label is None or pd.isna(label):
        return None
    s = _HOUSE_NUMBER.sub("", str(label)).strip()
    if not s:
        return None
    low = s.casefold()
    for d in descriptions:
        if d and (d in low or low in d):
            return None
    return s


def public_mix(value: Any, k: int, lang: str) -> str:
    """Return a category mix (JSON or mapping) with categories under `k` merged into "other" (if >= `k`)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "{}"
    mix = json.loads(value) if isinstance(value, str) else dict(value)
    out: dict[str, float] = {}
    rest = 0.0
    for c, v in sorted(mix.items(), key=lambda kv: -float(kv[1])):
        if float(v) >= k:
            out[str(c)] = float(v)
        else:
            rest += float(v)
    if rest >= k:
        out[gettext("övrigt", lang)] = rest
    return json.dumps(out, ensure_ascii=False)


def public_profile(value: Any, k: int) -> str | None:
    """Return a 168-hour profile as 56 three-hour blocks (JSON), blocks with 0 < count < `k` set to -1."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    arr = np.asarray(json.loads(value) if isinstance(value, str) else value, dtype=float)
    if arr.shape != (168,):
        return None
    blocks = block_profile(arr, block_h=3)
    blocks = np.where((blocks > 0) & (blocks < k), -1.0, np.round(blocks, 1))
    return json.dumps(blocks.ravel().tolist())


def _descriptions(reports: pd.DataFrame | None) -> set[str]:
    if reports is None or "description" not in reports.columns:
        return set()
    return {str(d).strip().casefold() for d in reports["description"].dropna() if len(str(d).strip()) >= 4}


def public_hotspots(
    hotspots: gpd.GeoDataFrame, reports: pd.DataFrame | None, *, k: int, cell_m: float, lang: str
) -> gpd.GeoDataFrame:
    """Return the public version of `hotspots`: those with at least `k` reports, generalised.

    Parameters
    ----------
    hotspots
        Hot-spots in a metric CRS.
    reports
        The reports (their free texts must not reappear as labels), or ``None``.
    k
        Smallest count published.
    cell_m
        Grid cell side in metres: each area becomes the grid cells it touches.
    lang
        Language (for the category mix's "other").
    """
    descs = _descriptions(reports)
    keep = hotspots[pd.to_numeric(hotspots["n_reports"]) >= k]
    rows = []
    for _, r in keep.iterrows():
        rows.append(
            {
                "hotspot_id": str(r["hotspot_id"]),
                "label": public_label(r.get("label"), descs),
                "n_reports": int(r["n_reports"]),
                "share": float(r["share"]) if "share" in r.index and pd.notna(r["share"]) else np.nan,
                "category_mix": public_mix(r.get("category_mix"), k, lang),
                "peak_windows": r.get("peak_windows"),
                "trend": r.get("trend"),
                "profile_3h": public_profile(r.get("profile"), k),
                "geometry": cells_covering(r.geometry, cell_m=cell_m),
            }
        )
    if not rows:
        return gpd.GeoDataFrame({"hotspot_id": [], "n_reports": []}, geometry=[], crs=hotspots.crs)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=hotspots.crs)
