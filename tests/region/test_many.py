"""Many areas in one run: planted hot-spots of Jönköpings län found each in its own municipality, on Dask."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.config import load_config
from geo.demo.region import Plant
from geo.region.many import RegionResult, run_region
from tests.region.conftest import MEASURED, PLANTED, plants, write_config, write_world


def _hotspots(out: Path, folder: str) -> gpd.GeoDataFrame:
    path = out / folder / "hotspots.geojson"
    return gpd.read_file(path) if path.exists() else gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")


def _check(
    result: RegionResult, out: Path, county: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]
) -> pd.DataFrame:
    chosen, _ = county
    table = pd.read_csv(out / "overview.csv", dtype={"code": str})
    assert list(table["code"]) == sorted(chosen["code"])  # every municipality of the county, one row each
    assert (table["status"] == "ok").all()
    truth = {p: plant for p, plant in zip(sorted(PLANTED), plants(chosen), strict=True)}
    for row in table.itertuples():
        assert (out / row.folder / "run.json").exists()
        found = _hotspots(out, row.folder)
        assert row.hotspots == len(found)
        if row.code in truth:  # its own plant, once
            plant = gpd.GeoSeries.from_xy([truth[row.code].lon], [truth[row.code].lat], crs="EPSG:4326")
            assert len(found) == 1
            assert found.to_crs("EPSG:3006").buffer(30).contains(plant.to_crs("EPSG:3006").iloc[0]).all()
        else:
            assert len(found) == 0, row.code
        assert row.measures == (1 if row.code in MEASURED else 0)  # each measure in its own municipality only
        if row.code in MEASURED:
            evaluation = pd.read_csv(out / row.folder / "evaluation.csv")
            assert evaluation["measure_id"].tolist() == [MEASURED[row.code]]
        if len(found):  # none across a border: inside its own municipality
            own = chosen.loc[chosen["code"] == row.code, "geometry"].iloc[0]
            assert found.geometry.within(own).all()
    assert result.elsewhere == 7 and result.nowhere == 5
    outside = pd.read_csv(out / "outside.csv")
    assert sorted(outside["where"].value_counts().items()) == [("elsewhere", 7), ("nowhere", 5)]
    assert table["reports"].sum() == result.reports - 12
    assert "Jönköping" in (out / "overview.html").read_text(encoding="utf-8")
    return table


def test_county_on_dask_finds_each_plant_in_its_own_municipality_with_1_and_2_workers(
    world, county, tmp_path
):
    keep = ["code", "status", "reports", "hotspots", "area_km2", "reports_per_km2"]
    tables = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        result = run_region(load_config(world), *county, out, workers=workers)
        tables.append(_check(result, out, county)[keep])
        assert len({o.worker for o in result.outcomes}) <= workers
        assert all(o.peak_mb > 0 for o in result.outcomes)
    pd.testing.assert_frame_equal(tables[0], tables[1])  # the same result with 1 and 2 workers


def test_a_failed_municipality_is_reported_and_the_others_finish(world, county, tmp_path, monkeypatch):
    import geo.pipeline

    real = geo.pipeline.run

    def fails_in_eksjo(config, **kw):
        if config.area is not None and "0686" in str(config.area.file):
            raise RuntimeError("disken är full")
        return real(config, **kw)

    monkeypatch.setattr(geo.pipeline, "run", fails_in_eksjo)
    chosen, every = county
    out = tmp_path / "fail"
    result = run_region(load_config(world), chosen, every, out, serial=True)
    assert [o.code for o in result.failed] == ["0686"]
    table = pd.read_csv(out / "overview.csv", dtype={"code": str}).set_index("code")
    assert table.loc["0686", "status"] == "failed"
    assert "RuntimeError: disken är full" in table.loc["0686", "error"]
    assert (table.drop(index="0686")["status"] == "ok").all()
    assert "misslyckades" in (out / "overview.html").read_text(encoding="utf-8")


def test_one_store_keeps_each_municipality_apart(county, tmp_path):
    """Two weeks into one store: each municipality's changes are against its own previous run only."""
    chosen, every = county
    two = chosen[chosen["code"].isin(["0662", "0683"])]
    first = plants(chosen, ("0662", "0683"), n=240)
    moved = plants(chosen, ("0683",), n=240)
    gislaved = chosen.loc[chosen["code"] == "0662"].to_crs("EPSG:3006").geometry.iloc[0]
    spot = gpd.GeoSeries([gislaved.representative_point()], crs="EPSG:3006").translate(2500, 0)
    assert spot.within(gislaved).all()
    p = spot.to_crs("EPSG:4326").iloc[0]
    moved.append(Plant(lon=float(p.x), lat=float(p.y), n=240, spread_m=20))
    store = str(tmp_path / "arkiv.gpkg")
    results = []
    for week, plants_, day in (("a", first, "2026-01-19"), ("b", moved, "2026-01-26")):
        folder = tmp_path / week
        config = load_config(write_config(folder, write_world(folder, plants_, seed=7)))
        period = config.period.model_copy(update={"start": None, "end": None, "weeks": 1})
        config = config.model_copy(update={"period": period})
        as_of = dt.date.fromisoformat(day)
        results.append(run_region(config, two, every, folder / "ut", serial=True, store=store, as_of=as_of))
    assert results[0].overview["new"].isna().all()  # no earlier run of either in the store
    table = results[1].overview.set_index("code")
    assert table.loc["0683", ["new", "continuing", "ended"]].tolist() == [0, 1, 0]  # the same place
    assert table.loc["0662", ["new", "continuing", "ended"]].tolist() == [1, 0, 1]  # moved within Gislaved


def test_an_existing_scheduler_runs_the_areas(world, county, tmp_path):
    """``--scheduler tcp://...``: the areas go to a cluster that was already running, which stays up."""
    from distributed import LocalCluster

    from geo.region.runner import _local_cluster

    chosen, every = county
    two = chosen[chosen["code"].isin(["0683", "0604"])]
    cluster = _local_cluster(1, LocalCluster)
    try:
        result = run_region(
            load_config(world), two, every, tmp_path / "ut", scheduler=cluster.scheduler_address
        )
        assert [(o.code, o.ok, o.figures["hotspots"]) for o in result.outcomes] == [
            ("0604", True, 0),
            ("0683", True, 1),
        ]
        assert len(cluster.scheduler_info["workers"]) == 1  # not closed by the run
    finally:
        cluster.close()
