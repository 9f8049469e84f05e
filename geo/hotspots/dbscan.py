"""DBSCAN on report positions, with stacked reports collapsed into weights and an automatic ``eps``.

Exports often snap many reports to one address or intersection (Toronto: 114,721 reports on 16,395
positions). Running DBSCAN on every copy makes each neighbourhood query return thousands of identical points;
collapsing identical coordinates into ``sample_weight`` gives the same core points and clusters (a position
of weight *k* counts as *k* points, as scikit-learn documents) at a fraction of the cost.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

__all__ = [
    "collapse_duplicates",
    "dbscan_labels",
    "mean_density_km2",
    "relabel_by_size",
    "suggest_eps",
    "suggest_min_samples",
]


def collapse_duplicates(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Collapse identical coordinates.

    Parameters
    ----------
    xy
        ``(n, 2)`` positions in metres.

    Returns
    -------
    unique, inverse, counts
        The distinct positions, for each input row the index of its position, and how many rows share
        each position (``unique[inverse] == xy``).
    """
    xy = np.ascontiguousarray(np.asarray(xy, dtype="float64"))
    if len(xy) == 0:
        return xy.reshape(0, 2), np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64")
    # hash the (x, y) pairs as complex numbers: one O(n) pass instead of a lexicographic sort
    codes, uniq_c = pd.factorize(xy.view(np.complex128).ravel(), sort=False)
    uniq = np.ascontiguousarray(np.asarray(uniq_c, dtype=np.complex128)).view(np.float64).reshape(-1, 2)
    counts = np.bincount(codes, minlength=len(uniq))
    return uniq, codes.astype("int64"), counts.astype("int64")


def suggest_min_samples(n: int) -> tuple[int, str]:
    """Default ``min_samples`` for `n` reports: ``max(5, round(sqrt(n) / 4))``.

    A hot-spot should stand out against the whole picture: with 400 reports 5 make a core, with 100,000
    reports 79 do. The rule is a documented heuristic; give ``min_samples`` to override it.

    Parameters
    ----------
    n
        Number of point reports.

    Returns
    -------
    min_samples, reason
    """
    k = max(5, round(math.sqrt(max(n, 0)) / 4))
    return k, f"min_samples {k}: max(5, √n/4) för/for n={n:,} rapporter/reports"


def _weighted_neighbours(uniq: np.ndarray, counts: np.ndarray, radius_m: float) -> np.ndarray:
    """Count reports within `radius_m` (inclusive) of each distinct position, its own stack included."""
    pairs = cKDTree(uniq).query_pairs(r=radius_m, output_type="ndarray")
    out = counts.astype("float64").copy()
    np.add.at(out, pairs[:, 0], counts[pairs[:, 1]])
    np.add.at(out, pairs[:, 1], counts[pairs[:, 0]])
    return out


def mean_density_km2(xy: np.ndarray) -> tuple[float, float]:
    """Study-wide mean density: reports per km² over the box holding the central 90 % of reports on each axis.

    Parameters
    ----------
    xy
        ``(n, 2)`` positions in metres.

    Returns
    -------
    density_km2, area_km2
    """
    xy = np.asarray(xy, dtype="float64").reshape(-1, 2)
    if len(xy) < 2:
        return 0.0, 0.0
    lo = np.percentile(xy, 5, axis=0)
    hi = np.percentile(xy, 95, axis=0)
    area_km2 = float(max(hi[0] - lo[0], 1.0) * max(hi[1] - lo[1], 1.0)) / 1e6
    return 0.9 * len(xy) / area_km2, area_km2


def suggest_eps(xy: np.ndarray, *, min_samples: int, contrast: float = 5.0) -> tuple[float, str]:
    """Suggest ``eps_m`` from the k-distance curve at a stated density contrast.

    For every report, the k-distance is the radius within which it has `min_samples` reports (itself and
    stacked copies included); sorted over all reports it is the k-distance curve. A report whose
    k-distance is *d* sits where the density is about ``k / (π d²)``. The suggestion is the point on the
    curve where that local density equals `contrast` times the study-wide mean density (reports per km²
    over the box holding the central 90 % of reports), so core points are places at least `contrast` times
    denser than the town as a whole — a hot-spot in the planner's sense. The classic "knee" of the curve
    is not used: where reports cover a whole town (or are snapped to addresses) the curve has no clear
    knee and its elbow lies at a radius that joins the whole centre into one cluster.

    Parameters
    ----------
    xy
        ``(n, 2)`` positions in metres.
    min_samples
        DBSCAN's ``min_samples``.
    contrast
        How many times denser than the mean a core point's neighbourhood must be (> 1).

    Returns
    -------
    eps_m, reason
        The radius in metres (whole metres, at least 1) and a sentence saying why, with the share of
        reports whose k-distance is within it.
    """
    if not contrast > 0:
        raise ValueError(f"contrast must be > 0, got {contrast}")
    uniq, _, counts = collapse_duplicates(xy)
    n = int(counts.sum())
    lam, area_km2 = mean_density_km2(xy)
    if n < 2 or lam <= 0:
        return (
            100.0,
            "eps 100 m: för få rapporter för en k-avståndskurva / too few reports for a k-distance curve",
        )
    eps = float(max(1, math.ceil(math.sqrt(min_samples / (math.pi * contrast * lam / 1e6)))))
    # the share of reports whose k-distance is within eps: those with min_samples reports within eps
    below = float(counts[_weighted_neighbours(uniq, counts, eps) >= min_samples].sum() / n)
    return eps, (
        f"eps {eps:.0f} m: k-avståndskurvan (k={min_samples}) där tätheten är {contrast:g}× medeltätheten "
        f"({lam:,.0f}/km² över {area_km2:.1f} km²) / where the k-distance curve means {contrast:g}× the mean "
        "density; "
        f"{below:.0%} av rapporterna / of reports lie in such places"
    )


def dbscan_labels(
    xy: np.ndarray, *, eps_m: float, min_samples: int, duplicates: str = "weight"
) -> np.ndarray:
    """Cluster positions with DBSCAN.

    Parameters
    ----------
    xy
        ``(n, 2)`` positions in metres.
    eps_m
        Neighbourhood radius in metres; positions exactly `eps_m` apart are neighbours.
    min_samples
        Reports within `eps_m`, the report itself and stacked copies included, for a core point.
    duplicates
        ``"weight"`` (identical coordinates become one point with ``sample_weight``; same result, much
        faster) or ``"keep"`` (plain DBSCAN on every row).

    Returns
    -------
    labels
        Cluster number per row (0, 1, ... by decreasing size), ``-1`` for noise.

    Raises
    ------
    ValueError
        If `eps_m` <= 0, `min_samples` < 1 or `duplicates` is unknown.
    """
    if not eps_m > 0:
        raise ValueError(f"eps_m must be > 0 metres, got {eps_m}")
    if min_samples < 1:
        raise ValueError(f"min_samples must be >= 1, got {min_samples}")
    if duplicates not in {"weight", "keep"}:
        raise ValueError(f"duplicates must be 'weight' or 'keep', got '{duplicates}'")
    xy = np.asarray(xy, dtype="float64")
    if len(xy) == 0:
        return np.zeros(0, dtype="int64")
    from sklearn.cluster import DBSCAN  # imported here: the command line starts faster

    if duplicates == "weight":
        uniq, inverse, counts = collapse_duplicates(xy)
        model = DBSCAN(eps=eps_m, min_samples=min_samples, algorithm="kd_tree")
        labels = model.fit(uniq, sample_weight=counts).labels_[inverse]
    else:
        labels = DBSCAN(eps=eps_m, min_samples=min_samples, algorithm="kd_tree").fit(xy).labels_
    return relabel_by_size(labels)


def relabel_by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber cluster labels 0, 1, ... by decreasing size (ties by first appearance); keep -1.

    Parameters
    ----------
    labels
        Integer labels, ``-1`` for noise.
    """
    labels = np.asarray(labels, dtype="int64")
    out = np.full(len(labels), -1, dtype="int64")
    ids, first, sizes = np.unique(labels[labels >= 0], return_index=True, return_counts=True)
    if len(ids) == 0:
        return out
    order = np.lexsort((first, -sizes))
    mapping = np.full(int(ids.max()) + 1, -1, dtype="int64")
    mapping[ids[order]] = np.arange(len(ids))
    keep = labels >= 0
    out[keep] = mapping[labels[keep]]
    return out
