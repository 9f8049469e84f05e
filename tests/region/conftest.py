"""A small synthetic Jönköpings län (county 06) with planted hot-spots, and its run configuration."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.demo.region import Plant, synthetic_reports
from geo.io.region import load_region_areas

START = pd.Timestamp("2026-01-05", tz="Europe/Stockholm")
END = pd.Timestamp("2026-02-01", tz="Europe/Stockholm")

PLANTED = ("0683", "0662", "0680", "0686")
"""Municipalities of county 06 with one planted hot-spot each (Värnamo, Gislaved, Jönköping, Eksjö)."""

OUTSIDE = [(18.07, 59.33, 7), (19.6, 56.6, 5)]
"""Reports elsewhere: (lon, lat, n) in Stockholm (another county) and at sea (no municipality)."""


def plants(areas: gpd.GeoDataFrame, codes: tuple[str, ...] = PLANTED, *, n: int = 50) -> list[Plant]:
    """One plant of `n` reports at each area's representative point (well inside its borders)."""
    chosen = areas[areas["code"].isin(codes)].sort_values("code")
    points = chosen.geometry.representative_point()
    return [Plant(lon=float(p.x), lat=float(p.y), n=n, spread_m=20) for p in points]


def write_world(folder: Path, plants_: list[Plant], *, seed: int = 6) -> Path:
    """Write background reports over county 06, the plants and the outside reports as CSV."""
    chosen, _ = load_region_areas(county="06")
    table = synthetic_reports(chosen, 1200, start=START, end=END, seed=seed, clustered=0.0, plants=plants_)
    extra = []
    for lon, lat, n in OUTSIDE:
        extra.append(
            pd.DataFrame(
                {
                    "id": [f"X{lon}-{i}" for i in range(n)],
                    "time": "2026-01-10T12:00:00+0100",
                    "category": "stöld",
                    "lat": lat,
                    "lon": lon,
                }
            )
        )
    table = pd.concat([table.drop(columns=["code", "data"]), *extra], ignore_index=True)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "lan.csv"
    table.to_csv(path, index=False)
    return path


CONFIG = """
[run]
title = "Lägesbild Jönköpings län"

[period]
start = 2026-01-05
end = 2026-01-31

[[sources]]
path = "{csv}"
source = "police"
[sources.columns]
id = "id"
time = "time"
category = "category"
lat = "lat"
lon = "lon"

[hotspots]
method = "dbscan"
eps_m = 40
min_samples = 15

[forecast]
enabled = false

[measures]
file = "{measures}"

[patrol]
enabled = false

[maps]
enabled = {maps}
public = false
tiles = "none"
"""


MEASURED = {"0683": "A1", "0686": "A2"}
"""Measures in the register, each at its municipality's plant."""


def write_measures(folder: Path) -> Path:
    """Write a register with a measure at the plants of Värnamo and Eksjö (started mid-period)."""
    chosen, _ = load_region_areas(county="06")
    rows = []
    for plant, code in zip(plants(chosen), sorted(PLANTED), strict=True):
        if code in MEASURED:
            place = f"{plant.lat:.6f},{plant.lon:.6f}"
            rows.append(f"{MEASURED[code]},belysning,Ny belysning,{place},100,2026-01-19,genomförd")
    path = folder / "atgarder.csv"
    path.write_text("measure_id,kind,name,lat,lon,radius_m,start,status\n" + "\n".join(rows) + "\n", "utf-8")
    return path


def write_config(folder: Path, csv: Path, *, maps: bool = False) -> Path:
    """Write the run configuration for `csv`, with the register of :func:`write_measures`."""
    path = folder / "lan.toml"
    text = CONFIG.format(
        csv=csv.as_posix(), maps=str(maps).lower(), measures=write_measures(folder).as_posix()
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def county() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """County 06's municipalities and all 290."""
    return load_region_areas(county="06")


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, county: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]
) -> Path:
    """The configuration of the small county with its four plants (CSV beside it)."""
    folder = tmp_path_factory.mktemp("lan")
    return write_config(folder, write_world(folder, plants(county[0])))
