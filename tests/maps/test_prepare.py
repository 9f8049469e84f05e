"""Preparing the layers (geo.maps.prepare): public suppression and generalisation, every internal layer."""

from __future__ import annotations

import json

import numpy as np
import shapely

from geo.maps import prepare_layers
from geo.model import point_reports
from geo.stages.maps import MapInputs


def test_public_layers_suppress_small_counts_and_generalise_areas(demo_reports, demo_hotspots):
    k = 10
    layers = prepare_layers(demo_reports, MapInputs(hotspots=demo_hotspots), public=True, k=k)
    assert set(layers.frames) <= {"area", "grid", "hotspots"}
    grid = layers.frames["grid"]
    assert (grid["count"] >= k).all()
    assert list(grid.columns) == ["cell_id", "count", "geometry"]
    internal = prepare_layers(demo_reports, MapInputs(hotspots=demo_hotspots), public=False)
    assert len(internal.frames["grid"]) > len(grid)  # something was suppressed
    hs = layers.frames["hotspots"]
    assert (hs["n_reports"] >= k).all()
    assert "member_ids" not in hs.columns and "profile" not in hs.columns
    cell = layers.cell_m
    for geom, src in zip(
        hs.geometry, demo_hotspots.set_index("hotspot_id").loc[hs["hotspot_id"]].geometry, strict=True
    ):
        xy = shapely.get_coordinates(geom)
        assert np.allclose(xy / cell, np.round(xy / cell), atol=1e-6)  # lattice corners only
        assert geom.buffer(1e-6).covers(src)
    for mix in hs["category_mix"]:
        assert all(v >= k for v in json.loads(mix).values())
    for prof in hs["profile_3h"].dropna():
        vals = np.asarray(json.loads(prof))
        assert not ((vals > 0) & (vals < k)).any()


def test_internal_map_has_every_analysis_layer(toronto, toronto_analysis):
    layers = prepare_layers(toronto, MapInputs.from_results(hotspots=toronto_analysis), public=False)
    counts = layers.feature_counts()
    assert counts["hotspots"] == len(toronto_analysis.hotspots)
    assert counts["points"] == 20_000
    gi = toronto_analysis.gistar
    n_sig = int((gi["class"] != "ns").sum())
    # thousands of significant cells are drawn merged, one shape per class
    assert counts["gistar"] == (n_sig if n_sig <= 5000 else gi.loc[gi["class"] != "ns", "class"].nunique())
    assert layers.frames["grid"]["count"].sum() == len(point_reports(toronto))
    assert "Toronto" not in layers.crs_name and "UTM zone 17N" in layers.crs_name
    assert layers.period == "2014-01-01 – 2017-12-31"
