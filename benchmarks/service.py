"""Benchmark of the service's report intake on loopback: 50 concurrent clients submit 10,000 reports.

For each store (GeoPackage file, PostgreSQL + PostGIS in a throwaway cluster) it starts the real
``geo serve --rate-limit 0`` process, then

1. baseline: ONE client submits 500 reports one after another (each waits for its durable commit);
2. load: 50 clients (one connection each) submit 10,000 reports in all, each with an Idempotency-Key;

and prints throughput (reports/s), p50/p95 latency of the answers, the speed-up of the load over the
baseline, and lost reports: ids answered 201 but missing from ``GET /api/reports`` (must be 0).

Run: .venv/bin/python benchmarks/service.py [--reports 10000] [--clients 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.service.auth import hash_token, new_token  # noqa: E402
from geo.service.storage import open_store  # noqa: E402
from geo.service.tempdb import TempPostgres  # noqa: E402

GEO = str(Path(sys.executable).with_name("geo"))
CENTER = (57.1860, 14.0400)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def body(i: int) -> dict[str, object]:
    return {
        "lat": round(CENTER[0] + ((i * 7919) % 2000 - 1000) * 2e-5, 6),
        "lon": round(CENTER[1] + ((i * 104729) % 2000 - 1000) * 3e-5, 6),
        "category": ("mörkt", "stökigt", "hög hastighet")[i % 3],
        "occurred_at": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}",
        "description": f"benchmark {i}",
    }


async def client_task(
    url: str, items: list[int], lat_ms: list[float], ids: list[str], errors: list[str]
) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as c:
        for i in items:
            key = str(uuid.uuid4())
            t0 = time.perf_counter()
            for _attempt in range(5):
                try:
                    r = await c.post("/api/reports", json=body(i), headers={"Idempotency-Key": key})
                    break
                except httpx.HTTPError as err:
                    errors.append(type(err).__name__)
            else:
                continue
            lat_ms.append((time.perf_counter() - t0) * 1000)
            if r.status_code == 201:
                ids.append(r.json()["id"])
            else:
                errors.append(str(r.status_code))


async def load(
    url: str, n: int, clients: int, offset: int
) -> tuple[float, list[float], list[str], list[str]]:
    lat_ms: list[float] = []
    ids: list[str] = []
    errors: list[str] = []
    parts = [list(range(offset + k, offset + n, clients)) for k in range(clients)]
    t0 = time.perf_counter()
    await asyncio.gather(*(client_task(url, p, lat_ms, ids, errors) for p in parts))
    return time.perf_counter() - t0, lat_ms, ids, errors


def bench_store(
    name: str, db: str, workdir: Path, *, n: int, clients: int, baseline_n: int
) -> dict[str, float]:
    store = open_store(db)
    token = new_token()
    store.add_user("bench", role="staff", token_hash=hash_token(token))
    store.close()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            GEO,
            "serve",
            "--db",
            db,
            "--port",
            str(port),
            "--rate-limit",
            "0",
            "--maps-dir",
            str(workdir / "maps"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=workdir,
    )
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        base_s, base_lat, base_ids, base_err = asyncio.run(load(url, baseline_n, 1, 0))
        load_s, lat, ids, errors = asyncio.run(load(url, n, clients, baseline_n))
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=120) as c:
            stored: set[str] = set()
            offset = 0
            while True:
                page = c.get("/api/reports", params={"limit": 100_000, "offset": offset}).json()
                stored.update(f["id"] for f in page["features"])
                if page["next_offset"] is None:
                    break
                offset = page["next_offset"]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    answered = set(ids) | set(base_ids)
    lost = len(answered - stored)
    base_tp = len(base_ids) / base_s
    tp = len(ids) / load_s
    p50, p95 = np.percentile(lat, [50, 95]) if lat else (float("nan"), float("nan"))
    b50 = float(np.percentile(base_lat, 50)) if base_lat else float("nan")
    print(f"\n== {name}")
    print(f"baseline, 1 client x {baseline_n} sequential: {base_tp:8.1f} reports/s, p50 {b50:6.1f} ms")
    print(
        f"load, {clients} clients x {n} reports:        {tp:8.1f} reports/s, p50 {p50:6.1f} ms, p95 {p95:6.1f} ms "
        f"({load_s:.1f} s)"
    )
    print(f"speed-up over the 1-client baseline: {tp / base_tp:.1f}x")
    print(
        f"answered 201: {len(answered)}, stored: {len(stored)}, lost reports: {lost}, "
        f"errors: {len(errors) + len(base_err)} {sorted(set(errors + base_err))[:5]}"
    )
    return {"throughput": tp, "p50_ms": float(p50), "p95_ms": float(p95), "lost": lost}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--baseline", type=int, default=500)
    parser.add_argument("--skip-postgis", action="store_true")
    args = parser.parse_args()
    print(
        f"lagesbild service intake benchmark: {args.clients} clients, {args.reports} reports, loopback, "
        f"{os.cpu_count()} CPUs (client and server share them)"
    )
    results = {}
    with tempfile.TemporaryDirectory(prefix="lagesbild-bench-") as tmp:
        work = Path(tmp)
        (work / "gpkg").mkdir()
        results["GeoPackage"] = bench_store(
            "GeoPackage (WAL, synchronous=FULL, group commit)",
            str(work / "gpkg" / "bench.gpkg"),
            work / "gpkg",
            n=args.reports,
            clients=args.clients,
            baseline_n=args.baseline,
        )
        if not args.skip_postgis:
            (work / "pg").mkdir()
            with TempPostgres() as pg:
                results["PostGIS"] = bench_store(
                    "PostgreSQL + PostGIS (synchronous_commit=on, group commit)",
                    pg.new_database(),
                    work / "pg",
                    n=args.reports,
                    clients=args.clients,
                    baseline_n=args.baseline,
                )
    lost = sum(r["lost"] for r in results.values())
    print(f"\nlost reports over all stores: {lost} (must be 0)")
    if lost:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
