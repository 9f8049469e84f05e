"""Every position of the demo world lies inside Värnamo municipality."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.demo import DEMO_DIR
from geo.io.outputs.demo import FILES


def test_everything_lies_inside_the_municipality(area):
    poly = area.geometry
    for role in ("streets", "lamps", "walks"):
        frame = gpd.read_file(DEMO_DIR / FILES[role])
        assert frame.geometry.within(poly).all(), role
    for role in ("residents", "speed_passes", "speed_hourly"):
        t = pd.read_csv(DEMO_DIR / FILES[role])
        assert shapely.contains_xy(poly, t["lon"], t["lat"]).all(), role
    t = pd.read_csv(DEMO_DIR / FILES["police"], sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    lat = pd.to_numeric(t["Latitud"].str.replace(",", "."), errors="coerce")
    lon = pd.to_numeric(t["Longitud"].str.replace(",", "."), errors="coerce")
    inside = shapely.contains_xy(poly, lon, lat)
    # only the planted bad rows are not inside (missing, outside, swapped)
    assert (~inside).sum() == 3
    feed = json.loads((DEMO_DIR / FILES["feed"]).read_text(encoding="utf-8"))
    gps = np.array([[float(v) for v in e["location"]["gps"].split(",")] for e in feed])
    assert shapely.contains_xy(poly, gps[:, 1], gps[:, 0]).all()
