"""Region benchmark: a synthetic country, every one of the 290 municipalities, serially and on Dask.

Run: PYTHONPATH=. .venv/bin/python benchmarks/region.py [--reports N] [--ways serial,1,2] [--county all]
     [--chunk-rows R] [--maps] [--forecast] [--keep DIR]

Draws N synthetic reports (syntetiska demodata; default 2,000,000, the country scale) over all 290
municipalities of ``data/swedish_municipalities.geojson`` in proportion to their area (40 % around a few town
centres, so there are clusters to find; ``data/`` has no population, so area is the weight), writes them as
one CSV export (kept and reused with ``--keep``), and runs ``geo run --county all`` on it
(:func:`geo.region.many.run_region`: read and split by municipality in chunks, each municipality's lägesbild
with hot-spots and the store; the forecast with ``--forecast``, the maps with ``--maps``) each way in a fresh
process: serially, and on a local Dask cluster of 1 and 2 worker processes.

Prints, per way: the wall time, the read-and-split part, the speed-up over the serial run, the areas' CPU
and wall, the peak resident memory of each process that ran municipalities (the worker's ``ru_maxrss``) and
of the client (the process that read and split the export; in the serial run it also ran the areas). Then
the expected time on a cluster of N workers from the measured parts (Amdahl): the read and split is serial,
the areas' CPU is divided among the workers, the largest area is the floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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

AS_OF = dt.date(2026, 3, 30)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _areas(args: argparse.Namespace) -> tuple[object, object]:
    from geo.io.region import load_region_areas

    if args.municipalities:
        return load_region_areas(codes=args.municipalities.split(","))
    return load_region_areas(county=args.county)


def _export(args: argparse.Namespace, folder: Path) -> Path:
    """Write the synthetic export (or reuse the one a previous run kept for the same size and areas)."""
    import pandas as pd

    from geo.demo.region import synthetic_reports

    csv = folder / "sverige.csv"
    stamp = folder / "sverige.json"
    key = {"reports": args.reports, "county": args.county, "municipalities": args.municipalities}
    if csv.exists() and stamp.exists() and json.loads(stamp.read_text()) == key:
        print(f"synthetic export reused: {csv} ({csv.stat().st_size / 1e6:,.0f} MB)", flush=True)
        return csv
    chosen, _ = _areas(args)
    t = time.perf_counter()
    start, end = (pd.Timestamp(d, tz="Europe/Stockholm") for d in ("2025-10-01", "2026-03-30"))
    table = synthetic_reports(chosen, args.reports, start=start, end=end, seed=21)  # type: ignore[arg-type]
    table.drop(columns=["code"]).to_csv(csv, index=False)
    stamp.write_text(json.dumps(key))
    print(
        f"synthetic export: {len(table):,} reports over {len(chosen):,} municipalities, "  # type: ignore[arg-type]
        f"{csv.stat().st_size / 1e6:,.0f} MB CSV, made in {time.perf_counter() - t:.1f} s",
        flush=True,
    )
    return csv


def _run_way(args: argparse.Namespace, folder: Path) -> None:
    """Child process: run one way and write its figures as JSON."""
    from geo.config import load_config
    from geo.region.many import run_region

    chosen, every = _areas(args)
    config = load_config(folder / "sverige.toml")
    way = args.way
    how: dict[str, object] = {"serial": True} if way == "serial" else {"workers": int(way)}
    name = "serial" if way == "serial" else f"dask{way}w"
    r = run_region(
        config,
        chosen,  # type: ignore[arg-type]
        every,  # type: ignore[arg-type]
        folder / name,
        store=str(folder / f"arkiv-{name}.gpkg"),
        as_of=AS_OF,
        chunk_rows=args.chunk_rows,
        **how,  # type: ignore[arg-type]
    )
    peaks: dict[str, float] = {}
    for o in r.outcomes:
        peaks[o.worker] = max(peaks.get(o.worker, 0.0), o.peak_mb)
    heavy = max(r.outcomes, key=lambda o: o.seconds)
    figures = {
        "way": "serial" if way == "serial" else f"dask {way}w",
        "seconds": r.seconds,
        "split_s": r.split_s,
        "ok": sum(o.ok for o in r.outcomes),
        "areas": len(r.outcomes),
        "cpu_s": round(sum(o.cpu_s for o in r.outcomes), 1),
        "wall_s": round(sum(o.seconds for o in r.outcomes), 1),
        "peaks": [round(mb) for _, mb in sorted(peaks.items())],
        "client_mb": round(_peak_mb()),
        "rows": r.rows_read,
        "reports": r.reports,
        "max_area": {
            "code": heavy.code,
            "name": heavy.name,
            "seconds": heavy.seconds,
            "cpu_s": heavy.cpu_s,
            "reports": heavy.figures.get("reports"),
        },
        "max_cpu_s": max(o.cpu_s for o in r.outcomes),
        "failed": [f"{o.code} {o.name}: {o.error}" for o in r.failed],
    }
    (folder / f"{name}.json").write_text(json.dumps(figures), encoding="utf-8")


def _line(f: dict[str, object], serial_s: float | None) -> str:
    seconds = float(f["seconds"])  # type: ignore[arg-type]
    speed = f"{serial_s / seconds:4.2f}x" if serial_s else "  – "
    per = ", ".join(f"{mb:,}" for mb in f["peaks"])  # type: ignore[attr-defined]
    return (
        f"{f['way']:<9} {seconds:8.1f} s  (read+split {float(f['split_s']):6.1f} s)  speed-up {speed}  "  # type: ignore[arg-type]
        f"areas ok {f['ok']}/{f['areas']}  areas' CPU {float(f['cpu_s']):7.1f} s (wall {float(f['wall_s']):7.1f} s)  "  # type: ignore[arg-type]
        f"peak MiB per worker: {per}; client {f['client_mb']:,}"
    )


def _estimate(figs: dict[str, dict[str, object]]) -> None:
    """Print T(N) = R + S + max(W / N, t_max) from the measured parts."""
    base = figs.get("serial") or next(iter(figs.values()))
    r_split = float(base["split_s"])  # type: ignore[arg-type]
    w_cpu = float(base["cpu_s"])  # type: ignore[arg-type]
    t_max = float(base["max_cpu_s"])  # type: ignore[arg-type]
    one = figs.get("dask 1w")
    s_start = (
        max(0.0, float(one["seconds"]) - float(one["split_s"]) - float(one["wall_s"]))  # type: ignore[arg-type]
        if one
        else 5.0
    )
    print(
        f"cluster estimate (from the {base['way']} run): R (read+split, serial) = {r_split:.1f} s, "
        f"W (areas' CPU) = {w_cpu:.1f} s, t_max (largest area's CPU) = {t_max:.1f} s, "
        f"S (cluster start and scheduling, from the 1-worker run) = {s_start:.1f} s"
    )
    cells = []
    for n in (1, 2, 4, 8, 16, 32, 64):
        t = r_split + s_start + max(w_cpu / n, t_max)
        cells.append(f"N={n}: {r_split:.0f} + {s_start:.0f} + max({w_cpu:.0f}/{n}, {t_max:.1f}) = {t:.0f} s")
    print("  T(N) = R + S + max(W/N, t_max):  " + ";  ".join(cells))


def main() -> None:
    """Make the synthetic country and run it each way in a fresh process; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=2_000_000, help="synthetic reports in all")
    parser.add_argument("--ways", default="serial,1,2", help="serial and/or Dask worker counts, comma-separated")
    parser.add_argument("--county", default="all", help="county code, or all (the country)")
    parser.add_argument("--municipalities", default=None, help="municipality codes (in place of --county)")
    parser.add_argument("--chunk-rows", type=int, default=None, help="rows of the export read at a time")
    parser.add_argument("--maps", action="store_true", help="also draw each municipality's maps")
    parser.add_argument("--forecast", action="store_true", help="also make each municipality's forecast")
    parser.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the data and outputs here")
    parser.add_argument("--way", default=None, help=argparse.SUPPRESS)  # a child process: run this way
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="region-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.way is not None:
        _run_way(args, folder)
        return
    print(f"cores {os.cpu_count()}, load {os.getloadavg()[0]:.1f}, {dt.datetime.now():%Y-%m-%d %H:%M}", flush=True)
    csv = _export(args, folder)
    (folder / "sverige.toml").write_text(
        CONFIG.format(csv=csv.as_posix(), maps=str(args.maps).lower(), forecast=str(args.forecast).lower()),
        encoding="utf-8",
    )
    figs: dict[str, dict[str, object]] = {}
    serial_s = None
    child = ["--reports", str(args.reports), "--county", args.county]
    child += ["--municipalities", args.municipalities] if args.municipalities else []
    child += ["--chunk-rows", str(args.chunk_rows)] if args.chunk_rows else []
    child += [flag for flag in ("--maps", "--forecast") if getattr(args, flag[2:])]
    for way in [w.strip() for w in args.ways.split(",") if w.strip()]:
        name = "serial" if way == "serial" else f"dask{way}w"
        (folder / f"{name}.json").unlink(missing_ok=True)
        cmd = [sys.executable, __file__, *child, "--keep", str(folder), "--way", way]
        subprocess.run(cmd, check=False)  # noqa: S603 - this script, with its own arguments
        result = folder / f"{name}.json"
        if not result.exists():
            print(f"{way}: the run failed (no figures)", flush=True)
            continue
        f = json.loads(result.read_text(encoding="utf-8"))
        figs[str(f["way"])] = f
        serial_s = float(f["seconds"]) if way == "serial" else serial_s
        print(_line(f, serial_s), flush=True)
        for failed in f["failed"]:
            print(f"   failed {failed}")
    if not figs:
        return
    any_ = next(iter(figs.values()))
    heavy = any_["max_area"]
    print(
        f"export: {any_['rows']:,} rows, {any_['reports']:,} reports; longest area: {heavy['code']} {heavy['name']}, "  # type: ignore[index]
        f"{heavy['reports']:,} reports in the period, {heavy['seconds']:.1f} s ({heavy['cpu_s']:.1f} s CPU)"  # type: ignore[index]
    )
    _estimate(figs)
    print(f"outputs in {folder}")


if __name__ == "__main__":
    main()
