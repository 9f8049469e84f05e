"""Density contours: each holds its share of the reports, and levels are ordered."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geo.hotspots.contours import density_contours, level_for_share
from geo.hotspots.kde import kde_grid


def test_contours_hold_their_share() -> None:
    rng = np.random.default_rng(4)
    xy = rng.normal(0, 300, (20000, 2))
    s = kde_grid(xy, bandwidth_m=60, cell_m=20)
    c = density_contours(s, shares=(0.25, 0.5, 0.75))
    assert c["share"].tolist() == [0.25, 0.5, 0.75]
    assert (np.diff(c["level"]) < 0).all()
    areas = c.geometry.area.to_numpy()
    assert (np.diff(areas) > 0).all()
    for share, geom in zip(c["share"], c.geometry, strict=True):
        inside = shapely.contains_xy(geom, xy[:, 0], xy[:, 1]).mean()
        assert inside == pytest.approx(share, abs=0.03)
    # shapes are contours, never report positions
    verts = shapely.get_coordinates(c.geometry.iloc[1])
    assert not (np.isin(verts[:, 0], xy[:, 0]) & np.isin(verts[:, 1], xy[:, 1])).any()


def test_level_for_share_bounds() -> None:
    s = kde_grid(np.array([[0.0, 0.0]]), bandwidth_m=50, cell_m=10)
    assert level_for_share(s, 1.0) <= level_for_share(s, 0.5)
    with pytest.raises(ValueError, match="share"):
        level_for_share(s, 0)
