"""Benchmark of the service's report intake on loopback: 50 concurrent clients submit 10,000 reports.

For each store (GeoPackage file, PostgreSQL + PostGIS in a throwaway cluster) it starts the real
``geo serve --rate-limit 0`` process, then

1. baseline: ONE client submits 500 reports one after another (each waits for its durable commit);
2. load: 50 clients (one kept-alive connection each, a lean asyncio HTTP/1.1 client) submit 10,000 reports in all, each with an Idempotency-Key;

and prints throughput (reports/s), p50/p95 latency of the answers, the speed-up of the load over the
baseline, the server's CPU time per report, and lost reports: ids answered 201 but missing from ``GET /api/reports`` (must be 0).

Run: .venv/bin/python benchmarks/service.py [--reports 10000] [--clients 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
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


def server_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the server process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def body(i: int) -> dict[str, object]:
    return {
        "lat": round(CENTER[0] + ((i * 7919) % 2000 - 1000) * 2e-5, 6),
        "lon": round(CENTER[1] + ((i * 104729) % 2000 - 1000) * 3e-5, 6),
        "category": ("mörkt", "stökigt", "hög hastighet")[i % 3],
        "occurred_at": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}",
        "description": f"benchmark {i}",
    }


async def _post(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, port: int, payload: bytes, key: str
) -> tuple[int, bytes]:
    """One POST on a kept-alive connection (a lean HTTP/1.1 client: the clients share the CPUs with the
    server, so the client must cost little)."""
    head = (
        f"POST /api/reports HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Idempotency-Key: {key}\r\nContent-Length: {len(payload)}\r\n\r\n"
    ).encode()
    writer.write(head + payload)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def client_task(
    port: int, items: list[int], lat_ms: list[float], ids: list[str], errors: list[str]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for i in items:
            key = str(uuid.uuid4())
            payload = json.dumps(body(i), ensure_ascii=False).encode()
            t0 = time.perf_counter()
            for _attempt in range(5):  # retried with the same key after a broken connection
                try:
                    status, answer = await _post(reader, writer, port, payload, key)
                    break
                except (OSError, asyncio.IncompleteReadError, IndexError, ValueError) as err:
                    errors.append(type(err).__name__)
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
            else:
                continue
            lat_ms.append((time.perf_counter() - t0) * 1000)
            if status == 201:
                ids.append(json.loads(answer)["id"])
            else:
                errors.append(str(status))
    finally:
        writer.close()


async def load(
    port: int, n: int, clients: int, offset: int
) -> tuple[float, list[float], list[str], list[str]]:
    lat_ms: list[float] = []
    ids: list[str] = []
    errors: list[str] = []
    parts = [list(range(offset + k, offset + n, clients)) for k in range(clients)]
    t0 = time.perf_counter()
    await asyncio.gather(*(client_task(port, p, lat_ms, ids, errors) for p in parts))
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
        cpu0 = server_cpu_s(proc.pid)
        base_s, base_lat, base_ids, base_err = asyncio.run(load(port, baseline_n, 1, 0))
        cpu1 = server_cpu_s(proc.pid)
        load_s, lat, ids, errors = asyncio.run(load(port, n, clients, baseline_n))
        cpu2 = server_cpu_s(proc.pid)
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
        f"server CPU per report: baseline {1000 * (cpu1 - cpu0) / max(len(base_ids), 1):.2f} ms, "
        f"load {1000 * (cpu2 - cpu1) / max(len(ids), 1):.2f} ms (group commit shares one fsync among many)"
    )
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
