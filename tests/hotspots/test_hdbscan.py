"""HDBSCAN over distinct positions with stacks put back as chains: equal to scikit-learn's up to ties."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.cluster import HDBSCAN
from sklearn.metrics import adjusted_rand_score
from sklearn.neighbors import NearestNeighbors

from geo.hotspots.dbscan import collapse_duplicates
from geo.hotspots.hdbscan import hdbscan_labels, weighted_core_distances


def _sites(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.vstack(
        [rng.uniform(0, 3000, (800, 2)), rng.normal(1500, 50, (200, 2)), rng.normal(500, 80, (200, 2))]
    )


def test_core_distances_count_stacked_copies() -> None:
    rng = np.random.default_rng(1)
    xy = np.repeat(_sites(), rng.integers(1, 6, 1200), axis=0)
    uniq, inverse, counts = collapse_duplicates(xy)
    ours = weighted_core_distances(uniq, counts, 10)[inverse]
    sk = NearestNeighbors(n_neighbors=10).fit(xy).kneighbors(xy, 10)[0][:, -1]
    np.testing.assert_allclose(ours, sk)


def test_without_stacks_it_is_sklearn() -> None:
    xy = _sites()
    ours = hdbscan_labels(xy, min_cluster_size=30, min_samples=10)
    sk = HDBSCAN(min_cluster_size=30, min_samples=10, copy=True).fit(xy).labels_
    assert adjusted_rand_score(sk, ours) == pytest.approx(1.0)
    assert ((sk == -1) == (ours == -1)).all()


@pytest.mark.parametrize(("mcs", "ms"), [(30, 10), (50, 25), (20, 3)])
def test_with_stacks_equal_to_sklearn_up_to_ties(mcs: int, ms: int) -> None:
    rng = np.random.default_rng(2)
    xy = np.repeat(_sites(), rng.integers(1, 12, 1200), axis=0)
    ours = hdbscan_labels(xy, min_cluster_size=mcs, min_samples=ms)
    plain = hdbscan_labels(xy, min_cluster_size=mcs, min_samples=ms, duplicates="keep")
    assert ours.max() == plain.max()
    assert adjusted_rand_score(plain, ours) > 0.98


def test_on_the_demo_world(demo_reports) -> None:
    xy = np.column_stack([demo_reports.geometry.x, demo_reports.geometry.y])
    ours = hdbscan_labels(xy, min_cluster_size=48, min_samples=16)
    plain = hdbscan_labels(xy, min_cluster_size=48, min_samples=16, duplicates="keep")
    assert abs(int(ours.max()) - int(plain.max())) <= 1
    assert adjusted_rand_score(plain, ours) > 0.95


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"min_cluster_size": 1}, "min_cluster_size"),
        ({"min_cluster_size": 5, "min_samples": 0}, "min_samples"),
        ({"min_cluster_size": 5, "duplicates": "drop"}, "duplicates"),
    ],
)
def test_bad_arguments(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        hdbscan_labels(np.zeros((10, 2)), **kwargs)


def test_too_few_reports_are_noise() -> None:
    assert (hdbscan_labels(np.zeros((3, 2)), min_cluster_size=5) == -1).all()
