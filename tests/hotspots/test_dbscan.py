"""DBSCAN with stacked reports collapsed into weights, and the eps suggestion."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.cluster import DBSCAN
from sklearn.metrics import adjusted_rand_score

from geo.hotspots.dbscan import (
    collapse_duplicates,
    dbscan_labels,
    relabel_by_size,
    suggest_eps,
    suggest_min_samples,
)


def _stacked(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    sites = np.round(rng.uniform(0, 2000, (300, 2)) / 25) * 25  # snapped to a 25 m address grid
    sites = np.vstack([sites, rng.normal(1000, 40, (60, 2)).round()])
    reps = rng.integers(1, 8, len(sites))
    return np.repeat(sites, reps, axis=0)


def test_collapse_duplicates_round_trip() -> None:
    xy = _stacked()
    uniq, inverse, counts = collapse_duplicates(xy)
    assert np.array_equal(uniq[inverse], xy)
    assert counts.sum() == len(xy)
    assert len(uniq) < len(xy)


def test_weighted_equals_plain_dbscan() -> None:
    """Weight k counts as k stacked points: same core points and clusters as plain DBSCAN."""
    xy = _stacked()
    weighted = dbscan_labels(xy, eps_m=60, min_samples=12)
    plain = DBSCAN(eps=60, min_samples=12).fit(xy)
    assert weighted.max() >= 1
    assert adjusted_rand_score(plain.labels_, weighted) > 0.999
    core = np.zeros(len(xy), dtype=bool)
    core[plain.core_sample_indices_] = True
    # every core point is clustered in both, and core points share clusters identically
    assert (weighted[core] >= 0).all()
    assert adjusted_rand_score(plain.labels_[core], weighted[core]) == pytest.approx(1.0)


def test_weighted_dbscan_on_toronto(toronto) -> None:
    xy = np.column_stack([toronto.geometry.x, toronto.geometry.y])[:30000]
    weighted = dbscan_labels(xy, eps_m=100, min_samples=40)
    plain = dbscan_labels(xy, eps_m=100, min_samples=40, duplicates="keep")
    assert weighted.max() > 5
    assert adjusted_rand_score(plain, weighted) >= 0.999


def test_eps_is_inclusive() -> None:
    xy = np.array([[0.0, 0.0], [10.0, 0.0], [20.0, 0.0]])
    assert (dbscan_labels(xy, eps_m=10.0, min_samples=2) == 0).all()
    assert (dbscan_labels(xy, eps_m=9.999, min_samples=2) == -1).all()


def test_empty_all_noise_and_input_not_modified() -> None:
    assert dbscan_labels(np.zeros((0, 2)), eps_m=10, min_samples=3).shape == (0,)
    xy = np.array([[0.0, 0.0], [1000.0, 0.0], [0.0, 1000.0]])
    before = xy.copy()
    assert (dbscan_labels(xy, eps_m=10, min_samples=2) == -1).all()
    assert np.array_equal(xy, before)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"eps_m": 0, "min_samples": 3}, "eps_m"),
        ({"eps_m": 10, "min_samples": 0}, "min_samples"),
        ({"eps_m": 10, "min_samples": 3, "duplicates": "drop"}, "duplicates"),
    ],
)
def test_bad_arguments(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        dbscan_labels(np.zeros((3, 2)), **kwargs)


def test_labels_ordered_by_size() -> None:
    labels = relabel_by_size(np.array([5, 5, 2, 2, 2, -1, 9]))
    assert labels.tolist() == [1, 1, 0, 0, 0, -1, 2]


def test_suggest_eps_reads_the_curve_at_the_contrast() -> None:
    rng = np.random.default_rng(3)
    background = rng.uniform(0, 5000, (500, 2))
    spot = rng.normal(2500, 30, (200, 2))
    xy = np.vstack([background, spot])
    eps, reason = suggest_eps(xy, min_samples=10)
    # core points must be at least 5x denser than the mean: background is not, the spot is
    lam = 0.9 * len(xy) / (np.prod(np.percentile(xy, 95, axis=0) - np.percentile(xy, 5, axis=0)))
    assert eps == pytest.approx(np.sqrt(10 / (np.pi * 5 * lam)), abs=1.0)
    assert "k-avstånd" in reason and "5×" in reason
    labels = dbscan_labels(xy, eps_m=eps, min_samples=10)
    assert labels.max() >= 0
    assert (labels[500:] == 0).mean() > 0.9
    assert (labels[:500] >= 0).mean() < 0.1
    # a stronger contrast gives a smaller radius
    assert suggest_eps(xy, min_samples=10, contrast=20)[0] < eps


def test_suggest_min_samples() -> None:
    assert suggest_min_samples(100)[0] == 5
    assert suggest_min_samples(114_714)[0] == round(np.sqrt(114_714) / 4)
