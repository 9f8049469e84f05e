"""Grid counts on the fixed lattice, k-suppression, generalised outlines and public coordinates."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point, Polygon

from geo.maps.aggregate import cells_covering, choose_cell_m, grid_counts, public_coord, suppress
from geo.model import point_reports


def _pts(xy, crs="EPSG:3006", dark=None):
    frame = gpd.GeoDataFrame(geometry=[Point(x, y) for x, y in xy], crs=crs)
    if dark is not None:
        frame["is_dark"] = dark
    return frame


def test_grid_counts_every_report_once_on_toronto(toronto):
    pts = point_reports(toronto)
    cells = grid_counts(pts, cell_m=500)
    assert cells["count"].sum() == len(pts)
    assert cells["cell_id"].is_unique
    # each report lies in the cell it was counted in
    sample = pts.sample(500, random_state=1)
    joined = gpd.sjoin(sample, cells, predicate="within")
    assert len(joined) == len(sample)
    assert (cells.geometry.area.round(6) == 500 * 500).all()


def test_grid_counts_dark_and_boundaries_inclusive_low_side():
    frame = _pts([(0, 0), (99.999, 50), (100, 0), (250, 250)], dark=[True, False, True, True])
    cells = grid_counts(frame, cell_m=100).set_index("cell_id")
    assert cells.loc["100m:0:0", "count"] == 2
    assert cells.loc["100m:1:0", "count"] == 1
    assert cells.loc["100m:0:0", "dark"] == 1
    assert cells.loc["100m:2:2", "count"] == 1


def test_cells_depend_only_on_the_lattice_not_on_positions():
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 1000, size=(200, 2)) + 500_000
    a = grid_counts(_pts(xy), cell_m=100)
    # move every report within its own cell: same cells, same geometry
    ix = np.floor(xy / 100)
    moved = ix * 100 + rng.uniform(0.01, 99.99, size=xy.shape)
    b = grid_counts(_pts(moved), cell_m=100)
    assert a["cell_id"].tolist() == b["cell_id"].tolist()
    assert all(ga.equals(gb) for ga, gb in zip(a.geometry, b.geometry, strict=True))


def test_suppress_keeps_counts_at_least_k():
    frame = _pts([(5, 5)] * 4 + [(150, 5)] * 5 + [(250, 5)] * 6)
    cells = grid_counts(frame, cell_m=100)
    kept = suppress(cells, k=5)
    assert sorted(kept["count"]) == [5, 6]
    with pytest.raises(ValueError, match="k"):
        suppress(cells, k=0)


def test_choose_cell_m_respects_max_cells(toronto):
    pts = point_reports(toronto)
    size = choose_cell_m(pts, max_cells=3000)
    assert len(grid_counts(pts, cell_m=size)) <= 3000
    smaller = [s for s in (50.0, 100.0, 200.0, 250.0, 500.0) if s < size]
    if smaller:
        assert len(grid_counts(pts, cell_m=smaller[-1])) > 3000


def test_cells_covering_has_only_lattice_corners_and_covers_the_shape():
    hull = Polygon([(1013.7, 2021.3), (1390.2, 2044.9), (1311.1, 2377.7), (1040.4, 2290.2)])
    gen = cells_covering(hull, cell_m=100)
    assert gen.covers(hull)
    coords = shapely.get_coordinates(gen)
    assert np.allclose(coords / 100, np.round(coords / 100))
    # none of the hull's corners (a report's position) survives
    hull_xy = {tuple(c) for c in np.round(shapely.get_coordinates(hull), 3)}
    assert not hull_xy & {tuple(c) for c in np.round(coords, 3)}


def test_public_coord_never_has_four_or_fewer_decimals():
    for v in (57.18, 57.1832, 14.047800, -79.3832, 57.183212, 43.7):
        p = public_coord(v)
        assert abs(p - v) < 5e-6
        assert len(repr(p).split(".")[1]) >= 5
