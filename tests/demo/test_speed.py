"""The demo's speed measurements: three planted speeding segments, five controls, hourly aggregates."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.demo import DEMO_DIR
from geo.io.outputs.demo import FILES


def test_planted_speeding_segments(truth):
    passes = pd.read_csv(DEMO_DIR / FILES["speed_passes"], parse_dates=["measured_at"])
    streets = gpd.read_file(DEMO_DIR / FILES["streets"]).set_index("segment_id")
    night_hours = set(truth["speed_night_hours"])
    for item in truth["speeding_segments"] + truth["speed_controls"]:
        p = passes[passes["segment_id"] == item["segment_id"]]
        limit = float(streets.loc[item["segment_id"], "maxspeed"])
        assert limit == item["limit_kmh"]
        night = p["measured_at"].dt.hour.isin(night_hours)
        over_day = (p[~night]["speed_kmh"] > limit).mean()
        over_night = (p[night]["speed_kmh"] > limit).mean()
        assert over_day == pytest.approx(item["share_over_limit_day"], abs=1e-3)
        assert over_night == pytest.approx(item["share_over_limit_night"], abs=1e-3)
        if item["planted"]:
            assert over_day > 0.5 and over_night > 0.85 and over_night > over_day + 0.2, item
            assert np.percentile(p["speed_kmh"], 85) > limit + 5
        else:
            assert over_day < 0.25 and over_night < 0.5, item
    assert len(truth["speeding_segments"]) == 3


def test_hourly_aggregates_match_the_passes():
    passes = pd.read_csv(DEMO_DIR / FILES["speed_passes"], parse_dates=["measured_at"])
    hourly = pd.read_csv(DEMO_DIR / FILES["speed_hourly"], parse_dates=["hour_start"])
    assert hourly["count"].sum() == len(passes)
    key = passes.assign(hour_start=passes["measured_at"].dt.floor("h"))
    g = key.groupby(["hour_start", "segment_id", "direction"])["speed_kmh"]
    merged = hourly.set_index(["hour_start", "segment_id", "direction"]).join(g.mean().rename("m"))
    assert np.allclose(merged["mean_kmh"], merged["m"], atol=0.051)
    assert (hourly["p85_kmh"] >= hourly["mean_kmh"] - 0.05).all()
