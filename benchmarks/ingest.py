"""Ingest speed: 1,000,000 CSV rows into the validated report model.

Prints rows per second and peak memory of `geo.io.read_reports` (full validation: coordinates, times with
daylight-saving checks, duplicates, darkness from the sun, projection) against a named baseline measured in the
same run: plain `pandas.read_csv` + `geopandas.points_from_xy` + `to_crs` with no validation at all.
Run: .venv/bin/python benchmarks/ingest.py [N_ROWS]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

N = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000


def make_csv(path: Path, n: int) -> None:
    rng = np.random.default_rng(0)
    t0 = pd.Timestamp("2023-01-01").value // 10**9
    secs = rng.integers(0, 3 * 365 * 86400, n) + t0
    times = pd.to_datetime(secs, unit="s").strftime("%Y-%m-%d %H:%M:%S")
    cats = np.array(["misshandel", "stöld", "inbrott", "skadegörelse", "rån", "narkotikabrott"])[rng.integers(0, 6, n)]
    frame = pd.DataFrame(
        {
            "id": np.arange(n),
            "lat": np.round(57.1832 + rng.normal(0, 0.01, n), 6),
            "lon": np.round(14.0478 + rng.normal(0, 0.02, n), 6),
            "occurred_at": times,
            "category": cats,
        }
    )
    frame.to_csv(path, index=False)


CHILD_GEO = """
import sys, time, resource
from geo.io import read_reports
t = time.perf_counter(); r = read_reports([sys.argv[1]]); dt = time.perf_counter() - t
print(dt, len(r.reports), r.n_rejected, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
CHILD_BASE = """
import sys, time, resource
import pandas as pd, geopandas as gpd
t = time.perf_counter()
f = pd.read_csv(sys.argv[1])
g = gpd.GeoDataFrame(f, geometry=gpd.points_from_xy(f['lon'], f['lat']), crs='EPSG:4326').to_crs('EPSG:3006')
g['occurred_at'] = pd.to_datetime(g['occurred_at'])
dt = time.perf_counter() - t
print(dt, len(g), 0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(code: str, path: Path) -> tuple[float, int, int, float]:
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    dt, n, rej, rss = out.stdout.split()
    return float(dt), int(n), int(rej), int(rss) / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reports.csv"
        make_csv(path, N)
        print(f"ingest benchmark: {N:,} CSV rows ({path.stat().st_size / 1e6:.0f} MB)")
        base = run(CHILD_BASE, path)
        geo = run(CHILD_GEO, path)
    print(f"  baseline (pandas.read_csv + points_from_xy + to_crs, no validation): {base[0]:.2f} s, "
          f"{N / base[0]:,.0f} rows/s, peak {base[3]:,.0f} MB")
    print(f"  lagesbild read_reports (validated model):                           {geo[0]:.2f} s, "
          f"{N / geo[0]:,.0f} rows/s, peak {geo[3]:,.0f} MB, accepted {geo[1]:,}, rejected {geo[2]:,}")
    print(f"  ratio validated/baseline time: {geo[0] / base[0]:.2f}x  (goal: >= 200,000 rows/s)")


if __name__ == "__main__":
    main()
