"""Gi* cells: squares and hexagons covering an area."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geo.hotspots.cells import make_cells


def test_cells_square_and_hex_cover_the_area() -> None:
    area = shapely.Point(0, 0).buffer(1000)
    sq = make_cells(area.bounds, cell_m=100, area=area)
    hx = make_cells(area.bounds, cell_m=100, shape="hex", area=area)
    assert shapely.union_all(sq.geometry.to_numpy()).contains(area.buffer(-1))
    assert shapely.union_all(hx.geometry.to_numpy()).buffer(1e-6).contains(area.buffer(-1))
    assert sq.geometry.area.to_numpy() == pytest.approx(10000)
    assert hx.geometry.area.to_numpy() == pytest.approx(100 * 100 * np.sqrt(3) / 2)
    with pytest.raises(ValueError, match="shape"):
        make_cells(area.bounds, cell_m=100, shape="triangle")
