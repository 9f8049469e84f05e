"""The public hot-spot version (geo.maps.public): labels without house numbers or report texts."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.maps import prepare_layers
from geo.stages.maps import MapInputs


def test_public_label_drops_house_numbers_and_descriptions(demo_reports):
    hs = gpd.GeoDataFrame(
        {
            "hotspot_id": ["HS-0001", "HS-0002"],
            "label": ["Finkvägen 24, Värnamo", "Man slagen i ansiktet"],
            "n_reports": [20, 20],
            "share": [0.1, 0.1],
        },
        geometry=[Point(448_000, 6_340_000).buffer(80), Point(449_000, 6_341_000).buffer(80)],
        crs=demo_reports.crs,
    )
    layers = prepare_layers(demo_reports, MapInputs(hotspots=hs), public=True, k=5)
    labels = layers.frames["hotspots"]["label"]
    assert labels.iloc[0] == "Finkvägen, Värnamo" and pd.isna(labels.iloc[1])
