"""The planted dark stretches: unlit or with broken lamps, and reported by residents."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.demo import DEMO_DIR
from geo.io.outputs.demo import FILES


def test_dark_stretches_are_dark_and_reported(truth):
    streets = gpd.read_file(DEMO_DIR / FILES["streets"]).to_crs(3006)
    lamps = gpd.read_file(DEMO_DIR / FILES["lamps"]).to_crs(3006)
    working = lamps[lamps["status"] != "broken"]
    lit_cover = shapely.union_all(working.geometry.buffer(30).to_numpy())
    residents = pd.read_csv(DEMO_DIR / FILES["residents"])
    res_pts = gpd.GeoSeries(gpd.points_from_xy(residents["lon"], residents["lat"]), crs=4326).to_crs(3006)
    dark_cats = residents["category"].isin(["mörkt", "trasig belysning", "otrygg passage"])
    near_any = np.zeros(len(residents), dtype=bool)
    for d in truth["dark_segments"]:
        segs = streets[streets["segment_id"].isin(d["segment_ids"])]
        assert len(segs) == len(d["segment_ids"]) >= 3
        line = shapely.union_all(segs.geometry.to_numpy())
        assert abs(line.length - d["length_m"]) < 0.01 * d["length_m"]
        uncovered = line.difference(lit_cover).length / line.length
        assert uncovered > 0.8, (d["kind"], uncovered)
        if d["kind"] == "broken_lamps":
            on = lamps[lamps["segment_id"].isin(d["segment_ids"])]
            assert len(on) >= 10 and (on["status"] == "broken").all()
            assert set(segs["lit"]) == {"yes"}  # lamps are there, they just do not work
        else:
            assert set(segs["lit"]) == {"no"}
        near = (res_pts.distance(line) <= 30).to_numpy()
        assert near.sum() >= 30, d["kind"]
        near_any |= near
    # residents' dark-place reports are concentrated on the planted stretches
    assert (near_any & dark_cats.to_numpy()).sum() / dark_cats.sum() > 0.6
