"""Gi*: equality with esda on real Toronto cells, Benjamini–Hochberg by hand, classes, bad input."""

from __future__ import annotations

import esda
import numpy as np
import pytest
import shapely
from libpysal.graph import Graph
from scipy.stats import false_discovery_control

from geo.grid import band_weights
from geo.hotspots.gistar import fdr_bh, gi_star_z, gistar_cells


def test_fdr_hand_computed() -> None:
    # sorted 0.005 0.01 0.03 0.04 -> x4/1 x4/2 x4/3 x4/4 = 0.02 0.02 0.04 0.04 (already monotone)
    assert fdr_bh(np.array([0.01, 0.04, 0.03, 0.005])) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    # sorted .001 .02 .021 .04 .9 -> .005 .05 .035 .05 .9 -> running min from the top: .005 .035 .035 .05 .9
    got = fdr_bh(np.array([0.001, 0.02, 0.021, 0.9, 0.04]))
    assert got == pytest.approx([0.005, 0.035, 0.035, 0.9, 0.05])
    # capped at one, NaN ignored
    assert fdr_bh(np.array([0.9, 0.95, np.nan]))[:2] == pytest.approx([0.95, 0.95])
    assert np.isnan(fdr_bh(np.array([0.9, 0.95, np.nan]))[2])


def test_fdr_matches_scipy() -> None:
    p = np.random.default_rng(0).uniform(0, 1, 500) ** 3
    assert fdr_bh(p) == pytest.approx(false_discovery_control(p, method="bh"))


def test_z_equals_esda_on_toronto_cells(toronto) -> None:
    cells = gistar_cells(toronto, cell_m=500, band_m=1100)
    assert cells["count"].sum() == len(toronto)
    assert (cells["count"] == 0).any()  # zero-count cells enter the computation
    graph = Graph.build_distance_band(cells.geometry.centroid, 1100)
    g = esda.G_Local(cells["count"].to_numpy(dtype=float), graph, transform="B", star=True, permutations=0)
    np.testing.assert_allclose(cells["z"].to_numpy(), g.Zs, atol=1e-6, rtol=0)
    # the star: every cell is its own neighbour
    assert (cells["neighbours"] == np.asarray(graph.cardinalities) + 1).all()


def test_classes_follow_fdr(toronto) -> None:
    cells = gistar_cells(toronto, cell_m=500, band_m=1100)
    cls = cells["class"]
    assert set(cls) <= {"hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90", "ns"}
    assert (cells.loc[cls == "hot_99", "p_fdr"] < 0.01).all() and (cells.loc[cls == "hot_99", "z"] > 0).all()
    mid = cells.loc[cls == "hot_95", "p_fdr"]
    assert ((mid >= 0.01) & (mid < 0.05)).all()
    assert (cells.loc[cls == "ns", "p_fdr"] >= 0.10).all()
    assert (cls == "hot_99").sum() > 10
    # two-sided p
    np.testing.assert_allclose(
        cells["p"], 2 * (1 - __import__("scipy").stats.norm.cdf(np.abs(cells["z"]))), atol=1e-12
    )
    assert (cells["p_fdr"] >= cells["p"] - 1e-15).all()


def test_hand_made_grid() -> None:
    # 5 x 1 cells in a row, counts 0 0 9 0 0, band of one cell: the middle cell and its neighbours
    counts = np.array([0.0, 0.0, 9.0, 0.0, 0.0])
    centres = np.column_stack([np.arange(5) * 100.0, np.zeros(5)])
    w = band_weights(centres[:, 0], centres[:, 1], band_m=100)
    assert w.toarray().sum(axis=1).tolist() == [2, 3, 3, 3, 2]
    z = gi_star_z(counts, w)
    n, mean, s = 5, 9 / 5, np.sqrt((81 / 5) - (9 / 5) ** 2)
    wi = 3
    expected = (9 - mean * wi) / (s * np.sqrt((n * wi - wi**2) / (n - 1)))
    assert z[2] == pytest.approx(expected)
    assert z[1] == pytest.approx(expected) and z[3] == pytest.approx(expected)
    assert z[0] < 0 and z[4] < 0
    assert (gi_star_z(np.ones(5), w) == 0).all()


def test_hex_counts_every_report(planted) -> None:
    reports, _ = planted
    cells = gistar_cells(reports, cell_m=200, band_m=450, shape="hex")
    assert cells["count"].sum() == len(reports)
    graph = Graph.build_distance_band(cells.geometry.centroid, 450)
    g = esda.G_Local(cells["count"].to_numpy(dtype=float), graph, transform="B", star=True, permutations=0)
    np.testing.assert_allclose(cells["z"].to_numpy(), g.Zs, atol=1e-6, rtol=0)


def test_bad_arguments(planted) -> None:
    reports, _ = planted
    with pytest.raises(ValueError, match="cell_m"):
        gistar_cells(reports, cell_m=-5, band_m=100)
    with pytest.raises(ValueError, match="band_m"):
        gistar_cells(reports, cell_m=100, band_m=0)
    with pytest.raises(ValueError, match="too many"):
        gistar_cells(reports, cell_m=0.5, band_m=1)


def test_far_off_report_does_not_blow_up_the_grid(planted) -> None:
    reports, _ = planted
    far = reports.copy()
    far.loc[far.index[0], "geometry"] = shapely.Point(5_000_000.0, 2_000_000.0)
    cells = gistar_cells(far, cell_m=100, band_m=250)
    assert len(cells) < 10_000
    assert cells["count"].sum() == len(far) - 1
    assert "1 rapporter långt utanför" in cells.attrs["choices"]["cell_m"][1]
