"""The lamp optimiser against brute force on cases small enough to enumerate."""

from __future__ import annotations

import itertools
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from scipy import sparse

from geo.layers.lighting.layer import build_lighting
from geo.plan.lighting.optimise import greedy_cover, reduce_cover, solve_mclp
from geo.plan.lighting.proposals import propose_lamps

CRS = "EPSG:3006"


def brute_force(cover: np.ndarray, w: np.ndarray, budget: int) -> float:
    best = 0.0
    for combo in itertools.combinations(range(cover.shape[1]), budget):
        best = max(best, float(w[cover[:, list(combo)].any(axis=1)].sum()))
    return best


def value(cover: np.ndarray, w: np.ndarray, cols: list[int]) -> float:
    return float(w[cover[:, cols].any(axis=1)].sum()) if cols else 0.0


def test_greedy_trap_mclp_finds_the_optimum() -> None:
    # demands 1..6; S0 = {2,3,4,5}, S1 = {1,2,3}, S2 = {4,5,6}
    # greedy takes S0 (4) then +1 = 5; the optimum S1+S2 = 6
    cover = np.zeros((6, 3), dtype=bool)
    cover[[1, 2, 3, 4], 0] = True
    cover[[0, 1, 2], 1] = True
    cover[[3, 4, 5], 2] = True
    w = np.ones(6)
    greedy = greedy_cover(sparse.csc_matrix(cover), w, budget=2)
    assert greedy[0] == 0 and value(cover, w, greedy) == 5
    chosen, status = solve_mclp(sparse.csc_matrix(cover), w, budget=2)
    assert sorted(chosen) == [1, 2] and status == "optimal"
    assert value(cover, w, chosen) == brute_force(cover, w, 2) == 6


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_mclp_equals_brute_force_on_random_cases(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_dem, n_cand, budget = 30, 11, 3
    cover = rng.random((n_dem, n_cand)) < 0.18
    w = rng.integers(1, 6, n_dem).astype(float)
    best = brute_force(cover, w, budget)
    chosen, _ = solve_mclp(sparse.csc_matrix(cover), w, budget=budget)
    assert len(chosen) == budget
    assert value(cover, w, chosen) == pytest.approx(best)
    g = greedy_cover(sparse.csc_matrix(cover), w, budget=budget)
    assert value(cover, w, g) >= (1 - 1 / math.e) * best - 1e-9
    # the exact reduction (merged demands, dominated candidates dropped) keeps the optimum
    G, gw, cols, _ = reduce_cover(sparse.csc_matrix(cover), w)
    assert G.shape[1] <= n_cand and gw.sum() == pytest.approx(w[cover.any(axis=1)].sum())
    Gd = G.toarray()
    assert brute_force(Gd, gw, min(budget, Gd.shape[1])) == pytest.approx(best)
    assert value(cover, w, [int(cols[j]) for j in range(len(cols))]) == pytest.approx(
        w[cover.any(axis=1)].sum()
    )


def _path_layer(length_m: float = 400.0):
    """One unlit footway along the x axis, no lamps: all of it is one or more dark stretches."""
    way = gpd.GeoDataFrame(
        {"way_id": ["w1"], "highway": ["footway"], "name": ["Mörka stigen"], "lit": ["no"]},
        geometry=[shapely.LineString([(500000, 6300000), (500000 + length_m, 6300000)])],
        crs=CRS,
    )
    lamps = gpd.GeoDataFrame(
        {"lamp_id": pd.Series(dtype="string"), "status": pd.Series(dtype="string")},
        geometry=gpd.GeoSeries([], crs=CRS),
    )
    return build_lighting(lamps, way, radius_m=25.0, max_stretch_m=1000.0)


def test_proposals_on_a_path_match_brute_force_over_the_candidates() -> None:
    layer = _path_layer()
    rng = np.random.default_rng(7)
    # evidence clusters at 40, 95, 150, 300 m along the path, of 5, 2, 4, 6 reports; a lamp covers 25 m
    xs = np.concatenate([rng.normal(c, 6, n) for c, n in ((40, 5), (95, 2), (150, 4), (300, 6))])
    pts = shapely.points(500000 + xs, np.full(xs.size, 6300000.0) + rng.normal(0, 2, xs.size))
    evidence = gpd.GeoDataFrame(
        {
            "report_id": [f"E{i}" for i in range(xs.size)],
            "kind": "incident",
            "category": "rån",
            "source": "police",
            "hour": 23,
            "weight": 1.0,
            "evidence_weight": 1.0,
            "stretch_id": layer.dark_stretches["stretch_id"].iloc[0],
            "distance_m": 0.0,
        },
        geometry=pts,
        crs=CRS,
    )
    props = propose_lamps(evidence, layer, budget=2, spacing_m=5.0)
    # brute force over the same candidate positions
    line = layer.dark_stretches.geometry.iloc[0]
    n = int(line.length // 5.0)
    cand = shapely.line_interpolate_point(line, (np.arange(n) + 0.5) / n, normalized=True)
    cover = shapely.distance(pts[:, None], cand[None, :]) <= 25.0
    best = brute_force(cover, np.ones(xs.size), 2)
    assert props.covered_weight == pytest.approx(best)
    assert props.method == "mclp" and "optimal" in props.status
    lamps = props.lamps
    assert lamps["covered_reports"].sum() == best
    assert list(lamps["rank"]) == [1, 2] and lamps["gain"].is_monotonic_decreasing
    assert (lamps["street"] == "Mörka stigen").all()
    assert lamps["reason"].str.startswith("Ny lampa på Mörka stigen").all()
    # the chosen positions cover the 300 m cluster (6) and the 40 m cluster (5) or better
    assert best >= 11


def test_greedy_method_states_its_bound_and_budget_beyond_need() -> None:
    layer = _path_layer()
    pts = shapely.points([500010.0, 500200.0], [6300000.0, 6300000.0])
    evidence = gpd.GeoDataFrame(
        {
            "report_id": ["a", "b"],
            "kind": "incident",
            "category": "rån",
            "source": "police",
            "hour": 22,
            "weight": 1.0,
            "evidence_weight": [1.0, 3.0],
            "stretch_id": "DS-0001",
            "distance_m": 0.0,
        },
        geometry=pts,
        crs=CRS,
    )
    g = propose_lamps(evidence, layer, budget=5, method="greedy")
    assert g.method == "greedy" and "1 - 1/e" in g.status
    assert len(g.lamps) == 2  # lamps that add nothing are not proposed
    assert list(g.lamps["gain"]) == [3.0, 1.0]
    m = propose_lamps(evidence, layer, budget=5)
    assert m.covered_weight == 4.0 and len(m.lamps) == 2
    with pytest.raises(ValueError, match="budget"):
        propose_lamps(evidence, layer, budget=0)
