"""The demo as a weekly rhythm: three consecutive Monday runs into one store."""

from __future__ import annotations

import datetime as dt
import tomllib

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.config import parse_config
from geo.demo import DEMO_DIR
from geo.pipeline import run
from geo.service.storage import open_store

MONDAYS = [dt.date(2026, 10, 19), dt.date(2026, 10, 26), dt.date(2026, 11, 2)]


def test_three_weeks_into_one_store(tmp_path):
    data = tomllib.loads((DEMO_DIR / "demo.toml").read_text(encoding="utf-8"))
    for name in ("lighting", "patrol", "speed", "forecast"):
        data[name] = {"enabled": False}
    data["maps"] = {**data["maps"], "public": False, "tiles": "none"}
    data["store"] = {"path": str(tmp_path / "arkiv.gpkg")}
    config = parse_config(data, path=DEMO_DIR / "demo.toml")
    results = [run(config, out_dir=tmp_path / str(day), as_of=day) for day in MONDAYS]

    store = open_store(tmp_path / "arkiv.gpkg")
    try:
        kept = store.lagesbild_runs(area="Värnamo")
    finally:
        store.close()
    assert [r.period_end for r in kept] == [d - dt.timedelta(days=1) for d in MONDAYS]
    assert all((r.period_end - r.period_start).days == 27 for r in kept)  # four whole weeks each

    assert "changes" not in results[0].outputs
    for before, now in zip(results, results[1:], strict=False):
        changes = pd.read_csv(now.outputs["changes"])
        assert set(changes["status"]) <= {"new", "continuing", "ended"}
        assert set(changes.loc[changes["status"] != "ended", "hotspot_id"]) == set(
            now.hotspots.hotspots["hotspot_id"]
        )
        old = before.hotspots.hotspots.set_index("hotspot_id")
        new = now.hotspots.hotspots.set_index("hotspot_id")
        for hid in changes.loc[changes["status"] == "continuing", "hotspot_id"]:
            assert old.loc[hid].geometry.intersects(new.loc[hid].geometry), hid  # the id follows the place
        assert "Sedan förra lägesbilden" in now.outputs["map_summary"].read_text(encoding="utf-8")

    # the demo's priority area has its figures each week, and the measures' verdicts are kept
    for r in results:
        areas = pd.read_csv(r.outputs["areas"])
        assert list(areas["area"]) == ["Centrum"] and areas.loc[0, "n_reports"] > 0
    assert all(
        k.document["measures"] and {"measure_id", "status", "verdict"} <= set(k.document["measures"][0])
        for k in kept
    )

    # Handelsplats Mossle (the demo's emerging place) keeps one id all three weeks
    mossle = gpd.GeoSeries([Point(14.070623, 57.196667)], crs="EPSG:4326")
    ids = []
    for r in results:
        hs = r.hotspots.hotspots
        here = mossle.to_crs(hs.crs).iloc[0]
        ids.append(set(hs.loc[hs.distance(here) < 250, "hotspot_id"]))
    assert all(len(i) == 1 for i in ids) and ids[0] == ids[1] == ids[2], ids
