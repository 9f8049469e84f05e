"""Rate limit (429 + Retry-After, per client, staff exempt) and retention of free text, on a server started
with a tight limit and zero retention.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.service.conftest import BACKENDS, VARNAMO, Server, add_user, make_db

BODY = {"lat": VARNAMO[0], "lon": VARNAMO[1], "category": "mörkt", "occurred_at": "2025-01-10T21:30"}


@pytest.fixture(scope="module", params=BACKENDS)
def limited(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, str]]:
    tmp: Path = tmp_path_factory.mktemp(f"limits-{request.param}")
    db = make_db(request.param, tmp, request)
    staff = add_user(db, "staff", "staff")
    server = Server(
        db, tmp, "--rate-limit", "3", "--retention-days", "0", "--retention-sweep-min", "0.02"
    ).start()
    try:
        yield server, staff
    finally:
        server.stop()


def client(url: str, address: str, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(
        base_url=url, transport=httpx.HTTPTransport(local_address=address), headers=headers, timeout=30
    )


def test_rate_limit_429_retry_after(limited: tuple[Server, str]) -> None:
    server, staff = limited
    with client(server.url, "127.0.0.7") as a, client(server.url, "127.0.0.8") as b:
        assert [a.post("/api/reports", json=BODY).status_code for _ in range(3)] == [201, 201, 201]
        r = a.post("/api/reports", json=BODY)
        assert r.status_code == 429
        assert 1 <= int(r.headers["Retry-After"]) <= 60
        o = a.post(
            "/open311/v2/requests.json", data={"service_code": "mörkt", "lat": "57.186", "long": "14.04"}
        )
        assert o.status_code == 429 and o.json()[0]["code"] == 429 and "Retry-After" in o.headers
        assert b.post("/api/reports", json=BODY).status_code == 201  # another client has its own budget
    with client(server.url, "127.0.0.7", staff) as s:
        assert s.post("/api/reports", json=BODY).status_code == 201  # staff are not limited


def test_retention_clears_free_text(limited: tuple[Server, str]) -> None:
    server, staff = limited
    with client(server.url, "127.0.0.9") as pub, client(server.url, "127.0.0.9", staff) as s:
        rid = pub.post("/api/reports", json={**BODY, "description": "Anna Andersson bor här"}).json()["id"]
        deadline = time.monotonic() + 30
        props = s.get("/api/reports", params={"ids": rid}).json()["features"][0]["properties"]
        while props["description"] is not None and time.monotonic() < deadline:
            time.sleep(0.3)
            props = s.get("/api/reports", params={"ids": rid}).json()["features"][0]["properties"]
        assert props["description"] is None
        assert props["category"] == "mörkt"  # the report itself stays
