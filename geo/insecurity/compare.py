"""Felt insecurity against recorded crime on one set of units: counts, expected counts, tests, classes.

The test: in each unit the count of a kind is compared with what the study area's overall rate of that kind
predicts, ``expected = N × exposure / total exposure`` (exposure: the unit's area in square metres, or its
population when the user's areas give one), by the one-sided Poisson tail ``p = P(X ≥ observed)``. The
p-values of all units are adjusted with Benjamini–Hochberg (false discovery rate `alpha`), so that among
hundreds of cells the findings are not chance; a unit is high for a kind when its adjusted p is below
`alpha` and it holds at least `min_count` reports of that kind, so a cell with two reports is never a finding.
Without user areas the study area is the cells where any report of either kind lies (inside `area`): an empty
forest would otherwise make every town cell look high.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.stats import false_discovery_control, poisson
from shapely.geometry.base import BaseGeometry

from geo.insecurity.classes import class_sentence
from geo.insecurity.units import Units, area_units, grid_units

__all__ = ["CONTRACT_COLUMNS", "OUTPUT_COLUMNS", "classify", "compare_surfaces", "poisson_test"]

CONTRACT_COLUMNS: tuple[str, ...] = (
    "lat",
    "lon",
    "felt",
    "recorded",
    "felt_expected",
    "recorded_expected",
    "felt_p",
    "recorded_p",
    "class",
)
"""The columns the command-line contract names, after the id (``cell_id`` or ``area_id``)."""

OUTPUT_COLUMNS: tuple[str, ...] = (
    *CONTRACT_COLUMNS,
    "sentence",
    "sentence_en",
    "felt_p_raw",
    "recorded_p_raw",
    "felt_ratio",
    "recorded_ratio",
    "exposure",
)
"""Columns after the unit id (``cell_id`` or ``area_id``), in the order the CSV has them."""


def poisson_test(counts: np.ndarray, expected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the one-sided Poisson p-values ``P(X ≥ count)`` and their Benjamini–Hochberg adjustment.

    Parameters
    ----------
    counts
        Observed counts (>= 0).
    expected
        Expected counts (> 0; a unit with 0 expected gets p = 1).
    """
    counts = np.asarray(counts, dtype="float64")
    expected = np.asarray(expected, dtype="float64")
    p = np.ones(len(counts))
    ok = (expected > 0) & (counts > 0)
    p[ok] = poisson.sf(counts[ok] - 1, expected[ok])
    q = false_discovery_control(p, method="bh") if len(p) else p
    return p, np.minimum(np.asarray(q, dtype="float64"), 1.0)


def classify(felt_high: np.ndarray, recorded_high: np.ndarray) -> np.ndarray:
    """Return ``both``, ``felt_not_recorded``, ``recorded_not_felt`` or ``neither`` per unit."""
    return np.select(
        [felt_high & recorded_high, felt_high, recorded_high],
        ["both", "felt_not_recorded", "recorded_not_felt"],
        "neither",
    ).astype(object)


def _expected(counts: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    total = float(exposure.sum())
    if total <= 0:
        return np.zeros(len(counts))
    return counts.sum() * exposure / total


def _centroids_wgs84(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    if len(frame) == 0 or frame.crs is None:
        return np.zeros(len(frame)), np.zeros(len(frame))
    cent = frame.geometry.centroid.to_crs("EPSG:4326")
    return np.round(cent.y.to_numpy(), 6), np.round(cent.x.to_numpy(), 6)


def compare_surfaces(
    felt: gpd.GeoDataFrame,
    recorded: gpd.GeoDataFrame,
    *,
    cell_m: float = 250.0,
    areas: gpd.GeoDataFrame | None = None,
    area: BaseGeometry | None = None,
    alpha: float = 0.05,
    min_count: int = 5,
) -> gpd.GeoDataFrame:
    """Count both kinds per unit, test each against the study area's rate, and class every unit.

    Parameters
    ----------
    felt
        Point reports of felt insecurity (:func:`geo.insecurity.select.felt_reports`), metric CRS.
    recorded
        Point reports of recorded crime, the same CRS. Neither frame is modified.
    cell_m
        Side of the square cells in metres (ignored with `areas`).
    areas
        User areas (polygons in the same CRS, e.g. SCB's DeSO): the units instead of cells; every area is a
        unit, with or without reports.
    area
        Study polygon (cells only): reports outside are left out and edge cells are clipped to it.
    alpha
        False discovery rate of the Benjamini–Hochberg adjustment; a kind is high in a unit when the
        adjusted p-value is below it.
    min_count
        Fewest reports of a kind for a unit to be high for it (guards against tiny expected counts).

    Returns
    -------
    units
        One row a unit: ``cell_id`` (or ``area_id``), then :data:`OUTPUT_COLUMNS`, ``geometry`` (polygons in
        the reports' CRS). ``felt_p``/``recorded_p`` are the Benjamini–Hochberg adjusted p-values (the ones
        compared with `alpha`), ``*_p_raw`` the unadjusted Poisson tails. ``attrs`` holds ``units``,
        ``exposure``, ``outside``, ``n_felt`` and ``n_recorded``.

    Raises
    ------
    ValueError
        If `cell_m`, `alpha` or `min_count` is out of range, or the areas are unusable.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    if min_count < 1:
        raise ValueError(f"min_count must be >= 1, got {min_count}")
    units: Units = (
        area_units(areas) if areas is not None else grid_units([felt, recorded], cell_m=cell_m, area=area)
    )
    frame = units.frame
    f = units.count(felt, kind="felt")
    r = units.count(recorded, kind="recorded")
    exposure = frame["exposure"].to_numpy(dtype="float64")
    fe, re_ = _expected(f, exposure), _expected(r, exposure)
    fp_raw, fp = poisson_test(f, fe)
    rp_raw, rp = poisson_test(r, re_)
    f_high = (fp < alpha) & (f >= min_count)
    r_high = (rp < alpha) & (r >= min_count)
    classes = classify(f_high, r_high)
    lat, lon = _centroids_wgs84(frame)
    out = pd.DataFrame(
        {
            units.id_column: frame["unit_id"].to_numpy(),
            "lat": lat,
            "lon": lon,
            "felt": f,
            "recorded": r,
            "felt_expected": fe,
            "recorded_expected": re_,
            "felt_p": fp,
            "recorded_p": rp,
            "class": classes,
        }
    )
    for lang, col in (("sv", "sentence"), ("en", "sentence_en")):
        out[col] = [
            class_sentence(
                c,
                felt=int(a),
                felt_expected=float(b),
                recorded=int(d),
                recorded_expected=float(e),
                felt_p=float(g),
                recorded_p=float(h),
                lang=lang,
            )
            for c, a, b, d, e, g, h in zip(classes, f, fe, r, re_, fp, rp, strict=True)
        ]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["felt_ratio"] = np.where(fe > 0, f / np.where(fe > 0, fe, 1), np.nan)
        out["recorded_ratio"] = np.where(re_ > 0, r / np.where(re_ > 0, re_, 1), np.nan)
    out["felt_p_raw"], out["recorded_p_raw"] = fp_raw, rp_raw
    out["exposure"] = exposure
    if "name" in frame.columns:
        out["name"] = frame["name"].to_numpy()
    cols = [units.id_column, *OUTPUT_COLUMNS] + (["name"] if "name" in out.columns else [])
    result = gpd.GeoDataFrame(out[cols], geometry=frame.geometry.to_numpy(), crs=frame.crs)
    result.attrs.update(
        {
            "units": "areas" if areas is not None else "cells",
            "exposure": units.exposure,
            "outside": dict(units.outside),
            "n_felt": int(f.sum()),
            "n_recorded": int(r.sum()),
        }
    )
    return result
