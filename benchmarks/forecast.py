"""Forecast benchmark on the real Toronto data: seconds per weekly forecast per method, and the 2016 backtest.

Run: .venv/bin/python benchmarks/forecast.py [--quick]

Prints, for every method, the wall-clock seconds of one weekly forecast (mean over 8 forecast moments in 2016,
the 365-day count as the named baseline measured in the same run), then the full rolling-origin backtest of
2016 (52 weeks from 2016-01-04, 150 m cells, active = cells with a report in the 365 days before each week)
with each method's mean PAI at 1 / 5 / 10 % and its ratio to every baseline. ``--quick`` skips the backtest.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from geo.forecast import (
    BASELINES,
    DEFAULT_METHOD,
    METHODS,
    backtest,
    events_from_reports,
    grid_for,
    risk_on_grid,
    to_days,
)
from geo.io import read_reports

ROOT = Path(__file__).resolve().parents[1]
TORONTO = ROOT / "data" / "toronto_mci_2014_2017.csv.gz"
TZ = "America/Toronto"


def main() -> None:
    t0 = time.perf_counter()
    reports = read_reports([TORONTO], now=pd.Timestamp("2026-01-01", tz="UTC")).reports
    events = events_from_reports(reports)
    print(f"read {len(reports):,} reports in {time.perf_counter() - t0:.1f} s; {len(events):,} events")
    grid = grid_for(events.x, events.y, cell_m=150.0)
    moments = [pd.Timestamp("2016-01-04", tz=TZ) + pd.Timedelta(weeks=6 * i) for i in range(8)]
    seconds: dict[str, float] = {}
    for name in METHODS:
        times = []
        for m in moments:
            s = time.perf_counter()
            risk_on_grid(events, grid, as_of=float(to_days(m)), horizon_days=7, method=name)
            times.append(time.perf_counter() - s)
        seconds[name] = float(np.mean(times))
    base = seconds["count_365"]
    print(
        f"\nseconds per weekly forecast (Toronto, {grid.size:,} cells of 150 m, mean of {len(moments)} moments)"
    )
    print(f"{'method':<12} {'s/forecast':>10} {'x count_365':>12}")
    for name, s in seconds.items():
        flag = "  <- default" if name == DEFAULT_METHOD else ""
        print(f"{name:<12} {s:>10.3f} {s / base:>12.0f}{flag}")
    goal = "met" if seconds[DEFAULT_METHOD] <= 2.0 else "NOT met"
    print(f"goal <= 2 s for the default method ({DEFAULT_METHOD}): {goal}")
    if "--quick" in sys.argv[1:]:
        return
    t0 = time.perf_counter()
    res = backtest(events, start=pd.Timestamp("2016-01-04", tz=TZ), weeks=52)
    print(f"\nbacktest 2016, 52 weeks, all methods: {time.perf_counter() - t0:.0f} s")
    pai = res.summary.pivot(index="method", columns="coverage_pct", values="mean_pai").loc[list(METHODS)]
    print("mean PAI at 1 / 5 / 10 % and ratio to each baseline")
    head = "".join(f"{c:>8g}%" for c in pai.columns)
    rel_head = "".join(f"  vs {b} (1/5/10 %)".ljust(32) for b in BASELINES)
    print(f"{'method':<12}{head}{rel_head}")
    for name, row in pai.iterrows():
        rel = "".join(
            ("  " + " / ".join(f"{(row[c] / pai.loc[b, c] - 1) * 100:+.1f}%" for c in pai.columns)).ljust(32)
            for b in BASELINES
        )
        print(f"{name:<12}" + "".join(f"{v:>9.2f}" for v in row.to_numpy()) + rel)
    print(f"recommended: {res.recommended}")


if __name__ == "__main__":
    main()
