"""Addresses as input, placed with the real OpenStreetMap extract of central Helsinki (about 1,400
addresses): houses within 30 m of their OSM point, unknown streets rejected naming the column, house
numbers that do not exist never placed at address precision."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.geocode import street_key
from geo.io import read_reports
from geo.io.addresses import read_addresses, read_gazetteer
from geo.io.options import ReaderOptions

HELSINKI_CRS = "EPSG:3067"


def _options(pbf: Path) -> ReaderOptions:
    return ReaderOptions(address_col="Adress", geocode=str(pbf), category_col="Brott", time_col="Tid")


def test_the_extract_holds_about_1400_addresses(osm_addresses: pd.DataFrame) -> None:
    assert 1_200 <= len(osm_addresses) <= 1_700
    assert osm_addresses["street"].nunique() > 50


def _metres(lat: np.ndarray, lon: np.ndarray) -> gpd.GeoSeries:
    return gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=4326).to_crs(HELSINKI_CRS)


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory, osm_addresses: pd.DataFrame) -> tuple[Path, pd.DataFrame]:
    """A police-style export: every 4th OSM address, written as people write them, plus bad ones."""
    rng = np.random.default_rng(19)
    sample = osm_addresses.iloc[::4].reset_index(drop=True)
    styles = [
        lambda s, n: f"{s} {n}",
        lambda s, n: f"{s.upper()} {n}",
        lambda s, n: f"{s.lower()}  {str(n).replace(' ', '')}",
        lambda s, n: f"{s[:-4] + 'k.' if s.endswith('katu') else s} {n}, Helsinki",
    ]
    text = [
        styles[i % len(styles)](s, n)
        for i, (s, n) in enumerate(zip(sample["street"], sample["housenumber"], strict=True))
    ]
    good = pd.DataFrame({"Adress": text, "kind": "house", "i": range(len(sample))})
    bad = pd.DataFrame(
        {
            "Adress": ["Påhittadgatan 3", "Mannerheimintie 9999", "Aleksanterinkatu 777", ""],
            "kind": ["unknown", "no_house", "no_house", "blank"],
            "i": -1,
        }
    )
    frame = pd.concat([good, bad], ignore_index=True)
    frame["Tid"] = pd.Timestamp("2026-10-05 21:30") + pd.to_timedelta(rng.integers(0, 600, len(frame)), "h")
    frame["Brott"] = "skadegörelse"
    path = tmp_path_factory.mktemp("addresses") / "polis.csv"
    frame.to_csv(path, index=False)
    return path, sample


def test_addresses_are_placed_within_30_m_of_the_osm_point(
    table: tuple[Path, pd.DataFrame], pbf: Path, osm_addresses: pd.DataFrame, now: pd.Timestamp
) -> None:
    path, sample = table
    got = read_reports([path], _options(pbf), now=now)
    raw = pd.read_csv(path, keep_default_na=False)
    reports = got.reports.to_crs(HELSINKI_CRS)
    houses = reports[reports["source_row"].isin(raw.index[raw["kind"] == "house"] + 2)]
    assert len(houses) == len(sample)  # every house placed
    assert (houses["location_precision"] == "address").all()
    want = _metres(sample["lat"].to_numpy(), sample["lon"].to_numpy())
    i = raw.loc[houses["source_row"].to_numpy() - 2, "i"].to_numpy()
    # the same address can be both a node and a building: the nearest point of that address counts
    street = osm_addresses["street"].str.rsplit(",", n=1).str[-1].map(street_key)  # "Asemahalli, Kaivokatu"
    keys = street + " " + osm_addresses["housenumber"].str.replace(" ", "").str.casefold()
    all_pts = _metres(osm_addresses["lat"].to_numpy(), osm_addresses["lon"].to_numpy())
    sample_keys = keys.iloc[::4].reset_index(drop=True)
    dist = []
    for placed, k, own in zip(houses.geometry, sample_keys.iloc[i], want.iloc[i], strict=True):
        same = all_pts[(keys == k).to_numpy()]
        dist.append(min(placed.distance(own), float(same.distance(placed).min())))
    assert max(dist) <= 30.0, sorted(dist)[-5:]
    assert float(np.median(dist)) < 1.0


def test_unknown_streets_are_rejected_naming_the_address_column(
    table: tuple[Path, pd.DataFrame], pbf: Path, now: pd.Timestamp
) -> None:
    path, _ = table
    got = read_reports([path], _options(pbf), now=now)
    raw = pd.read_csv(path, keep_default_na=False)
    rejected = got.rejects[got.rejects["status"] == "rejected"]
    unknown_row = int(raw.index[raw["kind"] == "unknown"][0]) + 2
    hit = rejected[rejected["row"] == unknown_row]
    assert list(hit["field"]) == ["Adress"]
    assert "address not found in helsinki_center.osm.pbf" in hit["reason"].iloc[0]
    blank_row = int(raw.index[raw["kind"] == "blank"][0]) + 2
    assert list(rejected.loc[rejected["row"] == blank_row, "field"]) == ["Adress"]


def test_a_house_number_that_does_not_exist_is_never_placed_as_an_address(
    table: tuple[Path, pd.DataFrame], pbf: Path, now: pd.Timestamp
) -> None:
    path, _ = table
    got = read_reports([path], _options(pbf), now=now)
    raw = pd.read_csv(path, keep_default_na=False)
    rows = raw.index[raw["kind"] == "no_house"] + 2
    placed = got.reports[got.reports["source_row"].isin(rows)]
    assert (placed["location_precision"] == "street").all()
    rejected_rows = set(got.rejects.loc[got.rejects["status"] == "rejected", "row"])
    assert set(rows) <= set(placed["source_row"]) | rejected_rows
    warned = got.rejects[(got.rejects["status"] == "warning") & got.rejects["row"].isin(rows)]
    assert (warned["field"] == "Adress").all() and len(warned) == len(placed)


def test_street_precision_point_lies_on_the_street(pbf: Path) -> None:
    gazetteer = read_gazetteer(pbf)
    m = gazetteer.geocode("Mannerheimintie 9999")
    assert m is not None and m.precision == "street"
    _, streets = read_addresses(pbf)
    line = streets[streets["name"] == "Mannerheimintie"].to_crs(HELSINKI_CRS).union_all()
    assert _metres(np.array([m.lat]), np.array([m.lon])).iloc[0].distance(line) < 1.0


def test_geo_ingest_geocodes_with_the_options(
    table: tuple[Path, pd.DataFrame], pbf: Path, geo_inproc: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    path, sample = table
    out = path.with_name("placed.parquet")
    proc = geo_inproc(
        "ingest",
        str(path),
        "--address-col",
        "Adress",
        "--geocode",
        str(pbf),
        "--out",
        str(out),
        "--category-col",
        "Brott",
        "--time-col",
        "Tid",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    placed = gpd.read_parquet(out)
    assert (placed["location_precision"] == "address").sum() == len(sample)
    rejects = pd.read_csv(path.with_name("placed.rejects.csv"))
    assert (rejects["field"] == "Adress").any()


def test_without_an_extract_the_address_column_is_an_error(
    table: tuple[Path, pd.DataFrame], now: pd.Timestamp
) -> None:
    from geo.errors import InputError

    path, _ = table
    with pytest.raises(InputError, match="needs --geocode"):
        read_reports(
            [path], ReaderOptions(address_col="Adress", category_col="Brott", time_col="Tid"), now=now
        )
