"""Which reports are felt insecurity and which are recorded crime (by source, and for some by category)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geo.model import Reports, point_reports
from geo.plan.lighting.words import contains_any

__all__ = ["TRAFFIC_WORDS", "UNSAFE_WORDS", "felt_reports", "recorded_reports"]

UNSAFE_WORDS: tuple[str, ...] = (
    "otrygg",
    "mörk",
    "mork",
    "belysning",
    "obelyst",
    "lampa",
    "lampor",
    "skymd",
    "sikt",
    "buskage",
    "stökig",
    "stokig",
    "nedskräp",
    "skräp",
    "ödslig",
    "öde plats",
    "narkotika",
    "hotfull",
    "rädd",
    "unsafe",
    "dark",
    "lighting",
    "rowdy",
    "litter",
    "deserted",
    "hidden",
)
"""Words in ``category`` that make a report one about an unsafe place (case-insensitive substrings)."""

TRAFFIC_WORDS: tuple[str, ...] = ("hastighet", "trafik", "fortkör", "speed", "traffic")
"""Words in ``category`` of reports about traffic: they belong to the speed layer, not to felt insecurity."""


def felt_reports(
    reports: Reports,
    *,
    sources: Sequence[str],
    category_sources: Sequence[str] = ("partner",),
    unsafe_words: Sequence[str] = UNSAFE_WORDS,
    traffic_words: Sequence[str] = TRAFFIC_WORDS,
) -> Reports:
    """Return the point reports of felt insecurity.

    Parameters
    ----------
    reports
        Validated reports; not modified.
    sources
        Sources whose reports are felt insecurity (``resident``, ``safety_walk``, ``partner``).
    category_sources
        Of `sources`, those whose reports count only when their category holds one of `unsafe_words`
        (a partner reports many things; only its reports of unsafe places are felt insecurity).
    unsafe_words
        See `category_sources`.
    traffic_words
        Reports whose category holds one of these are left out (speeding is the speed layer's matter).

    Returns
    -------
    felt
        The selected point reports, index reset.
    """
    pts = point_reports(reports)
    src = pts["source"].astype("string").fillna("")
    keep = src.isin(list(sources)).to_numpy(dtype=bool).copy()
    only_unsafe = src.isin(list(category_sources)).to_numpy(dtype=bool)
    if only_unsafe.any():
        keep &= ~only_unsafe | contains_any(pts["category"], unsafe_words)
    if traffic_words:
        keep &= ~contains_any(pts["category"], traffic_words)
    return Reports(pts.loc[keep].reset_index(drop=True))


def recorded_reports(reports: Reports, *, sources: Sequence[str]) -> Reports:
    """Return the point reports of recorded crime: those of `sources` (``police``), index reset."""
    pts = point_reports(reports)
    keep = pts["source"].astype("string").fillna("").isin(list(sources)).to_numpy(dtype=bool)
    return Reports(pts.loc[keep].reset_index(drop=True))


def source_counts(reports: pd.DataFrame) -> dict[str, int]:
    """Return reports per source, largest first (for notes)."""
    counts = reports["source"].astype("string").fillna("?").value_counts()
    return {str(k): int(v) for k, v in counts.items() if np.isfinite(v)}
