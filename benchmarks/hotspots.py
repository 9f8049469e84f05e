"""Benchmarks of the hot-spot engine, each as a ratio against a named baseline measured in the same run.

Run: ``.venv/bin/python benchmarks/hotspots.py`` (takes a few minutes; run it on a quiet machine).

1. DBSCAN with stacked reports collapsed into ``sample_weight`` vs plain scikit-learn DBSCAN on the
   Toronto MCI reports: time, same core points, adjusted Rand index of the labels.
2. KDE (binning + FFT) on a 1000 × 1000 grid for 1,000,000 synthetic reports vs scikit-learn's
   ``KernelDensity`` on a subsample, extrapolated linearly to all reports and all grid cells.
3. Gi* on a 100 m grid of Toronto vs ``esda.G_Local`` with 999 permutations (and with none) on the same
   cells and weights.
4. ``geo hotspots`` end to end on the Toronto file (a fresh process, start-up included), with peak memory.
5. HDBSCAN over distinct positions (stacks as chains) vs ``sklearn.cluster.HDBSCAN`` on every Toronto row.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TORONTO = ROOT / "data" / "toronto_mci_2014_2017.csv.gz"


def timed(fn, *args, repeat: int = 1, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    best = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - t0)
    return out, best


def bench_dbscan(xy: np.ndarray, *, eps_m: float, min_samples: int) -> None:
    from sklearn.cluster import DBSCAN
    from sklearn.metrics import adjusted_rand_score

    from geo.hotspots.dbscan import collapse_duplicates, dbscan_labels

    print(f"\n[1] DBSCAN eps={eps_m:g} m, min_samples={min_samples} on {len(xy):,} Toronto reports "
          f"({len(collapse_duplicates(xy)[0]):,} distinct positions)")
    ours, t_ours = timed(dbscan_labels, xy, eps_m=eps_m, min_samples=min_samples, repeat=3)
    plain_model, t_plain = timed(lambda: DBSCAN(eps=eps_m, min_samples=min_samples, algorithm="kd_tree").fit(xy))
    plain = plain_model.labels_
    uniq, inverse, counts = collapse_duplicates(xy)
    weighted_model = DBSCAN(eps=eps_m, min_samples=min_samples, algorithm="kd_tree").fit(uniq, sample_weight=counts)
    core_w = np.zeros(len(uniq), dtype=bool)
    core_w[weighted_model.core_sample_indices_] = True
    core_ours = core_w[inverse]
    core_plain = np.zeros(len(xy), dtype=bool)
    core_plain[plain_model.core_sample_indices_] = True
    ari = adjusted_rand_score(plain, ours)
    ari_core = adjusted_rand_score(plain[core_plain], ours[core_plain])
    print(f"    baseline sklearn DBSCAN (every row): {t_plain:8.2f} s, {plain.max() + 1} clusters")
    print(f"    ours (duplicates as sample_weight):  {t_ours:8.2f} s, {ours.max() + 1} clusters")
    print(f"    speed-up: {t_plain / t_ours:.1f}x (aim >= 5x)")
    print(f"    same core points: {bool((core_ours == core_plain).all())}; adjusted Rand (all) {ari:.6f} "
          f"(aim >= 0.999); adjusted Rand (core points) {ari_core:.6f}")


def bench_kde(*, n: int = 1_000_000, side: int = 1000, bandwidth_m: float = 50.0, sub: int = 2000,
              eval_cells: int = 50_000, seed: int = 0) -> None:
    from sklearn.neighbors import KernelDensity

    from geo.hotspots.kde import kde_grid

    rng = np.random.default_rng(seed)
    cell = 10.0
    extent = cell * (side - 2)
    centres = rng.uniform(0, extent, (40, 2))
    k = rng.integers(0, 40, n)
    xy = np.where(rng.uniform(0, 1, (n, 1)) < 0.6, centres[k] + rng.normal(0, 150, (n, 2)), rng.uniform(0, extent, (n, 2)))
    xy = np.clip(xy, 0, extent)
    print(f"\n[2] KDE, {n:,} synthetic reports, {side} x {side} grid of {cell:g} m, bandwidth {bandwidth_m:g} m")
    surface, t_ours = timed(kde_grid, xy, bandwidth_m=bandwidth_m, cell_m=cell, bounds=(0, 0, extent, extent), repeat=3)
    print(f"    ours (linear binning + FFT): {t_ours:.3f} s for grid {surface.shape} (aim <= 1 s)")
    gx, gy = np.meshgrid(surface.xs, surface.ys)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    pick = rng.choice(len(grid), eval_cells, replace=False)
    train = xy[rng.choice(n, sub, replace=False)]
    model = KernelDensity(bandwidth=bandwidth_m, kernel="gaussian", algorithm="kd_tree", rtol=0.0).fit(train)
    _, t_sub = timed(model.score_samples, grid[pick])
    t_extrap = t_sub * (n / sub) * (len(grid) / eval_cells)
    print(f"    baseline sklearn KernelDensity: {t_sub:.2f} s for {sub:,} reports x {eval_cells:,} cells "
          f"-> extrapolated to {n:,} x {len(grid):,}: {t_extrap:,.0f} s")
    print(f"    speed-up: {t_extrap / t_ours:,.0f}x (aim >= 100x)")
    # accuracy on the subsample: our surface of the same reports against sklearn's exact sum
    small = kde_grid(train, bandwidth_m=bandwidth_m, cell_m=cell, bounds=(0, 0, extent, extent))
    exact = np.exp(model.score_samples(grid[pick])) * sub * 1e6
    ours_v = small.density.ravel()[pick]
    top = exact > np.percentile(exact, 99)
    print(f"    accuracy vs exact (top 1% cells of the subsample): median |rel err| "
          f"{np.median(np.abs(ours_v[top] / exact[top] - 1)):.2e}, max {np.max(np.abs(ours_v[top] / exact[top] - 1)):.2e}")


def bench_gistar(reports, *, cell_m: float = 100.0, band_m: float = 300.0, permutations: int = 999) -> None:  # noqa: ANN001
    import esda
    from libpysal.graph import Graph

    from geo.hotspots.gistar import gistar_cells

    print(f"\n[3] Gi* on a {cell_m:g} m grid of Toronto, band {band_m:g} m")
    cells, t_ours = timed(gistar_cells, reports, cell_m=cell_m, band_m=band_m, repeat=2)
    print(f"    ours (cells, counts, sparse weights, analytic z, BH): {t_ours:.2f} s for {len(cells):,} cells")
    graph, t_graph = timed(Graph.build_distance_band, cells.geometry.centroid, band_m)
    y = cells["count"].to_numpy(dtype=float)
    g0, t_an = timed(lambda: esda.G_Local(y, graph, transform="B", star=True, permutations=0))
    print(f"    esda G_Local analytic: {t_an:.2f} s (+ libpysal graph {t_graph:.2f} s); "
          f"max |z - esda| = {np.max(np.abs(cells['z'].to_numpy() - g0.Zs)):.2e}")
    _, t_perm = timed(lambda: esda.G_Local(y, graph, transform="B", star=True, permutations=permutations, seed=1,
                                           keep_simulations=False, n_jobs=1))
    print(f"    baseline esda G_Local with {permutations} permutations: {t_perm:.1f} s (+ graph {t_graph:.2f} s)")
    print(f"    speed-up: {(t_perm + t_graph) / t_ours:,.0f}x vs permutations; {(t_an + t_graph) / t_ours:.1f}x vs "
          "esda analytic")


def bench_cli() -> None:
    print("\n[4] geo hotspots end to end on the Toronto file (fresh process)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "toronto_hotspots.geojson"
        cmd = [sys.executable, "-m", "geo", "hotspots", str(TORONTO), "--out", str(out)]
        gnu_time = Path("/usr/bin/time")
        t0 = time.perf_counter()
        if gnu_time.exists():
            proc = subprocess.run([str(gnu_time), "-v", *cmd], capture_output=True, text=True, cwd=tmp)
        else:
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            print(proc.stderr)
            raise SystemExit(1)
        rss = [ln for ln in proc.stderr.splitlines() if "Maximum resident set size" in ln]
        peak_mb = int(rss[0].rsplit(":", 1)[1]) / 1024 if rss else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        t1 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import geo.cli"], check=True)
        startup = time.perf_counter() - t1
        lines = [ln for ln in proc.stdout.splitlines() if "Skrev" in ln or "wrote" in ln]
        print(f"    {elapsed:.1f} s including start-up (aim <= 10 s); start-up alone (import geo.cli) {startup:.1f} s")
        print(f"    peak memory (max RSS of the geo process): {peak_mb:.0f} MB")
        print("    " + (lines[-1] if lines else ""))


def bench_hdbscan(xy: np.ndarray, *, min_cluster_size: int, min_samples: int) -> None:
    from sklearn.metrics import adjusted_rand_score

    from geo.hotspots.hdbscan import hdbscan_labels

    print(f"\n[5] HDBSCAN min_cluster_size={min_cluster_size}, min_samples={min_samples} on {len(xy):,} Toronto reports")
    ours, t_ours = timed(hdbscan_labels, xy, min_cluster_size=min_cluster_size, min_samples=min_samples)
    plain, t_plain = timed(hdbscan_labels, xy, min_cluster_size=min_cluster_size, min_samples=min_samples,
                           duplicates="keep")
    print(f"    baseline sklearn HDBSCAN (every row): {t_plain:6.1f} s, {plain.max() + 1} clusters")
    print(f"    ours (distinct positions, stacks as chains): {t_ours:6.1f} s, {ours.max() + 1} clusters")
    print(f"    speed-up: {t_plain / t_ours:.0f}x; adjusted Rand {adjusted_rand_score(plain, ours):.4f} (equal up to ties)")


def main() -> None:
    from geo.io import read_reports

    print("lagesbild hot-spot benchmarks")
    reports = read_reports([TORONTO]).reports
    xy = np.column_stack([reports.geometry.x.to_numpy(), reports.geometry.y.to_numpy()])
    bench_dbscan(xy, eps_m=100.0, min_samples=50)
    bench_kde()
    bench_gistar(reports)
    bench_cli()
    bench_hdbscan(xy, min_cluster_size=255, min_samples=85)


if __name__ == "__main__":
    main()
