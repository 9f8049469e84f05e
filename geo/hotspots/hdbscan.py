"""HDBSCAN (scikit-learn's) on report positions: clusters of varying density without one global radius."""

from __future__ import annotations

import numpy as np

from geo.hotspots.dbscan import relabel_by_size

__all__ = ["hdbscan_labels"]


def hdbscan_labels(xy: np.ndarray, *, min_cluster_size: int, min_samples: int | None = None) -> np.ndarray:
    """Cluster positions with HDBSCAN.

    Stacked reports (identical coordinates) are kept as separate points: HDBSCAN has no sample weights,
    and a stack is exactly the kind of density it should see.

    Parameters
    ----------
    xy
        ``(n, 2)`` positions in metres.
    min_cluster_size
        Fewest reports a hot-spot may have (>= 2).
    min_samples
        Reports defining a core distance (default: `min_cluster_size`).

    Returns
    -------
    labels
        Cluster number per row (0, 1, ... by decreasing size), ``-1`` for noise.
    """
    if min_cluster_size < 2:
        raise ValueError(f"min_cluster_size must be >= 2, got {min_cluster_size}")
    xy = np.asarray(xy, dtype="float64").reshape(-1, 2)
    if len(xy) < max(min_cluster_size, 2):
        return np.full(len(xy), -1, dtype="int64")
    from sklearn.cluster import HDBSCAN  # imported here: the command line starts faster

    model = HDBSCAN(
        min_cluster_size=min_cluster_size,
        min_samples=min_samples,
        algorithm="kd_tree",
        cluster_selection_method="eom",
        copy=True,
    )
    return relabel_by_size(model.fit(xy).labels_)
