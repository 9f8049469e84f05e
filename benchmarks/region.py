"""Region benchmark: a synthetic country, every one of the 290 municipalities, serially and on Dask.

Run: PYTHONPATH=. .venv/bin/python benchmarks/region.py [--reports N] [--workers 1,2] [--county all]
     [--maps] [--keep DIR]

Draws N synthetic reports (syntetiska demodata; default 100,000; the issue's full size is several million)
over all 290 municipalities of ``data/swedish_municipalities.geojson`` in proportion to their area (40 %
around a few town centres, so there are clusters to find), writes them as one CSV export, and runs
``geo run --county all`` on it (:func:`geo.region.many.run_region`: read, split by municipality, each
municipality's lägesbild with hot-spots and the store; the forecast with ``--forecast``, the maps with
``--maps``) three ways:
serially in this process, and on a local Dask cluster with 1 and 2 worker processes. Prints, per way: the
wall time, the read-and-split part, the speed-up over the serial run, and the peak resident memory of each
process that ran municipalities (the worker's ``ru_maxrss``; for the serial run, this process, which also
holds the whole export), plus this process's own peak.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

from geo.config import load_config
from geo.demo.region import synthetic_reports
from geo.io.region import load_region_areas
from geo.region.many import RegionResult, run_region

CONFIG = """
[run]
title = "Lägesbild Sverige (benchmark)"
demo = true
crs = "EPSG:3006"
tz = "Europe/Stockholm"

[period]
weeks = 12

[[sources]]
path = "{csv}"
source = "police"
[sources.columns]
id = "id"
time = "time"
category = "category"
lat = "lat"
lon = "lon"

[hotspots]
method = "dbscan"
eps_m = 75
min_samples = 12

[patrol]
enabled = false

[forecast]
enabled = {forecast}

[maps]
enabled = {maps}
public = false
tiles = "none"
"""


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _line(way: str, r: RegionResult, serial_s: float | None) -> str:
    peaks: dict[str, float] = {}
    for o in r.outcomes:
        peaks[o.worker] = max(peaks.get(o.worker, 0.0), o.peak_mb)
    speed = f"{serial_s / r.seconds:4.2f}x" if serial_s else "   1x"
    per = ", ".join(f"{mb:,.0f}" for _, mb in sorted(peaks.items()))
    ok = sum(o.ok for o in r.outcomes)
    wall, cpu = sum(o.seconds for o in r.outcomes), sum(o.cpu_s for o in r.outcomes)
    return (
        f"{way:<10} {r.seconds:8.1f} s  (read+split {r.split_s:6.1f} s)  speed-up {speed}  "
        f"areas ok {ok}/{len(r.outcomes)}  areas' CPU {cpu:6.1f} s (wall {wall:6.1f} s)  "
        f"peak MiB per worker: {per}"
    )


def main() -> None:
    """Make the synthetic country and run it serially and on Dask; print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=100_000, help="synthetic reports in all")
    parser.add_argument("--workers", default="1,2", help="Dask worker counts to run, comma-separated")
    parser.add_argument("--county", default="all", help="county code, or all (the country)")
    parser.add_argument("--municipalities", default=None, help="municipality codes (in place of --county)")
    parser.add_argument("--maps", action="store_true", help="also draw each municipality's maps")
    parser.add_argument("--forecast", action="store_true", help="also make each municipality's forecast")
    parser.add_argument("--no-serial", action="store_true", help="skip the serial run")
    parser.add_argument("--keep", type=Path, default=None, help="keep the data and outputs in this folder")
    args = parser.parse_args()

    if args.municipalities:
        chosen, every = load_region_areas(codes=args.municipalities.split(","))
    else:
        chosen, every = load_region_areas(county=args.county)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="region-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    start, end = (pd.Timestamp(d, tz="Europe/Stockholm") for d in ("2025-10-01", "2026-03-30"))
    table = synthetic_reports(chosen, args.reports, start=start, end=end, seed=21)
    csv = folder / "sverige.csv"
    table.drop(columns=["code"]).to_csv(csv, index=False)
    size_mb = csv.stat().st_size / 1e6
    print(
        f"synthetic export: {len(table):,} reports over {len(chosen)} municipalities, {size_mb:,.0f} MB CSV, "
        f"made in {time.perf_counter() - t:.1f} s; cores {os.cpu_count()}, load {os.getloadavg()[0]:.1f}"
    )
    del table
    toml = folder / "sverige.toml"
    toml.write_text(
        CONFIG.format(csv=csv.as_posix(), maps=str(args.maps).lower(), forecast=str(args.forecast).lower()),
        encoding="utf-8",
    )
    config = load_config(toml)
    ways: list[tuple[str, dict[str, object]]] = [] if args.no_serial else [("serial", {"serial": True})]
    ways += [(f"dask {n}w", {"workers": int(n)}) for n in args.workers.split(",") if n.strip()]
    serial_s = None
    for way, how in ways:
        store = str(folder / f"arkiv-{way.replace(' ', '')}.gpkg")
        r = run_region(
            config,
            chosen,
            every,
            folder / way.replace(" ", ""),
            store=store,
            as_of=dt.date(2026, 3, 30),
            **how,
        )  # type: ignore[arg-type]
        serial_s = r.seconds if way == "serial" else serial_s
        print(_line(way, r, serial_s), flush=True)
        for o in r.failed:
            print(f"   failed {o.code} {o.name}: {o.error}")
    heavy = max(r.outcomes, key=lambda o: o.figures.get("reports") or 0)
    print(
        f"largest area: {heavy.code} {heavy.name}, {heavy.figures.get('reports'):,} reports in the period, "
        f"{heavy.seconds:.1f} s; this process's peak {_peak_mb():,.0f} MiB (holds the whole export)"
    )
    print(f"outputs in {folder}")


if __name__ == "__main__":
    main()
