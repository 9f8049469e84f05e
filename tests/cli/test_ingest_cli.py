"""`geo ingest` run as a user runs it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd

from tests._helpers import run_geo


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run geo in a fresh process, as a user does (five minutes at most)."""
    return run_geo(*args, cwd=cwd, timeout=300)


def test_ingest_toronto_to_geoparquet(tmp_path: Path, data_dir: Path) -> None:
    out, rej = tmp_path / "toronto.parquet", tmp_path / "toronto.rejects.csv"
    proc = run(
        "ingest",
        str(data_dir / "toronto_mci_2014_2017.csv.gz"),
        "--out",
        str(out),
        "--rejects",
        str(rej),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    frame = gpd.read_parquet(out)
    assert frame.crs.to_epsg() == 32617
    assert isinstance(frame["occurred_at"].dtype, pd.DatetimeTZDtype)
    rejects = pd.read_csv(rej)
    assert list(rejects.columns[:5]) == ["file", "row", "field", "reason", "status"]
    rejected_rows = rejects[rejects["status"] == "rejected"][["file", "row"]].drop_duplicates()
    assert len(frame) + len(rejected_rows) == 114_721
    assert "EPSG:32617" in proc.stdout and "Rader lästa: 114\xa0721" in proc.stdout  # Swedish: --lang sv


def test_strict_refuses_and_writes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("lat,lon,time,category\n57.18,14.05,2024-03-05 22:10,stöld\n57.18,14.05,not a time,rån\n")
    out = tmp_path / "out.gpkg"
    proc = run("ingest", str(src), "--out", str(out), "--strict", cwd=tmp_path)
    assert proc.returncode != 0
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1 and "row 3" in err and "field 'time'" in err
    assert not out.exists()
    assert not list(tmp_path.glob(".out*"))  # no temporary file left behind


def test_without_strict_writes_gpkg_and_rejects(tmp_path: Path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("lat,lon,time,category\n57.18,14.05,2024-03-05 22:10,stöld\n57.18,14.05,not a time,rån\n")
    out = tmp_path / "out.gpkg"
    proc = run("ingest", str(src), "--out", str(out), "--area", "Värnamo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    frame = gpd.read_file(out, layer="reports")
    assert len(frame) == 1 and frame.crs.to_epsg() == 3006
    rejects = pd.read_csv(tmp_path / "out.rejects.csv")
    assert rejects.loc[0, "row"] == 3 and rejects.loc[0, "field"] == "time"


def test_unknown_file_is_one_line_error(tmp_path: Path) -> None:
    proc = run("ingest", "missing.csv", "--out", "x.parquet", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip() == "error: missing.csv: file not found"


def test_help_has_example(tmp_path: Path) -> None:
    proc = run("ingest", "--help", cwd=tmp_path)
    assert proc.returncode == 0 and "Example" in proc.stdout
