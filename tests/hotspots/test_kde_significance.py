"""KDE hot-spots are places: significant against complete spatial randomness, outlined at their own size."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.hotspots import find_hotspots
from geo.hotspots.kde import kde_grid
from geo.hotspots.kde_significance import csr_threshold, significant_places
from tests.hotspots._helpers import member_centres
from tests.hotspots.conftest import make_reports

X0, Y0 = 440000.0, 6336000.0
SIDE = 4000.0
TOWN = [
    # (x, y, radius_m, n): six planted places in a 4 × 4 km town
    (1000.0, 1000.0, 80.0, 40),
    (3000.0, 1000.0, 100.0, 30),
    (2000.0, 2000.0, 120.0, 60),
    (800.0, 3200.0, 90.0, 25),
    (3200.0, 3000.0, 110.0, 45),
    (2000.0, 3600.0, 100.0, 35),
]


def _town(seed: int, *, background: int = 2000, places: bool = True) -> np.ndarray:
    rng = np.random.default_rng(seed)
    parts = []
    for x, y, r, n in TOWN if places else []:
        ang = rng.uniform(0, 2 * np.pi, n)
        rad = r * np.sqrt(rng.uniform(0, 1, n))
        parts.append(np.column_stack([x + rad * np.cos(ang), y + rad * np.sin(ang)]))
    parts.append(rng.uniform(0, SIDE, (background, 2)))
    return np.vstack(parts) + [X0, Y0]


def _reports(xy: np.ndarray):
    times = pd.date_range("2025-01-01", periods=len(xy), freq="37min")
    return make_reports(xy[:, 0], xy[:, 1], times)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("with_area", [False, True])
def test_every_planted_place_found_at_its_own_size_and_no_background_blob(seed: int, with_area: bool) -> None:
    reports = _reports(_town(seed))
    area = shapely.box(X0, Y0, X0 + SIDE, Y0 + SIDE) if with_area else None
    hs = find_hotspots(reports, method="kde", area=area)
    assert len(hs) == len(TOWN), f"{len(hs)} hot-spots for {len(TOWN)} planted places"
    centres = member_centres(hs, reports)
    for x, y, r, _ in TOWN:
        d = np.hypot(centres[:, 0] - (X0 + x), centres[:, 1] - (Y0 + y))
        i = int(np.argmin(d))
        assert d[i] <= r, f"planted place at ({x}, {y}) missed by {d[i]:.0f} m"
        ratio = hs.geometry.iloc[i].area / (np.pi * r * r)
        assert 0.5 <= ratio <= 4, f"place of radius {r:.0f} m drawn at {ratio:.1f} times its area"
        assert hs.geometry.iloc[i].contains(shapely.Point(X0 + x, Y0 + y))
    assert "signifikans" in hs.attrs["choices"]["significance"][1]


def test_uniform_town_has_no_hot_spot() -> None:
    reports = _reports(_town(4, places=False))
    assert len(find_hotspots(reports, method="kde")) == 0


def test_the_test_is_seeded_and_its_level_holds_on_random_data() -> None:
    xy = _town(5, places=False, background=1500)
    surface = kde_grid(xy, bandwidth_m=80, cell_m=20)
    hull = shapely.MultiPoint(xy).convex_hull
    a = csr_threshold(surface, len(xy), hull=hull, simulations=39, seed=7)
    b = csr_threshold(surface, len(xy), hull=hull, simulations=39, seed=7)
    assert a.q == b.q and np.array_equal(a.threshold, b.threshold, equal_nan=True)
    # thresholds lie above the null mean everywhere, and uniform data crosses them nowhere
    inside = np.isfinite(a.threshold)
    assert (a.threshold[inside] > a.background * 0.5).all()
    assert significant_places(surface, a) == []
    with pytest.raises(ValueError, match="simulations"):
        csr_threshold(surface, len(xy), hull=hull, simulations=5)
    with pytest.raises(ValueError, match="share"):
        significant_places(surface, a, share=1.0)


def test_a_strong_place_is_not_drawn_larger_than_a_weak_one() -> None:
    rng = np.random.default_rng(9)
    xy = [rng.uniform(0, SIDE, (1500, 2))]
    for x, n in ((1000.0, 40), (3000.0, 400)):
        ang = rng.uniform(0, 2 * np.pi, n)
        rad = 100 * np.sqrt(rng.uniform(0, 1, n))
        xy.append(np.column_stack([x + rad * np.cos(ang), 2000 + rad * np.sin(ang)]))
    pts = np.vstack(xy)
    surface = kde_grid(pts, bandwidth_m=60, cell_m=15)
    test = csr_threshold(surface, len(pts), hull=shapely.MultiPoint(pts).convex_hull, seed=1)
    places = significant_places(surface, test)
    assert len(places) == 2
    weak, strong = sorted(places, key=lambda p: p.centroid.x)
    assert strong.area <= 1.5 * weak.area
    assert strong.area <= 4 * np.pi * 100**2
