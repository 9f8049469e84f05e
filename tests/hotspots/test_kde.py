"""Kernel density by binning and FFT: exactness, edge correction, bandwidth rules."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from geo.hotspots.kde import kde_grid, kde_surface, suggest_bandwidth


def _exact(xy: np.ndarray, x: float, y: float, h: float) -> float:
    d2 = ((xy - [x, y]) ** 2).sum(axis=1)
    return float(np.exp(-d2 / (2 * h * h)).sum() / (2 * math.pi * h * h) * 1e6)


def test_peak_within_one_percent_of_exact_gaussian_sum() -> None:
    rng = np.random.default_rng(0)
    xy = np.vstack([rng.normal(0, 100, (300, 2)), rng.normal([2000, 0], 60, (100, 2))])
    s = kde_grid(xy, bandwidth_m=50, cell_m=10)
    x, y, d = s.peak()
    assert d == pytest.approx(_exact(xy, x, y, 50), rel=0.01)
    # and away from the peak too
    for px, py in [(100.0, 50.0), (1950.0, 20.0)]:
        cx = s.x0 + s.cell_m * math.floor((px - s.x0) / s.cell_m + 0.5)
        cy = s.y0 + s.cell_m * math.floor((py - s.y0) / s.cell_m + 0.5)
        assert s.value_at(np.array([px]), np.array([py]))[0] == pytest.approx(
            _exact(xy, cx, cy, 50), rel=0.01
        )


def test_mass_is_the_number_of_reports() -> None:
    rng = np.random.default_rng(1)
    xy = rng.normal(0, 200, (1000, 2))
    s = kde_grid(xy, bandwidth_m=80, cell_m=20)
    assert np.nansum(s.density) * (s.cell_m**2) / 1e6 == pytest.approx(1000, rel=1e-3)


def test_area_mask_corrects_the_edges() -> None:
    rng = np.random.default_rng(2)
    area = shapely.box(0, 0, 2000, 2000)
    xy = rng.uniform(0, 2000, (20000, 2))
    flat = 20000 / 4.0  # reports per km²
    corrected = kde_grid(xy, bandwidth_m=100, cell_m=20, area=area)
    plain = kde_grid(xy, bandwidth_m=100, cell_m=20, bounds=area.bounds)
    edge = (np.array([10.0]), np.array([1000.0]))
    assert corrected.value_at(*edge)[0] == pytest.approx(flat, rel=0.1)
    assert plain.value_at(*edge)[0] < 0.7 * flat
    outside = corrected.value_at(np.array([2100.0]), np.array([1000.0]))[0]
    assert math.isnan(outside) or outside == 0


def test_bandwidth_rules() -> None:
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 1000, (400, 2))
    h, why = suggest_bandwidth(xy)
    assert h == pytest.approx(math.sqrt(900 * 900 / (0.9 * 400)), abs=5)
    assert "√(A/n)" in why
    hs, why_s = suggest_bandwidth(xy, rule="silverman")
    assert "Silverman" in why_s
    assert hs == pytest.approx(
        round(
            np.mean(
                np.minimum(xy.std(0, ddof=1), (np.percentile(xy, 75, 0) - np.percentile(xy, 25, 0)) / 1.349)
            )
            * 400 ** (-1 / 6)
            / 5
        )
        * 5
    )
    with pytest.raises(ValueError, match="rule"):
        suggest_bandwidth(xy, rule="scott")
    with pytest.raises(ValueError, match="bandwidth_m"):
        kde_grid(xy, bandwidth_m=-1)


def test_kde_surface_reports_the_choice(demo_reports) -> None:
    s = kde_surface(demo_reports)
    assert s.bandwidth_m > 0 and "√(A/n)" in s.bandwidth_reason
    assert s.crs == demo_reports.crs
    assert np.nansum(s.density) * s.cell_m**2 / 1e6 == pytest.approx(len(demo_reports), rel=0.01)


def test_a_far_off_position_does_not_coarsen_the_grid() -> None:
    rng = np.random.default_rng(6)
    xy = np.vstack([rng.normal(0, 300, (2000, 2)), [[5_000_000.0, 2_000_000.0]]])  # one swapped coordinate
    s = kde_grid(xy, bandwidth_m=50, bandwidth_reason="given")
    assert s.cell_m <= 25
    assert "1 rapporter långt utanför" in s.bandwidth_reason
    assert np.nansum(s.density) * s.cell_m**2 / 1e6 == pytest.approx(2000, rel=1e-3)
    # a wide but honest extent keeps every report and only coarsens the cells
    wide = rng.uniform(0, 60_000, (5000, 2))
    w = kde_grid(wide, bandwidth_m=100)
    assert "utanför" not in w.bandwidth_reason
    assert w.cell_m <= 50
    assert np.nansum(w.density) * w.cell_m**2 / 1e6 == pytest.approx(5000, rel=1e-3)
