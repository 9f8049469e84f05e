"""Hostile files against the readers (issue 20, findings 5 and 7): bounded fields, lines and decompression,
linear time in the number of columns, an ingest that accepts nothing fails, coordinates that cannot be in
the stated CRS are an error.
"""

from __future__ import annotations

import gzip
import resource
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from geo.errors import InputError
from geo.io import ReaderOptions, read_reports
from geo.io.tabular import read_csv_raw

ROOT = Path(__file__).resolve().parents[2]
HEAD = "id,occurred_at,category,lat,lon,description\n"
ROW = "A{i},2025-01-10 21:30,stöld,57.186,14.04,{text}\n"


def _geo(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run ``geo`` in a child process; return it and the child's peak memory in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    r = subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd), "COLUMNS": "200"},
        check=False,
        timeout=300,
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return r, max(peak, before) // 1024


def test_huge_field_in_gzip_is_refused_with_file_and_row(tmp_path: Path) -> None:
    src = tmp_path / "big.csv.gz"
    with gzip.open(src, "wt", encoding="utf-8", compresslevel=1) as fh:
        fh.write(HEAD + ROW.format(i=1, text="ok"))
        fh.write("A2,2025-01-10 21:30,stöld,57.186,14.04,")
        for _ in range(100):
            fh.write("x" * 1_000_000)  # one 100 MB field
        fh.write("\n")
    assert src.stat().st_size < 1_000_000
    r, peak_mb = _geo("ingest", str(src), "--out", "out.parquet", cwd=tmp_path)
    assert r.returncode != 0
    assert "big.csv.gz" in r.stderr + r.stdout and "line 3" in r.stderr + r.stdout
    assert peak_mb < 1500, peak_mb  # was 3.7 GB for a 400 MB field


def test_gzip_bomb_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "bomb.csv.gz"
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    with open(src, "wb") as fh:
        fh.write(comp.compress(HEAD.encode()))
        block = (ROW.format(i=0, text="x" * 200) * 4000).encode()
        for _ in range(700_000_000 // len(block)):  # about 700 MB expanded
            fh.write(comp.compress(block))
        fh.write(comp.flush())
    assert src.stat().st_size < 5_000_000
    with pytest.raises(InputError, match="expands to more than") as err:
        read_csv_raw(src, max_expanded_bytes=50_000_000)
    assert err.value.path == str(src)
    r, peak_mb = _geo("ingest", str(src), "--out", "out.parquet", cwd=tmp_path)
    assert r.returncode != 0 and "compression bomb" in r.stderr + r.stdout
    assert peak_mb < 1500, peak_mb  # the default cap is 512 MiB expanded


def test_long_field_and_line_name_file_and_row(tmp_path: Path) -> None:
    src = tmp_path / "long.csv"
    src.write_text(HEAD + ROW.format(i=1, text="ok") + ROW.format(i=2, text="y" * 200_000), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_csv_raw(src)
    assert (err.value.path, err.value.row, err.value.field) == (str(src), 3, "description")
    one_line = tmp_path / "oneline.csv"
    one_line.write_text("a," * 5_000_000, encoding="utf-8")  # a 10 MB single line (also the header)
    t0 = time.perf_counter()
    with pytest.raises(InputError, match="line 1 is 10,000,000 bytes") as err:
        read_csv_raw(one_line)
    assert err.value.row == 1 and err.value.path == str(one_line)
    assert time.perf_counter() - t0 < 10


def test_many_columns_take_linear_time(tmp_path: Path) -> None:
    def timed(ncol: int) -> float:
        path = tmp_path / f"cols{ncol}.csv"
        names = ["lat", "lon", "occurred_at", "category"] + [f"c{i}" for i in range(ncol)]
        row = ["57.186", "14.04", "2025-01-10 21:30", "stöld"] + ["x"] * ncol
        path.write_text(",".join(names) + "\n" + (",".join(row) + "\n") * 20, encoding="utf-8")
        t0 = time.perf_counter()
        res = read_reports([path], ReaderOptions())
        assert len(res.reports) == 20 and f"c{ncol - 1}" in res.reports.columns
        return time.perf_counter() - t0

    small, large = timed(500), timed(4000)
    assert large < 8 * small * 3, (small, large)  # linear: 8x the columns, far from the 64x of quadratic


def test_ingest_with_no_accepted_row_fails_and_says_why(tmp_path: Path) -> None:
    src = tmp_path / "none.csv"
    src.write_text(HEAD + "A1,not a time,stöld,57.186,14.04,x\nA2,also bad,stöld,57.186,14.04,x\n")
    r, _ = _geo("ingest", str(src), "--out", "out.parquet", cwd=tmp_path)
    out = r.stderr + r.stdout
    assert r.returncode != 0
    assert "no row accepted" in out and "2 rows rejected" in out and "occurred_at" in out
    assert not (tmp_path / "out.parquet").exists() and (tmp_path / "out.rejects.csv").exists()


def test_degrees_in_a_metric_crs_are_an_error(tmp_path: Path) -> None:
    src = tmp_path / "xy.csv"
    src.write_text("id,occurred_at,category,x,y\nA1,2025-01-10 21:30,stöld,14.04,57.186\n")
    opts = ReaderOptions(x_col="x", y_col="y", crs="EPSG:3006")
    with pytest.raises(InputError, match="hold degrees") as err:
        read_reports([src], opts)
    assert "'x'/'y'" in str(err.value) and "EPSG:3006" in str(err.value)
    far = tmp_path / "far.csv"  # SWEREF 99 TM metres that lie in the Atlantic
    far.write_text("id,occurred_at,category,x,y\nA1,2025-01-10 21:30,stöld,-2500000,5000000\n")
    with pytest.raises(InputError, match="outside the area where") as err:
        read_reports([far], opts)
    assert "EPSG:3006" in str(err.value)
    mixed = tmp_path / "mixed.csv"  # one stray row among good ones is rejected, not fatal
    mixed.write_text(
        "id,occurred_at,category,x,y\n"
        "A1,2025-01-10 21:30,stöld,453000,6340000\nA2,2025-01-10 21:30,stöld,453100,6340100\n"
        "A3,2025-01-10 21:30,stöld,-2500000,5000000\n"
    )
    res = read_reports([mixed], opts)
    assert len(res.reports) == 2
    assert "outside the area of use" in " ".join(res.rejects["reason"])
