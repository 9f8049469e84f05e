"""Runs kept in one store: places that start and stop, ids that follow the place, changes.csv."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.pipeline import run
from geo.rhythm.changes import CHANGE_COLUMNS
from geo.service.storage import open_store
from tests.rhythm.conftest import PLACES, town_config

D = dt.date


def _id_at(result, place: str) -> str:
    """The id of the hot-spot over `place` (by distance in the run's CRS)."""
    lat, lon, *_ = PLACES[place]
    hs = result.hotspots.hotspots
    here = gpd.GeoSeries([Point(lon, lat)], crs="EPSG:4326").to_crs(hs.crs).iloc[0]
    near = hs[hs.distance(here) < 100]
    assert len(near) == 1, (place, hs[["hotspot_id", "label"]])
    return str(near["hotspot_id"].iloc[0])


@pytest.mark.parametrize(
    ("weeks", "first", "second"),
    [
        (1, D(2026, 3, 2), D(2026, 3, 9)),  # a week apart
        (4, D(2026, 3, 2), D(2026, 6, 1)),  # a quarter apart (13 weeks)
    ],
    ids=["week", "quarter"],
)
def test_new_continuing_and_ended(town, weeks, first, second):
    store = town / "kept.gpkg"
    config = town_config(town, weeks=weeks, store=store)
    one = run(config, out_dir=town / "one", as_of=first)
    assert "changes" not in one.outputs  # nothing to compare with yet, and it says so
    assert any("ingen tidigare lägesbild" in n for n in one.notes)
    keeps, stops = _id_at(one, "keeps"), _id_at(one, "stops")

    two = run(config, out_dir=town / "two", as_of=second)
    assert _id_at(two, "keeps") == keeps  # the same place keeps its id
    starts = _id_at(two, "starts")
    assert starts not in {keeps, stops}  # a new place never gets an old place's id
    changes = pd.read_csv(two.outputs["changes"])
    assert list(changes.columns) == CHANGE_COLUMNS
    status = dict(zip(changes["hotspot_id"], changes["status"], strict=True))
    assert status == {keeps: "continuing", stops: "ended", starts: "new"}
    ended = changes[changes["status"] == "ended"].iloc[0]
    lat, lon, *_ = PLACES["stops"]
    assert abs(ended["lat"] - lat) < 0.001 and abs(ended["lon"] - lon) < 0.001  # the earlier run's place
    assert ended["n_now"] == 0 and ended["n_before"] > 0
    new = changes[changes["status"] == "new"].iloc[0]
    assert new["n_before"] == 0 and pd.isna(new["change_pct"])
    cont = changes[changes["status"] == "continuing"].iloc[0]
    assert cont["change_pct"] == pytest.approx(
        round(100 * (cont["n_now"] - cont["n_before"]) / cont["n_before"], 1)
    )
    page = two.outputs["map_summary"].read_text(encoding="utf-8")
    assert page.index("Sedan förra lägesbilden") < page.index("<img")  # the page opens with it
    assert "Nya platser (1)" in page and "Platser som upphört (1)" in page

    store_ = open_store(store)
    try:
        kept = store_.lagesbild_runs(area="")
    finally:
        store_.close()
    assert len(kept) == 2 and kept[1].period_end == second - dt.timedelta(days=second.weekday() + 1)
    doc = kept[1].document
    assert {h["hotspot_id"] for h in doc["hotspots"]} == {keeps, starts}
    assert all(h["wkt"].startswith("POLYGON") or h["wkt"].startswith("MULTIPOLYGON") for h in doc["hotspots"])
    assert doc["counts"]["reports"] == len(two.reports)
    assert doc["settings"]["hotspots"]["min_samples"] == 5


def test_counts_compare_equal_periods_and_a_year_before(town):
    config = town_config(town, weeks=4, store=town / "kept.gpkg")
    r = run(config, out_dir=town / "out", as_of=D(2026, 6, 1))
    counts = pd.read_csv(r.outputs["change_counts"])
    theft = counts[(counts["group"] == "kategori") & (counts["value"] == "stöld")].iloc[0]
    t = r.reports
    assert theft["n_now"] == int((t["category"] == "stöld").sum())
    assert pd.isna(theft["n_year_before"])  # the data start in 2026: unknown, not 0
    assert set(counts["group"]) == {"kategori", "källa"}
    small = counts[(counts[["n_now", "n_previous"]].max(axis=1) < 10)]
    assert all("slump" in str(c) for c in small["caveat"])
    big = counts[(counts[["n_now", "n_previous"]].max(axis=1) >= 10)]
    assert len(big) and big["caveat"].isna().all()


def test_rerunning_a_period_replaces_it(town):
    config = town_config(town, weeks=1, store=town / "kept.gpkg")
    run(config, out_dir=town / "a", as_of=D(2026, 3, 2))
    run(config, out_dir=town / "b", as_of=D(2026, 3, 2))
    store = open_store(town / "kept.gpkg")
    try:
        assert len(store.lagesbild_runs()) == 1
    finally:
        store.close()


def test_small_numbers_get_a_plain_caveat():
    from geo.rhythm.changes import count_changes

    t = pd.to_datetime(["2026-03-03 12:00", "2026-03-04 12:00", "2026-02-25 12:00"]).tz_localize(
        "Europe/Stockholm"
    )
    reports = pd.DataFrame({"occurred_at": t, "category": ["rån", "rån", "rån"], "source": "police"})
    start = pd.Timestamp("2026-03-02", tz="Europe/Stockholm")
    got = count_changes(reports, start=start, end=start + pd.Timedelta(days=7))
    row = got[got["value"] == "rån"].iloc[0]
    assert (row["n_now"], row["n_previous"], row["change_previous_pct"]) == (2, 1, 100.0)
    assert "slump" in row["caveat"]
