"""The one grid: alignment to the origin, ids, counts, cell polygons, ring, disk and band sums, hexagons."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geo.grid import (
    MAX_CELLS,
    Grid,
    band_weights,
    cell_boxes,
    cell_index,
    cell_keys,
    count_in_cells,
    grid_for,
    hex_centres,
    hexagons,
    nearest_counts,
    nice_cell_m,
)


def test_grid_is_aligned_to_multiples_of_the_cell() -> None:
    g = grid_for(np.array([149.0, 1000.0]), np.array([0.0, 1.0]), cell_m=150.0, pad_cells=0)
    assert (g.i0, g.j0) == (0, 0)
    assert g.flat_index(np.array([149.9, 150.0]), np.array([0.0, 0.0])).tolist() == [0, g.ny]
    assert g.cell_ids()[g.ny] == "c1_0"
    with pytest.raises(ValueError, match="cell_m"):
        grid_for(np.array([0.0]), np.array([0.0]), cell_m=0)
    with pytest.raises(ValueError, match="limit the study area"):
        grid_for(np.array([0.0, 5e6]), np.array([0.0, 5e6]), cell_m=150)


def test_nice_cell_sizes() -> None:
    assert [nice_cell_m(v) for v in (0.0, 1.0, 1.1, 2.4, 3.0, 7.0, 120.0)] == [1, 1, 2, 2.5, 5, 10, 200]
    assert nice_cell_m(13.0, (1, 1.25, 1.5)) == 15


def test_cell_index_is_inclusive_on_the_low_side_and_keys_keep_the_order() -> None:
    i, j = cell_index(np.array([-0.1, 0.0, 99.999, 100.0]), np.array([0.0, -100.0, -100.1, 5.0]), cell_m=100)
    assert i.tolist() == [-1, 0, 0, 1] and j.tolist() == [0, -1, -2, 0]
    keys = cell_keys(np.array([0, 0, 0, 1, -1]), np.array([-5, 0, 7, -9, 9]))
    assert np.argsort(keys).tolist() == [4, 0, 1, 2, 3]


def test_cell_boxes_tile_exactly_for_any_cell_size() -> None:
    i, j = np.meshgrid(np.arange(-3, 4), np.arange(-2, 3))
    boxes = cell_boxes(i.ravel(), j.ravel(), cell_m=37.3)
    union = shapely.coverage_union_all(boxes)
    assert union.geom_type == "Polygon" and not list(union.interiors)
    assert union.area == pytest.approx(7 * 5 * 37.3**2)
    assert shapely.get_coordinates(boxes[0]).min(axis=0).tolist() == [-3 * 37.3, -2 * 37.3]


def test_count_in_listed_cells_ignores_the_others() -> None:
    x = np.array([5.0, 15.0, 15.0, 250.0, -5.0])
    y = np.array([5.0, 5.0, 9.0, 5.0, 5.0])
    counts = count_in_cells(np.array([1, 0, 7]), np.array([0, 0, 0]), x, y, cell_m=10)
    assert counts.tolist() == [2.0, 1.0, 0.0]
    assert count_in_cells(np.array([], dtype=int), np.array([], dtype=int), x, y, cell_m=10).tolist() == []


def test_grid_covering_orders_and_boxes() -> None:
    g = Grid.covering((0.0, 0.0, 200.0, 99.0), cell_m=100)
    assert (g.i0, g.j0, g.nx, g.ny) == (0, 0, 3, 1)  # the edge at x=200 belongs to a third cell
    g = Grid.covering((-50.0, -50.0, 150.0, 50.0), cell_m=100)
    i, j = g.indices()
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == [
        (-1, -1),
        (-1, 0),
        (0, -1),
        (0, 0),
        (1, -1),
        (1, 0),
    ]
    ri, rj = g.indices(by_rows=True)
    assert list(zip(ri.tolist(), rj.tolist(), strict=True)) == [
        (-1, -1),
        (0, -1),
        (1, -1),
        (-1, 0),
        (0, 0),
        (1, 0),
    ]
    cx, cy = g.centres()
    assert shapely.centroid(g.boxes()).tolist() == [shapely.Point(a, b) for a, b in zip(cx, cy, strict=True)]
    assert g.meets(shapely.Point(120, 20).buffer(5)).tolist() == [False, False, False, False, False, True]
    with pytest.raises(ValueError, match="cell_m"):
        Grid.covering((0, 0, 1, 1), cell_m=0)
    assert MAX_CELLS == 4_000_000


def test_counts_ring_and_disk_sums() -> None:
    g = Grid(cell_m=10.0, i0=0, j0=0, nx=5, ny=4)
    counts = g.counts(
        np.array([5.0, 5.0, 25.0, 99.0]), np.array([5.0, 5.0, 15.0, 5.0]), np.array([1, 2, 3, 4])
    )
    assert counts.sum() == 6 and counts[0] == 3 and counts[2 * g.ny + 1] == 3
    values = np.arange(g.size, dtype=float)
    i, j = g.indices()
    for radius in (1.0, 1.5, 2.0):
        d = np.hypot(i[:, None] - i[None, :], j[:, None] - j[None, :])
        brute = ((d <= radius) & (d > 0)) @ values
        np.testing.assert_allclose(g.disk_sum(values, radius), brute, atol=1e-9)
    block = (np.maximum(abs(i[:, None] - i[None, :]), abs(j[:, None] - j[None, :])) <= 1) & ~np.eye(
        g.size, dtype=bool
    )
    np.testing.assert_allclose(g.ring(values, 3), block @ values, atol=1e-9)


def test_band_weights_include_the_cell_itself() -> None:
    cx, cy = np.arange(5) * 100.0, np.zeros(5)
    w = band_weights(cx, cy, band_m=100)
    assert w.toarray().sum(axis=1).tolist() == [2, 3, 3, 3, 2]
    assert (w.diagonal() == 1).all() and (w != w.T).nnz == 0


def test_hexagons_cover_the_bounds_and_count_by_nearest_centre() -> None:
    bounds = (0.0, 0.0, 1000.0, 800.0)
    cx, cy = hex_centres(bounds, cell_m=100)
    hexes = hexagons(cx, cy, cell_m=100)
    assert shapely.area(hexes) == pytest.approx(100 * 100 * np.sqrt(3) / 2)
    assert shapely.union_all(hexes).buffer(1e-6).contains(shapely.box(*bounds))
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 1000, 500), rng.uniform(0, 800, 500)
    counts = nearest_counts(cx, cy, x, y)
    assert counts.sum() == 500
    inside = shapely.contains_xy(hexes[np.argmax(counts)], x, y).sum()
    assert inside == counts.max()
