"""Benchmark of the lighting stage: 10,000 lamps, 5,000 ways, 100,000 reports, budget 50.

A synthetic grid town (SWEREF 99 TM, around Värnamo): 5,000 street segments of 80 m, lamps every 30 m on two
thirds of them (3 % broken, 3 % part-night), 100,000 reports over three years, a third of them along the unlit ways.
Prints the time of each step and of the whole, and the exact optimiser (spopt MCLP + CBC) against the named
baseline, the greedy choice (1 - 1/e guarantee), measured in the same run.

Run: .venv/bin/python benchmarks/lighting.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.io import ReaderOptions, read_reports  # noqa: E402
from geo.io.outputs.lighting import write_lighting  # noqa: E402
from geo.layers.lighting.layer import build_lighting  # noqa: E402
from geo.plan.lighting.evidence import dark_evidence, rank_dark_places  # noqa: E402
from geo.plan.lighting.fixes import quick_fixes  # noqa: E402
from geo.plan.lighting.plan import LightingPlan  # noqa: E402
from geo.plan.lighting.proposals import propose_lamps  # noqa: E402
from geo.stages.lighting import LightingResult, LightingSettings  # noqa: E402

CRS = "EPSG:3006"
X0, Y0 = 440000.0, 6336000.0
SCALE = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0  # a smoke run: benchmarks/lighting.py 0.05
N_WAYS, N_LAMPS, N_REPORTS, BUDGET = int(5_000 * SCALE), int(10_000 * SCALE), int(100_000 * SCALE), 50
BLOCK_M = 80.0


def town(seed: int = 683) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n = int(np.ceil(np.sqrt(N_WAYS / 2)))
    segs = []
    for i in range(n + 1):
        for j in range(n):
            segs.append(((X0 + j * BLOCK_M, Y0 + i * BLOCK_M), (X0 + (j + 1) * BLOCK_M, Y0 + i * BLOCK_M)))
            segs.append(((X0 + i * BLOCK_M, Y0 + j * BLOCK_M), (X0 + i * BLOCK_M, Y0 + (j + 1) * BLOCK_M)))
    segs = segs[:N_WAYS]
    lines = shapely.linestrings(np.array(segs))
    highway = rng.choice(["residential", "footway", "service", "cycleway", "primary"], N_WAYS, p=[.55, .2, .1, .1, .05])
    lit = rng.choice(np.array(["yes", "no", None], dtype=object), N_WAYS, p=[.3, .1, .6])
    ways = gpd.GeoDataFrame({"way_id": [f"w{i}" for i in range(N_WAYS)], "highway": highway,
                             "name": [f"Gata {i // n}" for i in range(N_WAYS)], "lit": lit}, geometry=lines, crs=CRS)
    # lamps every 30 m along randomly chosen ways until there are N_LAMPS; ways tagged lit=no get none
    order = rng.permutation(np.flatnonzero(lit != "no"))
    pts = []
    for w in order:
        for f in np.arange(10.0, BLOCK_M, 30.0):
            pts.append(shapely.line_interpolate_point(lines[w], f))
        if len(pts) >= N_LAMPS:
            break
    pts = np.array(pts[:N_LAMPS], dtype=object)
    status = rng.choice(["ok", "broken", "part_night"], len(pts), p=[.94, .03, .03])
    lamps = gpd.GeoDataFrame({"lamp_id": [f"L{i:05d}" for i in range(len(pts))], "status": status},
                             geometry=pts, crs=CRS)
    lamped = set(order[: int(np.ceil(N_LAMPS / len(np.arange(10.0, BLOCK_M, 30.0))))].tolist())
    dark_ways = np.array([w for w in range(N_WAYS) if w not in lamped and lit[w] != "yes"])
    # reports: a third along dark ways, the rest anywhere
    n_dark = N_REPORTS // 3
    on = shapely.line_interpolate_point(lines[rng.choice(dark_ways, n_dark)], rng.uniform(0, 1, n_dark),
                                        normalized=True)
    xy = np.vstack([shapely.get_coordinates(on) + rng.normal(0, 4, (n_dark, 2)),
                    np.column_stack([rng.uniform(X0, X0 + n * BLOCK_M, N_REPORTS - n_dark),
                                     rng.uniform(Y0, Y0 + n * BLOCK_M, N_REPORTS - n_dark)])])
    start = pd.Timestamp("2023-01-01")
    times = start + pd.to_timedelta(rng.integers(0, 3 * 365 * 24 * 60, N_REPORTS), unit="min")
    wgs = gpd.GeoSeries(shapely.points(xy), crs=CRS).to_crs("EPSG:4326")
    cats = rng.choice(["misshandel", "stöld", "skadegörelse", "mörkt", "rån"], N_REPORTS, p=[.3, .3, .2, .1, .1])
    table = pd.DataFrame({"id": [f"R{i:06d}" for i in range(N_REPORTS)], "time": times.strftime("%Y-%m-%d %H:%M"),
                          "category": cats, "lat": wgs.y.round(7), "lon": wgs.x.round(7)})
    return ways, lamps, table


def main() -> None:
    t0 = time.perf_counter()
    ways, lamps, table = town()
    t_gen = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reports.csv"
        table.to_csv(path, index=False)
        t = time.perf_counter()
        reports = read_reports([path], ReaderOptions(tz="Europe/Stockholm"), crs=CRS).reports
        t_read = time.perf_counter() - t
        print(f"synthetic town: {len(ways):,} ways, {len(lamps):,} lamps, {len(reports):,} reports "
              f"({int(reports['is_dark'].sum()):,} in darkness); generated in {t_gen:.1f} s, reports read in "
              f"{t_read:.1f} s (foundation reader, not counted below)")

        t_all = time.perf_counter()
        t = time.perf_counter()
        layer = build_lighting(lamps, ways, radius_m=25.0)
        t_layer = time.perf_counter() - t
        t = time.perf_counter()
        evidence = dark_evidence(reports, layer)
        places = rank_dark_places(layer, evidence)
        t_rank = time.perf_counter() - t
        t = time.perf_counter()
        mclp = propose_lamps(evidence, layer, budget=BUDGET)
        t_mclp = time.perf_counter() - t
        t = time.perf_counter()
        fixes = quick_fixes(reports, layer)
        t_fix = time.perf_counter() - t
        plan = LightingPlan(layer=layer, evidence=evidence, dark_places=places, proposals=mclp, fixes=fixes)
        t = time.perf_counter()
        result = LightingResult(settings=LightingSettings(budget=BUDGET), plan=plan, rejects=pd.DataFrame())
        write_lighting(result, Path(tmp) / "out")
        t_write = time.perf_counter() - t
        total = time.perf_counter() - t_all

        t = time.perf_counter()
        greedy = propose_lamps(evidence, layer, budget=BUDGET, method="greedy")
        t_greedy = time.perf_counter() - t

    s = layer.summary()
    print(f"layer: coverage {s['coverage_area_m2'] / 1e6:.2f} km², walkable {s['walkable_m'] / 1000:.0f} km, "
          f"dark {s['dark_m'] / 1000:.1f} km in {s['dark_stretches']:,} stretches")
    print(f"evidence: {len(evidence):,} reports on {int((places['dark_reports'] > 0).sum()):,} dark places; "
          f"{mclp.candidates:,} candidate positions; {len(fixes):,} quick fixes")
    print(f"{'step':<34}{'seconds':>9}")
    for name, sec in [("build lighting layer", t_layer), ("evidence + rank dark places", t_rank),
                      (f"propose {BUDGET} lamps ({mclp.method})", t_mclp), ("quick fixes", t_fix),
                      ("write CSV + GeoPackage", t_write), (f"TOTAL ({N_LAMPS:,} lamps, {N_WAYS:,} ways, {N_REPORTS:,} reports)", total)]:
        print(f"{name:<34}{sec:>9.2f}")
    print(f"optimiser: {mclp.method} [{mclp.status}] covers {mclp.covered_weight:.0f} of {mclp.total_weight:.0f} "
          f"weighted evidence in {t_mclp:.2f} s; notes: {'; '.join(mclp.notes) or '-'}")
    print(f"baseline greedy (1 - 1/e bound): covers {greedy.covered_weight:.0f} in {t_greedy:.2f} s")
    ratio_t = t_mclp / t_greedy if t_greedy else float("nan")
    ratio_w = mclp.covered_weight / greedy.covered_weight if greedy.covered_weight else float("nan")
    print(f"ratio MCLP / greedy: time {ratio_t:.1f}x, covered weight {ratio_w:.4f}x")


if __name__ == "__main__":
    main()
