"""The Gi* distance band: incremental Moran's I equal to esda, and the band suggestion explained."""

from __future__ import annotations

import esda
import numpy as np
import pytest
from libpysal.graph import Graph

from geo.hotspots.band import incremental_morans, suggest_band
from geo.hotspots.cells import count_cells, make_cells
from geo.hotspots.gistar import gistar_cells


def test_incremental_morans_matches_esda(planted) -> None:
    reports, _ = planted
    xy = np.column_stack([reports.geometry.x, reports.geometry.y])
    bounds = (440000.0, 6336000.0, 444999.0, 6340999.0)
    table = incremental_morans(xy, cell_m=250, bounds=bounds, steps=(1.5, 2.5))
    cells = make_cells(bounds, cell_m=250)
    counts = count_cells(cells, xy, shape="square", cell_m=250)
    for band, row in zip((375.0, 625.0), table.itertuples(), strict=True):
        graph = Graph.build_distance_band(cells.geometry.centroid, band)
        m = esda.Moran(counts, graph, transformation="B", permutations=0)
        assert row.moran_i == pytest.approx(m.I, rel=1e-9)
        assert row.z == pytest.approx(m.z_norm, rel=1e-6)


def test_band_suggestion_is_explained(planted) -> None:
    reports, _ = planted
    xy = np.column_stack([reports.geometry.x, reports.geometry.y])
    band, why = suggest_band(xy, cell_m=250, bounds=(440000.0, 6336000.0, 444999.0, 6340999.0))
    assert band >= 250
    assert "Moran" in why and "m" in why
    cells = gistar_cells(reports, cell_m=250)
    assert "band_m" in cells.attrs["auto"]
    assert "Moran" in cells.attrs["choices"]["band_m"][1]


def test_a_coarse_grid_whose_bands_cover_every_cell_gives_no_z_instead_of_failing() -> None:
    """A large sparse area (a county run's municipality) gets 10 km cells; wide bands then join every cell to
    every other, Moran's I has no variance, and its z-score is undefined (NaN), not a division by zero."""
    rng = np.random.default_rng(1)
    bounds = (417_825.0, 6_304_159.0, 466_450.0, 6_360_136.0)
    xy = np.column_stack([rng.uniform(bounds[0], bounds[2], 177), rng.uniform(bounds[1], bounds[3], 177)])
    table = incremental_morans(xy, cell_m=10_000.0, bounds=bounds)
    assert len(table) and table["z"].isna().any()
