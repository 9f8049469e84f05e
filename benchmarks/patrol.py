"""Benchmark: patrol planning and the speed layer at realistic sizes.

Patrol: Toronto MCI 2017 (real data, ~30,000 incidents), hot-spots from the engine's defaults, a week of three
8-hour shifts with 10 visits each over up to 40 places. Baseline: finding the hot-spots in the same run (the
step a plan always follows). Also the plan's coverage on the 9 held-out weeks against the naive plan's.

Speed: the demo's week of passes repeated until about 500,000 passes (dates shifted a week each time).
Baseline: reading the passes file into the measurement table.

Run: .venv/bin/python benchmarks/patrol.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pandas as pd

from geo.hotspots import find_hotspots
from geo.io import read_reports
from geo.io.measurements import read_measurements
from geo.io.segments import read_segments
from geo.layers.speed.layer import build_speed_layer
from geo.model import point_reports
from geo.plan.enforcement import plan_enforcement
from geo.plan.patrol import plan_patrols
from geo.plan.patrol_coverage import coverage_of

ROOT = Path(__file__).resolve().parents[1]


def _timed(fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def patrol() -> None:
    """Time the planner against hot-spot finding on Toronto 2017 and check it on held-out weeks."""
    rep, t_read = _timed(lambda: read_reports([ROOT / "data" / "toronto_mci_2014_2017.csv.gz"]).reports)
    rep = rep[rep["occurred_at"] >= pd.Timestamp("2017-01-01", tz="America/Toronto")]
    cut = pd.Timestamp("2017-10-30", tz="America/Toronto")
    hist = point_reports(rep[rep["occurred_at"] < cut])
    hs, t_hs = _timed(find_hotspots, hist)
    plan, t_plan = _timed(plan_patrols, hs, rep, week="2017-W44", shifts=["07-15", "15-23", "23-07"],
                          visits_per_shift=10, history_days=300)
    held = rep[rep["occurred_at"] >= cut]
    obs, obs_naive = coverage_of(plan.visits, hs, held), coverage_of(plan.naive, hs, held)
    print(f"patrol: {len(rep):,} incidents 2017 (read all years {t_read:.1f} s), {len(hs)} hot-spots")
    print(f"  baseline find_hotspots: {t_hs:.2f} s")
    print(f"  plan_patrols: {t_plan:.2f} s for {len(plan.visits)} visits in 21 shifts "
          f"(ratio plan/hot-spots {t_plan / t_hs:.2f})")
    print(f"  stated coverage: plan {100 * plan.expected_share:.2f} % vs naive {100 * plan.naive_share:.2f} % "
          f"(ratio {plan.expected_share / max(plan.naive_share, 1e-12):.1f}x)")
    print(f"  held-out 9 weeks ({len(held):,} incidents): plan {100 * obs:.2f} % vs naive {100 * obs_naive:.2f} % "
          f"(ratio {obs / max(obs_naive, 1e-12):.1f}x)")


def speed() -> None:
    """Time the speed layer and the enforcement plan on ~500,000 passes against reading them."""
    demo = ROOT / "data" / "demo"
    seg = read_segments(demo / "gator.geojson")
    week = pd.read_csv(demo / "hastighet_passager.csv")
    reps = max(1, 500_000 // len(week))
    t = pd.to_datetime(week["measured_at"])
    big = pd.concat([week.assign(measured_at=(t + pd.Timedelta(weeks=i)).dt.strftime("%Y-%m-%dT%H:%M:%S"))
                     for i in range(reps)], ignore_index=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "passes.csv"
        big.to_csv(path, index=False)
        meas, t_read = _timed(read_measurements, path, crs=seg.crs)
    layer, t_layer = _timed(build_speed_layer, seg.segments, meas.frame)
    plan, t_plan = _timed(plan_enforcement, layer)
    print(f"speed: {len(big):,} passes on {layer.measurements['segment_id'].nunique()} segments")
    print(f"  baseline read_measurements: {t_read:.2f} s")
    print(f"  build_speed_layer: {t_layer:.2f} s (ratio {t_layer / t_read:.2f}); plan_enforcement: {t_plan:.3f} s")
    print(f"  best check: {plan['segment_id'].iloc[0]} {plan['weekdays'].iloc[0]} {plan['start'].iloc[0]}")


if __name__ == "__main__":
    patrol()
    speed()
