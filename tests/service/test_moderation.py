"""Moderation over the real server, on the GeoPackage and PostGIS stores: roles (401/403), the queue with
duplicate candidates, approve/reject/duplicate with history, edited text keeping the original, partners'
reports, and that no unauthenticated answer ever shows a ``new`` report's id or text.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.service.conftest import BACKENDS, BOR, Server, add_user, make_db


@dataclass
class Roles:
    url: str
    tokens: dict[str, str]

    def client(self, role: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)


@pytest.fixture(scope="module", params=BACKENDS)
def roles(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Roles]:
    """A server of its own (a clean queue) with a user of every role and two partners."""
    tmp = tmp_path_factory.mktemp(f"mod-{request.param}")
    db = make_db(request.param, tmp, request)
    tokens = {role: add_user(db, f"{role}-user", role) for role in ("staff", "viewer", "moderator")}
    for name, org in (("partner", "Bostads AB"), ("partner2", "Fritidsgården")):
        tokens[name] = _partner(db, name, org)
    server = Server(db, tmp, "--rate-limit", "0").start()
    try:
        yield Roles(server.url, tokens)
    finally:
        server.stop()


def _partner(db: str, name: str, org: str) -> str:
    from geo.service.auth import hash_token, new_token
    from geo.service.storage import open_store

    store = open_store(db)
    token = new_token()
    store.add_user(name, role="partner", token_hash=hash_token(token), org=org)
    store.close()
    return token


def offset(lat: float, lon: float, *, north_m: float = 0.0, east_m: float = 0.0) -> tuple[float, float]:
    """A position `north_m` / `east_m` metres from (lat, lon)."""
    return (
        lat + north_m / 111_195.0,
        lon + east_m / (111_195.0 * math.cos(math.radians(lat))),
    )


def post(c: httpx.Client, at: tuple[float, float], when: str, category: str = "mörkt", **more: object) -> str:
    body = {"lat": at[0], "lon": at[1], "category": category, "occurred_at": when, **more}
    r = c.post("/api/reports", json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_roles(roles: Roles) -> None:
    with roles.client() as pub:
        rid = post(pub, BOR, "2025-04-01T10:00")
    checks = [
        ("PATCH", f"/api/reports/{rid}", {"status": "approved"}),
        ("GET", "/api/reports", None),
        ("GET", "/api/reports?status=new", None),
        ("GET", f"/api/reports/{rid}/history", None),
    ]
    for method, path, body in checks:
        with roles.client() as c:
            assert c.request(method, path, json=body).status_code == 401, path
        for role in ("partner", "viewer"):
            with roles.client(role) as c:
                assert c.request(method, path, json=body).status_code == 403, (role, path)
    with roles.client("moderator") as c:
        assert c.get("/api/reports", params={"status": "new"}).status_code == 200
        assert c.get(f"/api/reports/{rid}/history").status_code == 200
    with roles.client("staff") as c:
        assert c.get("/api/reports", params={"status": "nonsense"}).status_code == 422
    with roles.client() as c:
        assert c.get("/api/partner/reports").status_code == 401
    for role in ("viewer", "moderator", "staff"):
        with roles.client(role) as c:
            assert c.get("/api/partner/reports").status_code == 403, role
    # the new roles reach nothing beyond their own rights
    for role in ("partner", "moderator"):
        with roles.client(role) as c:
            assert c.post("/api/runs").status_code == 403, role
            assert c.get("/api/measures").status_code == 403, role
            assert c.get("/maps/lagesbild_internal.html").status_code == 403, role


def test_queue_and_duplicate_candidates(roles: Roles) -> None:
    base = offset(*BOR, north_m=2000)  # a corner of Bor no other test uses
    near, far, out = (offset(*base, east_m=d) for d in (10, 40, 75))
    with roles.client() as pub:
        first = post(pub, base, "2025-05-01T21:00")
        second = post(pub, far, "2025-05-03T21:00")
        other_kind = post(pub, near, "2025-05-03T22:00", category="stökigt")
        too_far = post(pub, out, "2025-05-04T21:00")
        too_late = post(pub, base, "2025-05-13T21:00")  # 8 days after the newest
        newest = post(pub, near, "2025-05-05T21:00")
    with roles.client("moderator") as c:
        queue = c.get("/api/reports", params={"status": "new", "limit": 100000}).json()
    by_id = {f["id"]: f["properties"] for f in queue["features"]}
    assert {first, second, other_kind, too_far, too_late, newest} <= set(by_id)
    assert all(p["status"] == "new" for p in by_id.values())
    assert by_id[newest]["source"] == "resident" and by_id[newest]["id"] == newest
    # 10 m from the first, 30 m from the second: nearest first; other category / 65 m / 8 days: not
    assert by_id[newest]["duplicate_candidates"] == [first, second]
    assert by_id[second]["duplicate_candidates"] == [first]
    assert by_id[first]["duplicate_candidates"] == []  # only earlier reports
    assert by_id[other_kind]["duplicate_candidates"] == []
    assert first not in by_id[too_far]["duplicate_candidates"]
    assert by_id[too_late]["duplicate_candidates"] == []
    with roles.client("staff") as c:
        r = c.patch(f"/api/reports/{newest}", json={"status": "duplicate", "duplicate_of": first})
        assert r.status_code == 200, r.text
        r = c.patch(f"/api/reports/{second}", json={"status": "rejected", "note": "fel plats"})
        assert r.status_code == 200
        queue = c.get("/api/reports", params={"status": "new", "limit": 100000}).json()
    ids = {f["id"] for f in queue["features"]}
    assert newest not in ids and second not in ids and first in ids
    # a duplicate or rejected report is no candidate any more
    with roles.client() as pub:
        later = post(pub, near, "2025-05-05T20:00")
    with roles.client("moderator") as c:
        props = c.get("/api/reports", params={"ids": later, "status": "new"}).json()["features"][0]
    assert props["properties"]["duplicate_candidates"] == [first]


def test_approve_reject_duplicate_with_history(roles: Roles) -> None:
    text = f"Tre personer bråkar vid kiosken {uuid.uuid4().hex[:6]}, en heter Kalle"
    with roles.client() as pub:
        a = post(pub, BOR, "2025-06-01T20:00", description=text)
        b = post(pub, BOR, "2025-06-01T20:30")
    with roles.client("moderator") as mod:
        r = mod.patch(f"/api/reports/{a}", json={"status": "approved", "note": "ok", "description": "Bråk"})
        assert r.status_code == 200, r.text
        assert r.json()["feature"]["properties"]["status"] == "approved"
        assert r.json()["feature"]["properties"]["description"] == "Bråk"
        assert mod.patch(f"/api/reports/{b}", json={"status": "duplicate"}).status_code == 422
        assert (
            mod.patch(f"/api/reports/{b}", json={"status": "duplicate", "duplicate_of": b}).status_code == 422
        )
        bad = mod.patch(f"/api/reports/{b}", json={"status": "duplicate", "duplicate_of": "svc-nope"})
        assert bad.status_code == 422 and "duplicate_of" in bad.json()["detail"]["problems"]
        assert mod.patch(f"/api/reports/{b}", json={"status": "maybe"}).status_code == 422
        assert mod.patch(f"/api/reports/{b}", json={"colour": "red"}).status_code == 422
        assert mod.patch("/api/reports/svc-nope", json={"status": "approved"}).status_code == 404
        assert mod.patch(f"/api/reports/{b}", json={"status": "rejected"}).status_code == 200
    with roles.client("staff") as staff:
        r = staff.patch(f"/api/reports/{b}", json={"status": "duplicate", "duplicate_of": a, "note": "samma"})
        assert r.status_code == 200
        assert r.json()["feature"]["properties"]["duplicate_of"] == a
        hist_b = staff.get(f"/api/reports/{b}/history").json()
        hist_a = staff.get(f"/api/reports/{a}/history").json()
        assert staff.get("/api/reports/svc-nope/history").status_code == 404
    assert [set(h) for h in hist_b] == [{"at", "by", "change"}] * 3
    assert hist_b[0]["change"]["created"]["status"] == "new"
    assert hist_b[0]["change"]["created"]["source"] == "resident"
    assert hist_b[1] == {
        "at": hist_b[1]["at"],
        "by": "moderator-user",
        "change": {"status": {"from": "new", "to": "rejected"}},
    }
    assert hist_b[2]["by"] == "staff-user"
    assert hist_b[2]["change"] == {
        "status": {"from": "rejected", "to": "duplicate"},
        "duplicate_of": {"from": None, "to": a},
        "note": "samma",
    }
    # the edit is recorded and the text as submitted is kept
    assert hist_a[0]["change"]["created"]["description"] == text
    assert hist_a[1]["change"]["description"] == {"edited": True, "original_kept": True}
    assert hist_a[1]["change"]["note"] == "ok"


def test_partner_reports(roles: Roles) -> None:
    with roles.client("partner") as p:
        rid = post(p, BOR, "2025-07-01T19:00", category="samling", description="Grupp vid skolan")
        own = p.get("/api/partner/reports").json()
        assert p.get("/api/reports").status_code == 403
        assert p.get("/api/reports", params={"ids": rid}).status_code == 403
        # a partner cannot pretend to be someone else's source
        refused = p.post(
            "/api/reports",
            json={
                "lat": BOR[0],
                "lon": BOR[1],
                "category": "samling",
                "occurred_at": "2025-07-01T19:00",
                "source": "police",
            },
        )
        assert refused.status_code == 422 and "source" in refused.json()["detail"]["problems"]
    with roles.client("partner2") as p2:
        other = post(p2, BOR, "2025-07-02T19:00", category="rykten")
        own2 = p2.get("/api/partner/reports").json()
    assert [f["id"] for f in own["features"]] == [rid]
    assert [f["id"] for f in own2["features"]] == [other]
    with roles.client("staff") as staff:
        props = staff.get("/api/reports", params={"ids": rid}).json()["features"][0]["properties"]
    assert props["status"] == "approved"
    assert props["source"] == "partner" and props["org"] == "Bostads AB"
    assert props["category"] == "samling"
    with roles.client() as pub:  # the checklist's categories are for partners
        body = {"lat": BOR[0], "lon": BOR[1], "category": "samling", "occurred_at": "2025-07-01T19:00"}
        assert pub.post("/api/reports", json=body).status_code == 422


def _public_answers(c: httpx.Client, rid: str) -> list[httpx.Response]:
    return [
        c.get("/open311/v2/requests.json"),
        c.get("/open311/v2/requests.json", params={"service_request_id": rid}),
        c.get("/open311/v2/requests.json", params={"start_date": "2000-01-01T00:00"}),
        c.get(f"/open311/v2/requests/{rid}.json"),
        c.get("/api/hotspots"),
        c.get("/maps"),
        c.get("/api/categories"),
        c.get("/report"),
        c.get("/healthz"),
        c.get("/open311/v2/services.json"),
    ]


def test_no_new_report_in_unauthenticated_answers(roles: Roles) -> None:
    text = f"hemlig-{uuid.uuid4().hex}"
    with roles.client() as pub:
        rid = post(pub, BOR, "2025-08-01T22:00", description=text)
        r = pub.post(
            "/open311/v2/requests.json",
            data={
                "service_code": "mörkt",
                "lat": str(BOR[0]),
                "long": str(BOR[1]),
                "description": text + "x",
            },
        )
        assert r.status_code == 201
        rid311 = r.json()[0]["service_request_id"]
        for answer in _public_answers(pub, rid) + _public_answers(pub, rid311):
            assert rid not in answer.text and rid311 not in answer.text, answer.url
            assert text not in answer.text, answer.url
        assert pub.get(f"/open311/v2/requests/{rid}.json").status_code == 404
    with roles.client("moderator") as mod:
        assert mod.patch(f"/api/reports/{rid}", json={"status": "approved"}).status_code == 200
    with roles.client() as pub:
        listed = pub.get("/open311/v2/requests.json", params={"service_request_id": rid}).json()
        assert [q["service_request_id"] for q in listed] == [rid]
        assert listed[0]["description"] is None
        assert rid311 not in pub.get("/open311/v2/requests.json").text  # still new
        for answer in _public_answers(pub, rid):
            assert text not in answer.text, answer.url
    with roles.client("staff") as staff:  # staff still sees everything, text included
        full = staff.get("/open311/v2/requests.json", params={"service_request_id": rid311}).json()
        assert full[0]["description"] == text + "x"


@pytest.mark.parametrize("kind", BACKENDS)
def test_reading_the_store_leaves_out_rejected_and_duplicates(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """geo ingest / geo run on the service's store: every report but rejected and duplicate ones."""
    from geo.io import read_reports
    from geo.service.storage import open_store
    from tests.service.test_storage import new_report

    db = make_db(kind, tmp_path, request)
    store = open_store(db)
    store.insert_batch([new_report(i) for i in range(1, 6)])
    table = store.moderation
    assert table.change("svc-test-1", by="m", status="approved") is not None
    assert table.change("svc-test-2", by="m", status="rejected") is not None
    assert table.change("svc-test-3", by="m", status="duplicate", duplicate_of="svc-test-1") is not None
    store.close()
    result = read_reports([db])
    assert sorted(result.reports["report_id"]) == ["svc-test-1", "svc-test-4", "svc-test-5"]
    left_out = result.rejects[result.rejects["field"] == "status"]
    assert sorted(left_out["value"].astype(str)) == ["duplicate", "rejected"]
