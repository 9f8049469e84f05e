"""Durability: clients keep submitting while the server is SIGKILLed and restarted; every submission that was
answered 201 is stored, and stored exactly once (clients retry with their Idempotency-Key).
"""

from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest

from tests.service.conftest import BACKENDS, VARNAMO, Server, add_user, make_db

CLIENTS = 6
PER_CLIENT = 30


def _client_loop(
    url: str, n: int, answered: dict[str, str], lock: threading.Lock, stop: threading.Event
) -> None:
    """Submit `n` reports; retry each (same key) until answered 201 or the test gives up."""
    with httpx.Client(base_url=url, timeout=10) as c:
        for i in range(n):
            key = str(uuid.uuid4())
            body = {
                "lat": VARNAMO[0] + i * 1e-5,
                "lon": VARNAMO[1],
                "category": "mörkt",
                "occurred_at": "2025-01-10T21:30",
                "description": f"test {key}",
            }
            for _attempt in range(600):  # bounded: about a minute of retries per report
                if stop.is_set():
                    return
                try:
                    r = c.post("/api/reports", json=body, headers={"Idempotency-Key": key})
                except httpx.HTTPError:
                    time.sleep(0.1)
                    continue
                if r.status_code == 201:
                    with lock:
                        answered[key] = r.json()["id"]
                    break
                if r.status_code >= 500:
                    time.sleep(0.1)
                    continue
                raise AssertionError(f"unexpected {r.status_code}: {r.text}")


@pytest.mark.slow
@pytest.mark.parametrize("kind", BACKENDS)
def test_sigkill_loses_nothing(kind: str, tmp_path, request: pytest.FixtureRequest) -> None:  # noqa: ANN001
    db = make_db(kind, tmp_path, request)
    staff = add_user(db, "staff", "staff")
    server = Server(db, tmp_path, "--rate-limit", "0").start()
    answered: dict[str, str] = {}
    lock = threading.Lock()
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=_client_loop, args=(server.url, PER_CLIENT, answered, lock, stop), daemon=True
        )
        for _ in range(CLIENTS)
    ]
    try:
        for t in threads:
            t.start()
        for kill_at in (60,):  # kill while submissions are in flight (more kill points cost 8 s each)
            deadline = time.monotonic() + 60
            while len(answered) < kill_at and time.monotonic() < deadline:
                time.sleep(0.01)
            assert len(answered) >= kill_at, "clients stalled"
            server.kill()
            server.start()
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads)
        assert len(answered) == CLIENTS * PER_CLIENT
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {staff}"}, timeout=30) as c:
            stored = c.get("/api/reports", params={"limit": 100_000}).json()["features"]
        ids = [f["id"] for f in stored]
        assert len(ids) == len(set(ids))
        # exactly once: every answered id is stored, and nothing else (no duplicate under a second id)
        assert set(ids) == set(answered.values())
        by_id = {f["id"]: f["properties"]["description"] for f in stored}
        assert all(by_id[rid] == f"test {key}" for key, rid in answered.items())
    finally:
        stop.set()
        server.stop()
