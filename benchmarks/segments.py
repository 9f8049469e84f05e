"""Benchmark of hot streets (``--method segments``) on the Toronto file, against a named baseline, same run.

Run: ``.venv/bin/python benchmarks/segments.py`` (a minute or two; run it on a quiet machine).

Data: the Toronto MCI reports (114,721 rows) read with :func:`geo.io.read_reports`, and a synthetic street
grid over the central 98 % of the reports' extent with a street every 200 m (named streets, vertices shared
at junctions as in OSM): 42,262 segments, 8,452 km, the order of Toronto's real street network (no Toronto
OSM extract is stored).

1. Ours: :func:`geo.hotspots.segments.split_at_junctions` (join + cut), :func:`snap_to_segments` (STRtree
   nearest within ``snap_m``, stacked reports snapped once) and the whole :func:`segment_hotspots` (counts, curve, hot-spot objects).
2. Baseline: ``geopandas.sjoin_nearest(reports, segments, max_distance=snap_m)``, the usual GeoPandas way
   to snap points to lines; its assignment is compared with ours (ties on the grid may go either way).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TORONTO = ROOT / "data" / "toronto_mci_2014_2017.csv.gz"
SPACING_M = 200.0
SNAP_M = 25.0


def grid_streets(bounds: tuple[float, float, float, float], crs: object) -> gpd.GeoDataFrame:
    """Named streets every SPACING_M metres, each with a vertex at every crossing (shared junction nodes)."""
    x0, y0, x1, y1 = bounds
    xs = np.arange(x0, x1 + SPACING_M, SPACING_M)
    ys = np.arange(y0, y1 + SPACING_M, SPACING_M)
    lines = [shapely.LineString(np.column_stack([xs, np.full(len(xs), y)])) for y in ys]
    lines += [shapely.LineString(np.column_stack([np.full(len(ys), x), ys])) for x in xs]
    names = [f"Street {k}" for k in range(len(ys))] + [f"Avenue {k}" for k in range(len(xs))]
    return gpd.GeoDataFrame({"name": names, "highway": "residential"}, geometry=lines, crs=crs)


def main() -> None:
    from geo.hotspots.methods import positions
    from geo.hotspots.segments import segment_hotspots, snap_to_segments, split_at_junctions
    from geo.io import read_reports

    t0 = time.perf_counter()
    reports = read_reports([TORONTO]).reports
    print(f"Toronto MCI: {len(reports):,} reports read in {time.perf_counter() - t0:.1f} s ({reports.crs.name})")
    xy = positions(reports)
    lo, hi = np.percentile(xy, 1, axis=0), np.percentile(xy, 99, axis=0)
    streets = grid_streets((lo[0], lo[1], hi[0], hi[1]), reports.crs)

    t0 = time.perf_counter()
    network = split_at_junctions(streets)
    t_split = time.perf_counter() - t0
    print(f"\n[1] split_at_junctions: {len(streets):,} streets -> {len(network):,} segments "
          f"({network['length_m'].sum() / 1000:,.0f} km) in {t_split:.2f} s")
    t0 = time.perf_counter()
    ours, _ = snap_to_segments(xy, network, snap_m=SNAP_M)
    t_snap = time.perf_counter() - t0
    print(f"    snap_to_segments (STRtree nearest within {SNAP_M:g} m): {t_snap:.2f} s; "
          f"{int((ours >= 0).sum()):,} snapped, {int((ours < 0).sum()):,} farther")
    t0 = time.perf_counter()
    hot, segments, summary = segment_hotspots(reports, streets, snap_m=SNAP_M)
    t_all = time.perf_counter() - t0
    print(f"    segment_hotspots end to end: {t_all:.1f} s; {len(hot)} hot segments, "
          f"{len(segments):,} segments with reports")
    print(f"    {summary.sentence('sv')}")
    print(f"    {summary.sentence('en')}")
    print(hot[["rank", "label", "n_reports", "per_100m", "trend"]].head(5).to_string(index=False))

    pts = gpd.GeoDataFrame(geometry=reports.geometry.reset_index(drop=True), crs=reports.crs)
    t0 = time.perf_counter()
    joined = gpd.sjoin_nearest(pts, network[["geometry"]], how="left", max_distance=SNAP_M)
    t_base = time.perf_counter() - t0
    joined = joined[~joined.index.duplicated(keep="first")]  # sjoin_nearest returns every tied segment
    base = joined["index_right"].fillna(-1).astype("int64").to_numpy()
    agree = float((base == ours).mean())
    print(f"\n[2] baseline geopandas.sjoin_nearest(max_distance={SNAP_M:g}): {t_base:.2f} s; "
          f"same segment as ours for {agree:.2%} of reports (any others: ties, equally near two segments)")
    print(f"\nSnapping: ours {t_snap:.2f} s vs sjoin_nearest {t_base:.2f} s ({t_base / t_snap:.1f}×)")


if __name__ == "__main__":
    main()
