"""`geo hotspots` run as a user runs it: the command-line contract.

Also: the command writes exactly what the stage and its writer give for the same settings, and a run.json.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest

from geo.io import ReaderOptions, read_reports
from geo.io.area import load_area
from geo.io.manifest import read_manifest
from geo.io.outputs.hotspots import write_hotspots
from geo.stages.hotspots import HotspotSettings, hotspots_stage
from tests._helpers import DEMO_POLICE_ARGS, run_geo
from tests.conftest import DATA, DEMO

pytestmark = pytest.mark.slow  # each case starts the command line and reads a file

DEMO_ARGS = [*DEMO_POLICE_ARGS, "--area", "0683"]
COLUMNS = [
    "hotspot_id",
    "label",
    "method",
    "n_reports",
    "share",
    "area_m2",
    "density_km2",
    "category_mix",
    "dark_share",
    "profile",
    "peak_windows",
    "trend",
    "member_ids",
]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``geo hotspots *args`` in a fresh process."""
    return run_geo("hotspots", *args, cwd=cwd)


def run_demo(out: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``geo hotspots`` on the demo police export with `args`, writing `out`."""
    return run(*DEMO_ARGS, *args, "--out", str(out), cwd=cwd)


def test_help_has_an_example(tmp_path: Path) -> None:
    proc = run("--help", cwd=tmp_path)
    assert proc.returncode == 0
    for option in (
        "--method",
        "--eps",
        "--min-samples",
        "--bandwidth",
        "--cell",
        "--band",
        "--alpha",
        "--since",
        "--until",
        "--category",
        "--out",
        "--lat-col",
        "--x-col",
        "--crs",
        "--time-col",
        "--tz",
        "--area",
    ):
        assert option in proc.stdout, option
    assert "Example: geo hotspots" in proc.stdout


def test_dbscan_geojson_in_wgs84_with_automatic_choice(tmp_path: Path) -> None:
    out = tmp_path / "hs.geojson"
    proc = run_demo(out, "--method", "dbscan", "--streets", str(DEMO / "gator.geojson"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "eps" in proc.stdout and "k-avståndskurvan" in proc.stdout  # the automatic choice and why
    hs = gpd.read_file(out)
    assert hs.crs.to_epsg() == 4326
    assert [c for c in hs.columns if c != "geometry"] == COLUMNS
    assert len(hs) >= 7
    assert hs.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    bounds = hs.total_bounds
    assert 13.5 < bounds[0] < 14.5 and 56.9 < bounds[1] < 57.4
    assert all(len(json.loads(p)) == 168 for p in hs["profile"])
    assert "fre–lör 22–03" in set(hs["peak_windows"])
    assert set(hs["trend"]) >= {"new", "diminishing", "persistent"}


def test_gpkg_in_metric_crs_with_filters(tmp_path: Path) -> None:
    out = tmp_path / "hs.gpkg"
    args = ["--method", "kde", "--bandwidth", "60", "--since", "2025-11-01", "--until", "2026-11-01"]
    proc = run_demo(out, *args, "--category", "stöld", "--category", "rån", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "bandbredd" not in proc.stdout  # given, so not chosen automatically
    assert "Filter:" in proc.stdout
    hs = gpd.read_file(out)
    assert hs.crs.to_epsg() == 3006
    mixes = [json.loads(m) for m in hs["category_mix"]]
    assert all(set(m) <= {"stöld", "rån"} for m in mixes)
    # Handelsplats Mossle (stöld, rån; only in the last year) is there
    mossle = gpd.GeoSeries.from_xy([443841.5], [6339661.2], crs=3006).iloc[0]
    assert hs.geometry.distance(mossle).min() < 150


def test_gistar_writes_every_cell(tmp_path: Path) -> None:
    out = tmp_path / "cells.geojson"
    src = DATA / "toronto_mci_2014_2017.csv.gz"
    proc = run(str(src), "--method", "gistar", "--cell", "500", "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Moran" in proc.stdout  # --band not given: the band and its reason are printed
    cells = gpd.read_file(out)
    assert {"count", "z", "p", "p_fdr", "class"} <= set(cells.columns)
    assert cells.crs.to_epsg() == 4326
    assert (cells["count"] == 0).any() and cells["count"].sum() > 100_000
    assert set(cells["class"]) <= {"hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90", "ns"}
    assert ((cells["p_fdr"] >= cells["p"] - 1e-12) & (cells["p"] <= 1)).all()
    assert (cells["class"] == "hot_99").sum() > 0
    assert np.isfinite(cells["z"]).all()


def test_gistar_gpkg_with_band(tmp_path: Path) -> None:
    out = tmp_path / "cells.gpkg"
    args = ["--method", "gistar", "--cell", "250", "--band", "400", "--alpha", "0.01"]
    proc = run_demo(out, *args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Moran" not in proc.stdout
    layers = pyogrio.list_layers(out)
    assert len(layers) == 1
    cells = gpd.read_file(out)
    assert cells.crs.to_epsg() == 3006
    assert (cells["neighbours"] == 9).sum() > 0  # 400 m band over 250 m cells: itself and 8 around


@pytest.mark.parametrize(
    ("args", "out_name", "message"),
    [
        (["--method", "kmeans"], "hs.geojson", "--method"),
        (["--eps", "-3"], "hs.geojson", "--eps"),
        (["--since", "31.02.2024"], "hs.geojson", "--since"),
        (["--category", "nothing-like-this"], "hs.geojson", "no reports left"),
        ([], "hs.shp", ".geojson or .gpkg"),
    ],
)
def test_bad_input_fails_clearly_and_writes_nothing(
    tmp_path: Path, args: list[str], out_name: str, message: str
) -> None:
    proc = run_demo(tmp_path / out_name, *args, cwd=tmp_path)
    assert proc.returncode != 0 and message in proc.stderr
    assert not (tmp_path / "hs.geojson").exists()
    assert not list(tmp_path.glob("*.geojson"))


@pytest.mark.parametrize(
    ("args", "settings"),
    [
        ([], HotspotSettings(overview=False)),
        (
            ["--method", "gistar", "--cell", "250"],
            HotspotSettings(method="gistar", cell_m=250, overview=False),
        ),
    ],
    ids=["dbscan", "gistar"],
)
def test_command_equals_stage_and_writer(tmp_path: Path, args: list[str], settings: HotspotSettings) -> None:
    out = tmp_path / "command" / "hs.geojson"
    proc = run_demo(out, *args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    options = ReaderOptions(
        id_col="Ärendenummer",
        category_col="Brottstyp",
        time_col="occurred_from",
        time_to_col="occurred_to",
        lat_col="Latitud",
        lon_col="Longitud",
        encoding="cp1252",
        sep=";",
    )
    area = load_area("0683")
    reports = read_reports([DEMO / "polisanmalningar.csv"], options, area=area).reports
    result = hotspots_stage(reports, settings, area=area.to_crs(reports.crs))
    write_hotspots(result, tmp_path / "stage" / "hs.geojson")
    assert (tmp_path / "stage" / "hs.geojson").read_bytes() == out.read_bytes()
    manifest = read_manifest(out.parent)
    kind = "gistar" if settings.method == "gistar" else "hotspots"
    assert [(f.kind, Path(f.path).name) for f in manifest.files] == [(kind, "hs.geojson")]
    assert manifest.settings["hotspots"] == settings.model_dump(mode="json")
