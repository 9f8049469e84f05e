"""`geo hotspots --method segments` (hot streets) run as a user runs it: the command-line contract."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from geo.hotspots.objects import HOTSPOT_COLUMNS
from tests._helpers import run_geo
from tests.conftest import DATA

pytestmark = pytest.mark.slow  # each case starts the command line and reads a PBF

PBF = DATA / "helsinki_center.osm.pbf"


@pytest.fixture(scope="module")
def street_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Reports along the longest named street segment of central Helsinki, plus background."""
    from geo.hotspots.segments import split_at_junctions
    from geo.io.layers import read_streets

    streets = read_streets(PBF)
    network = split_at_junctions(streets)
    named = network[network["name"].notna()].sort_values("length_m", ascending=False)
    line = named.geometry.iloc[0]
    rng = np.random.default_rng(5)
    pts = shapely.line_interpolate_point(line, rng.uniform(0, 1, 60), normalized=True)
    x0, y0, x1, y1 = streets.total_bounds
    x = np.r_[shapely.get_x(pts), rng.uniform(x0, x1, 300)]
    y = np.r_[shapely.get_y(pts), rng.uniform(y0, y1, 300)]
    wgs = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=streets.crs).to_crs("EPSG:4326")
    times = pd.Timestamp("2025-03-01") + pd.to_timedelta(rng.uniform(0, 200, len(x)) * 86400, unit="s")
    table = pd.DataFrame(
        {
            "id": [f"h{i}" for i in range(len(x))],
            "category": "theft",
            "time": times.strftime("%Y-%m-%d %H:%M"),
            "lat": wgs.y.round(7),
            "lon": wgs.x.round(7),
        }
    )
    path = tmp_path_factory.mktemp("seg") / "reports.csv"
    table.to_csv(path, index=False)
    return path, str(named["name"].iloc[0])


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_contract(street_reports: tuple[Path, str], tmp_path: Path, suffix: str) -> None:
    path, street = street_reports
    out = tmp_path / f"hot_streets{suffix}"
    proc = run_geo(
        "hotspots",
        str(path),
        "--method",
        "segments",
        "--streets",
        str(PBF),
        "--snap-m",
        "20",
        "--min-samples",
        "8",
        "--out",
        str(out),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    layer = "hotspots" if suffix == ".gpkg" else None
    found = gpd.read_file(out, layer=layer)
    for col in (*HOTSPOT_COLUMNS, "rank", "n_reports", "per_100m"):
        assert col in found.columns
    assert found["rank"].tolist() == list(range(1, len(found) + 1))
    assert found["n_reports"].is_monotonic_decreasing
    assert (found.geom_type == "LineString").all()
    assert found.loc[0, "label"] == street and found.loc[0, "n_reports"] >= 60
    assert found.loc[0, "per_100m"] == pytest.approx(
        100 * found.loc[0, "n_reports"] / found.loc[0, "length_m"]
    )
    assert "% av gatunätet har 50 % av händelserna" in proc.stdout.replace("\n", " ")
    assert "längre bort räknas inte" in proc.stdout.replace("\n", " ")
    info = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))["hot_streets"]
    assert "av gatunätet har 50 % av händelserna" in info["concentration"] and "20 m" in info["snap_m"]
    if suffix == ".gpkg":
        assert "street_segments" in [name for name, _ in pyogrio.list_layers(out)]


def test_segments_without_streets_is_an_error(street_reports: tuple[Path, str], tmp_path: Path) -> None:
    proc = run_geo(
        "hotspots", str(street_reports[0]), "--method", "segments", "--out", str(tmp_path / "o.geojson")
    )
    assert proc.returncode == 1 and "--streets" in proc.stderr
