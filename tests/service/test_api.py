"""The HTTP contract over the real server: every refusal with its status code, idempotency, paging,
Open311."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import httpx
import pytest

from tests.service.conftest import VARNAMO, Deployment


def report(**over: object) -> dict[str, object]:
    body: dict[str, object] = {
        "lat": VARNAMO[0],
        "lon": VARNAMO[1],
        "category": "mörkt",
        "occurred_at": "2025-01-10T21:30",
        "description": "Trasig lampa vid gångtunneln",
    }
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def test_health_docs_openapi(deployment: Deployment) -> None:
    with deployment.client() as c:
        h = c.get("/healthz").json()
        assert h["status"] == "ok"
        assert h["storage"] == ("geopackage" if deployment.kind == "gpkg" else "postgis")
        assert h["schema_version"] == 5
        spec = c.get("/openapi.json").json()
        for path in (
            "/api/reports",
            "/api/hotspots",
            "/api/runs",
            "/api/runs/{run_id}",
            "/maps/{name}",
            "/open311/v2/services.json",
            "/open311/v2/requests.json",
            "/report",
            "/healthz",
        ):
            assert path in spec["paths"], path
        assert c.get("/docs").status_code == 200


def test_submit_is_stored_and_listed(deployment: Deployment) -> None:
    with deployment.client() as pub, deployment.client(deployment.staff) as staff:
        r = pub.post("/api/reports", json=report(category="stökigt", occurred_at="2025-02-01T23:15"))
        assert r.status_code == 201, r.text
        rid = r.json()["id"]
        got = staff.get("/api/reports", params={"ids": rid}).json()
        assert got["type"] == "FeatureCollection" and len(got["features"]) == 1
        f = got["features"][0]
        assert f["geometry"]["coordinates"] == [VARNAMO[1], VARNAMO[0]]
        assert f["properties"]["category"] == "stökigt"
        assert f["properties"]["source"] == "resident"
        # naive local time is Stockholm time: 23:15 in February is UTC+1
        assert f["properties"]["occurred_at"] == "2025-02-01T23:15:00+01:00"


def test_window_report(deployment: Deployment) -> None:
    with deployment.client() as pub, deployment.client(deployment.staff) as staff:
        body = report(occurred_at=None, occurred_from="2025-03-01T22:00", occurred_to="2025-03-02T06:00")
        rid = pub.post("/api/reports", json=body).json()["id"]
        props = staff.get("/api/reports", params={"ids": rid}).json()["features"][0]["properties"]
        assert props["occurred_at"] == "2025-03-01T22:00:00+01:00"
        assert props["occurred_to"] == "2025-03-02T06:00:00+01:00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (report(lat=59.3293, lon=18.0686), "lat"),  # Stockholm: outside Värnamo
        (report(lat=57.70, lon=11.97), "lat"),  # Göteborg
        (report(category="spöken"), "category"),
        (report(occurred_at="2999-01-01T00:00"), "occurred_at"),
        (report(occurred_at=None), "occurred_at"),
        (report(occurred_at="igår kväll"), "occurred_at"),
        (
            report(occurred_at=None, occurred_from="2025-03-02T06:00", occurred_to="2025-03-01T22:00"),
            "occurred_to",
        ),
        (report(description="x" * 2001), "description"),
        (report(source="police"), "source"),  # the public cannot claim to be the police
        (report(lat=123), "lat"),
        ({**report(), "extra": 1}, "extra"),
    ],
    ids=[
        "stockholm",
        "goteborg",
        "category",
        "future",
        "no-time",
        "bad-time",
        "window-reversed",
        "long-text",
        "source",
        "lat-range",
        "unknown-field",
    ],
)
def test_refused_422(deployment: Deployment, body: dict[str, object], field: str) -> None:
    with deployment.client() as c:
        r = c.post("/api/reports", json=body)
    assert r.status_code == 422, r.text
    assert field in r.json()["detail"]["problems"]


def test_future_refusal_uses_server_clock(deployment: Deployment) -> None:
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).isoformat()
    just_now = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat()
    with deployment.client() as c:
        assert c.post("/api/reports", json=report(occurred_at=soon)).status_code == 422
        assert c.post("/api/reports", json=report(occurred_at=just_now)).status_code == 201


def test_bad_json_and_key_422(deployment: Deployment) -> None:
    with deployment.client() as c:
        r = c.post("/api/reports", content=b"{not json", headers={"content-type": "application/json"})
        assert r.status_code == 422
        r = c.post("/api/reports", json=report(), headers={"Idempotency-Key": "x" * 300})
        assert r.status_code == 422


def test_oversized_body_413(deployment: Deployment) -> None:
    big = report(description="å" * 20_000)
    with deployment.client() as c:
        assert c.post("/api/reports", json=big).status_code == 413

        def chunks():  # no Content-Length: sent chunked
            yield b'{"lat": 57.186, "lon": 14.04, "category": "m\\u00f6rkt", "description": "'
            for _ in range(40):
                yield b"a" * 1000
            yield b'"}'

        r = c.post("/api/reports", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413


def test_auth_401_403(deployment: Deployment) -> None:
    with deployment.client() as pub:
        for method, path in (("GET", "/api/reports"), ("POST", "/api/runs"), ("GET", "/api/runs/run-x")):
            r = pub.request(method, path)
            assert r.status_code == 401, (method, path)
            assert r.headers["www-authenticate"].startswith("Bearer")
    with deployment.client("lb_not-a-real-token") as bad:
        assert bad.get("/api/reports").status_code == 401
        assert bad.get("/api/hotspots").status_code == 401  # a wrong token never falls back to public
    with deployment.client(deployment.viewer) as viewer:
        assert viewer.get("/api/reports").status_code == 403
        assert viewer.post("/api/runs").status_code == 403
        assert viewer.get("/api/hotspots").json()["view"] == "full"
    with httpx.Client(base_url=deployment.url, headers={"Authorization": "Basic dXNlcjpwYXNz"}) as basic:
        assert basic.get("/api/reports").status_code == 401
    with deployment.client(deployment.staff) as staff:
        assert staff.get("/api/reports").status_code == 200
        assert staff.get("/api/runs/run-does-not-exist").status_code == 404


def test_idempotency(deployment: Deployment) -> None:
    key = str(uuid.uuid4())
    body = report(category="skadegörelse", occurred_at="2025-04-04T04:04")
    with deployment.client() as c, deployment.client(deployment.staff) as staff:
        first = c.post("/api/reports", json=body, headers={"Idempotency-Key": key})
        again = c.post("/api/reports", json=body, headers={"Idempotency-Key": key})
        assert first.status_code == again.status_code == 201
        assert first.json()["id"] == again.json()["id"]
        assert again.headers.get("idempotent-replayed") == "true"
        other = c.post("/api/reports", json={**body, "category": "klotter"}, headers={"Idempotency-Key": key})
        assert other.status_code == 422
        same_time = staff.get(
            "/api/reports", params={"since": "2025-04-04T04:04", "until": "2025-04-04T04:05"}
        )
        assert [f["id"] for f in same_time.json()["features"]] == [first.json()["id"]]


def test_list_filters_paging_order(deployment: Deployment) -> None:
    times = ["2024-06-03T10:00", "2024-06-01T10:00", "2024-06-02T10:00", "2024-06-04T10:00"]
    with deployment.client() as pub, deployment.client(deployment.staff) as staff:
        ids = {}
        for t in times:
            ids[t] = pub.post("/api/reports", json=report(category="nedskräpning", occurred_at=t)).json()[
                "id"
            ]
        params = {"since": "2024-06-01", "until": "2024-06-05", "category": "nedskräpning"}
        page1 = staff.get("/api/reports", params={**params, "limit": 3}).json()
        page2 = staff.get("/api/reports", params={**params, "limit": 3, "offset": 3}).json()
        got = [f["id"] for f in page1["features"] + page2["features"]]
        assert got == [ids[t] for t in sorted(times)]  # oldest first
        assert page1["next_offset"] == 3 and page2["next_offset"] is None
        assert staff.get("/api/reports", params={**params, "source": "safety_walk"}).json()["features"] == []
        assert staff.get("/api/reports", params={"limit": 100_001}).status_code == 422
        assert staff.get("/api/reports", params={"limit": 0}).status_code == 422
        assert staff.get("/api/reports", params={"since": "not-a-date"}).status_code == 422


def test_map_names_cannot_escape(deployment: Deployment) -> None:
    maps_dir = deployment.server.maps_dir
    secret = maps_dir.parent / "secret_public.html"
    secret.write_text("TOPSECRET")
    link = maps_dir / "link_public.html"
    if not link.exists():
        os.symlink(secret, link)
    (maps_dir / "intern.html").write_text("<p>internal</p>")
    with deployment.client() as c, deployment.client(deployment.viewer) as viewer:
        for raw in (
            "/maps/..%2Fsecret_public.html",
            "/maps/%2e%2e%2fsecret_public.html",
            "/maps/..%252Fsecret_public.html",
            "/maps/%2Fetc%2Fpasswd",
            "/maps/....//secret_public.html",
            "/maps/link_public.html",
            "/maps/x%00.html",
        ):
            r = c.send(httpx.Request("GET", httpx.URL(deployment.url, raw_path=raw.encode())))
            assert r.status_code in (400, 404), raw
            assert "TOPSECRET" not in r.text and "root:" not in r.text
        assert c.get("/maps/intern.html").status_code == 401
        assert viewer.get("/maps/intern.html").text == "<p>internal</p>"
        assert c.get("/maps/missing_public.html").status_code == 404
        names = [m["name"] for m in c.get("/maps").json()]
        assert "intern.html" not in names


def test_open311(deployment: Deployment) -> None:
    with deployment.client() as c, deployment.client(deployment.staff) as staff:
        services = c.get("/open311/v2/services.json").json()
        codes = {s["service_code"] for s in services}
        assert {"mörkt", "stökigt", "hög hastighet"} <= codes
        assert all({"service_name", "metadata", "type"} <= set(s) for s in services)
        r = c.post(
            "/open311/v2/requests.json",
            data={
                "service_code": "hög hastighet",
                "lat": "57.18712",
                "long": "14.04471",
                "description": "Bilar kör fort",
            },
        )
        assert r.status_code == 201, r.text
        rid = r.json()[0]["service_request_id"]
        # a new request is public only once a moderator approved it
        assert c.get("/open311/v2/requests.json", params={"service_request_id": rid}).json() == []
        assert staff.patch(f"/api/reports/{rid}", json={"status": "approved"}).status_code == 200
        public = c.get("/open311/v2/requests.json", params={"service_request_id": rid}).json()[0]
        assert public["description"] is None and public["lat"] != 57.18712  # generalised: test_security.py
        assert public["requested_datetime"].endswith("T00:00:00+01:00")
        full = c.get(
            "/open311/v2/requests.json", params={"service_request_id": rid, "api_key": deployment.staff}
        ).json()
        assert full[0]["description"] == "Bilar kör fort" and full[0]["lat"] == 57.18712
        props = staff.get("/api/reports", params={"ids": rid}).json()["features"][0]["properties"]
        assert props["source"] == "open311" and props["category"] == "hög hastighet"
        assert c.get(f"/open311/v2/requests/{rid}.json").json()[0]["service_code"] == "hög hastighet"
        recent = {q["service_request_id"] for q in c.get("/open311/v2/requests.json").json()}  # last 90 days
        assert rid in recent
        yesterday = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
        older = c.get("/open311/v2/requests.json", params={"end_date": yesterday}).json()
        assert rid not in {q["service_request_id"] for q in older}
        bad = c.post(
            "/open311/v2/requests.json", data={"service_code": "mörkt", "lat": "59.33", "long": "18.07"}
        )
        assert bad.status_code == 422 and bad.json()[0]["code"] == 422
        missing = c.post("/open311/v2/requests.json", data={"service_code": "mörkt"})
        assert missing.status_code == 400 and "lat" in missing.json()[0]["description"]
