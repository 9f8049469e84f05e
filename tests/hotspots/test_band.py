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
