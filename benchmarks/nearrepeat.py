"""Benchmark of the near-repeat Knox test against brute-force pair counting, measured in the same run.

Run: ``.venv/bin/python benchmarks/nearrepeat.py`` (a few minutes; run it on a quiet machine).

Data: the 10,000 latest residential burglaries (Break and Enter, premises House) of the Toronto MCI file,
read with :func:`geo.io.read_reports` (metric CRS chosen from the data, local times).

1. Ours: :func:`geo.nearrepeat.knox_test` with 999 permutations on bands 0-500 m by 100 m × 0-28 days by
   7 days (close pairs found once with a k-d tree, each permutation one vectorised pass over them), and the
   whole stage (zone and alerts).
2. Baseline: brute-force pair counting, every pair's distance and time gap in numpy blocks (no index), the
   way a first implementation (or a spreadsheet Knox test) counts. Timed on the observed counts and a few
   permutations, extrapolated to 1 + 999 countings. Its observed counts must equal ours exactly.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TORONTO = ROOT / "data" / "toronto_mci_2014_2017.csv.gz"
SPACE = [0, 100, 200, 300, 400, 500]
TIME = [0, 7, 14, 21, 28]
N = 10_000
PERMUTATIONS = 999
BRUTE_PERMUTATIONS = 3


def brute_force_counts(xy: np.ndarray, seconds: np.ndarray, *, block: int = 500) -> np.ndarray:
    """Count pairs per space band × time band over all pairs, in blocks of rows (no spatial index)."""
    s_edges, t_edges = np.asarray(SPACE, float), np.asarray(TIME, float) * 86400  # gaps in whole seconds
    n_t = len(t_edges) - 1
    cells = (len(s_edges) - 1) * n_t
    counts = np.zeros(cells, dtype="int64")
    n = len(xy)
    for a in range(0, n, block):
        rows = np.arange(a, min(a + block, n))
        d = np.hypot(xy[rows, 0, None] - xy[None, :, 0], xy[rows, 1, None] - xy[None, :, 1])
        g = np.abs(seconds[rows, None] - seconds[None, :])
        upper = np.arange(n)[None, :] > rows[:, None]  # each pair once
        sb = np.searchsorted(s_edges, d, side="right") - 1
        tb = np.searchsorted(t_edges, g, side="right") - 1
        ok = upper & (d < s_edges[-1]) & (tb >= 0) & (tb < n_t)
        counts += np.bincount((sb[ok] * n_t + tb[ok]), minlength=cells)
    return counts


def main() -> None:
    from geo.io import read_reports
    from geo.nearrepeat import knox_test
    from geo.stages.nearrepeat import NearRepeatSettings, nearrepeat_stage

    table = pd.read_csv(TORONTO)
    houses = table[(table["category"] == "Break and Enter") & (table["premises_type"] == "House")]
    houses = houses.sort_values("occurred_at").tail(N)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "burglaries.csv"
        houses.to_csv(path, index=False)
        t0 = time.perf_counter()
        reports = read_reports([path]).reports
        t_read = time.perf_counter() - t0
    xy = np.column_stack([reports.geometry.x, reports.geometry.y])
    times = reports["occurred_at"]
    seconds = (times - times.min()).dt.total_seconds().round().to_numpy()
    span = f"{times.min():%Y-%m-%d} – {times.max():%Y-%m-%d}"
    print(f"Toronto residential burglaries: {len(reports):,} ({span}), read in {t_read:.1f} s, CRS {reports.crs.name}")

    t0 = time.perf_counter()
    knox = knox_test(xy, times, space_bands_m=SPACE, time_bands_days=TIME, permutations=PERMUTATIONS, seed=0)
    t_ours = time.perf_counter() - t0
    from scipy.spatial import cKDTree

    n_pairs = len(cKDTree(xy).query_pairs(r=SPACE[-1], output_type="ndarray"))
    print(f"\n[1] knox_test, {PERMUTATIONS} permutations, {len(SPACE) - 1} × {len(TIME) - 1} bands: "
          f"{t_ours:.1f} s ({n_pairs:,} pairs within {SPACE[-1]} m of {len(xy) * (len(xy) - 1) // 2:,})")
    print(knox.round(3).to_string(index=False))

    t0 = time.perf_counter()
    result = nearrepeat_stage(reports, NearRepeatSettings(permutations=PERMUTATIONS, space_bands_m=SPACE,
                                                          time_bands_days=TIME))
    t_stage = time.perf_counter() - t0
    zone = f"{result.radius_m:g} m, {result.days:g} days" if result.radius_m else "none"
    print(f"    whole stage (Knox + zone + alerts): {t_stage:.1f} s; zone {zone}; {len(result.alerts)} alerts")

    t0 = time.perf_counter()
    observed = brute_force_counts(xy, seconds)
    t_obs = time.perf_counter() - t0
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    for _ in range(BRUTE_PERMUTATIONS):
        brute_force_counts(xy, rng.permutation(seconds))
    t_perm = (time.perf_counter() - t0) / BRUTE_PERMUTATIONS
    t_brute = t_obs + PERMUTATIONS * t_perm
    same = observed.tolist() == knox["observed"].tolist()
    print(f"\n[2] baseline brute-force pair counting (numpy blocks, all {len(xy) * (len(xy) - 1) // 2:,} pairs): "
          f"{t_obs:.1f} s observed, {t_perm:.1f} s per permutation (mean of {BRUTE_PERMUTATIONS}) -> "
          f"{t_brute / 60:.1f} min for 1 + {PERMUTATIONS} countings (extrapolated)")
    print(f"    observed counts equal ours: {same}")
    print(f"\nSpeed-up vs brute force: {t_brute / t_ours:.0f}× ({t_ours:.1f} s vs {t_brute:.0f} s)")


if __name__ == "__main__":
    main()
