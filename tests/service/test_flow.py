"""The whole flow over the real server: submit -> moderate -> run (geo.pipeline in the background) ->
hot-spots and maps reflect the new reports; the public sees only approved reports, analyses leave out
rejected ones; free text never reaches public outputs and is escaped in the staff's map.
"""

from __future__ import annotations

import math
import time

import httpx
import numpy as np
import shapely
from shapely.geometry import shape

from geo.service.storage import open_store
from tests.service.conftest import BOR, VARNAMO, Deployment

INJECTION = "<script>alert('xss')</script><img src=x onerror=alert(2)> Trasig lampa"


def cluster(center: tuple[float, float], n: int, *, radius_m: float, seed: int) -> list[tuple[float, float]]:
    rng = np.random.default_rng(seed)
    dlat = radius_m / 111_320
    dlon = radius_m / (111_320 * math.cos(math.radians(center[0])))
    return [(center[0] + rng.uniform(-dlat, dlat), center[1] + rng.uniform(-dlon, dlon)) for _ in range(n)]


def submit_all(c: httpx.Client, points: list[tuple[float, float]], *, category: str, day: int) -> list[str]:
    ids = []
    for i, (lat, lon) in enumerate(points):
        body = {
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "category": category,
            "occurred_at": f"2025-10-{day:02d}T{20 + i % 4}:{i % 60:02d}",
        }
        r = c.post("/api/reports", json=body)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids


def moderate(staff: httpx.Client, ids: list[str], status: str = "approved") -> None:
    for rid in ids:
        assert staff.patch(f"/api/reports/{rid}", json={"status": status}).status_code == 200


def run_and_wait(staff: httpx.Client) -> dict[str, object]:
    r = staff.post("/api/runs")
    assert r.status_code == 202, r.text
    run_id = r.json()["run_id"]
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        status = staff.get(f"/api/runs/{run_id}").json()
        if status["status"] in ("done", "failed"):
            assert status["status"] == "done", status["message"]
            return status
        time.sleep(0.5)
    raise AssertionError(f"run {run_id} did not finish")


def covering(features: list[dict[str, object]], point: tuple[float, float]) -> list[dict[str, object]]:
    pt = shapely.Point(point[1], point[0])
    return [f for f in features if shape(f["geometry"]).buffer(1e-4).contains(pt)]  # type: ignore[arg-type]


def test_submit_run_hotspots_maps(deployment: Deployment) -> None:
    with deployment.client() as pub, deployment.client(deployment.staff) as staff:
        n_before = pub.get("/healthz").json()["reports"]  # other tests share this server

        background = submit_all(
            pub, cluster(VARNAMO, 80, radius_m=2500, seed=9), category="otrygg plats", day=2
        )
        dark = submit_all(pub, cluster(VARNAMO, 45, radius_m=30, seed=1), category="mörkt", day=3)
        rowdy = submit_all(pub, cluster(VARNAMO, 20, radius_m=30, seed=2), category="stökigt", day=4)
        inj = pub.post(
            "/api/reports",
            json={
                "lat": VARNAMO[0],
                "lon": VARNAMO[1],
                "category": "annat",
                "occurred_at": "2025-10-05T22:00",
                "description": INJECTION,
            },
        )
        assert inj.status_code == 201
        moderate(staff, [*background, *dark, *rowdy, inj.json()["id"]])
        first = run_and_wait(staff)
        assert first["n_reports"] == n_before + 146

        public = pub.get("/api/hotspots").json()
        assert public["view"] == "public" and public["run_id"] == first["run_id"]
        here = covering(public["features"], VARNAMO)
        assert here, public
        props = here[0]["properties"]
        assert props["n_reports"] >= 5
        assert not {"member_ids", "profile", "description"} & set(props)
        assert all(n >= 5 for n in props["category_mix"].values())

        full = staff.get("/api/hotspots").json()
        assert full["view"] == "full"
        members = {m for f in full["features"] for m in f["properties"]["member_ids"]}
        assert len(members & set(dark + rowdy)) >= 0.8 * len(dark + rowdy)

        # maps: the public one for everyone and free of free text; the internal one escapes it
        assert pub.get("/maps/lagesbild_internal.html").status_code == 401
        public_map = pub.get("/maps/lagesbild_public.html")
        assert public_map.status_code == 200
        assert "Trasig lampa" not in public_map.text and "alert(" not in public_map.text
        internal = staff.get("/maps/lagesbild_internal.html").text
        assert "<script>alert('xss')" not in internal and "<img src=x onerror" not in internal
        listed = {m["name"] for m in pub.get("/maps").json()}
        assert "lagesbild_public.html" in listed and "lagesbild_internal.html" not in listed

        # new reports in Bor: the next run sees them as a new hot-spot
        assert not covering(public["features"], BOR)
        # not yet reviewed: analysed (the staff's view) but not public; a rejected report is not analysed
        bor = submit_all(pub, cluster(BOR, 40, radius_m=30, seed=3), category="hög hastighet", day=6)
        moderate(staff, dark[:1], "rejected")
        second = run_and_wait(staff)
        assert second["n_reports"] == n_before + 146 + len(bor) - 1
        assert not covering(pub.get("/api/hotspots").json()["features"], BOR)
        assert covering(staff.get("/api/hotspots").json()["features"], BOR)
        moderate(staff, bor)
        third = run_and_wait(staff)
        after = pub.get("/api/hotspots").json()
        assert after["run_id"] == third["run_id"]
        at_bor = covering(after["features"], BOR)
        assert at_bor and at_bor[0]["properties"]["n_reports"] >= 30
        assert "hög hastighet" in at_bor[0]["properties"]["category_mix"]
        assert pub.get("/maps/lagesbild_public.html").text != public_map.text

        # the runs were kept in the service's own store (`geo history` and the next run's changes read it)
        store = open_store(deployment.db)
        try:
            kept = store.lagesbild_runs()
        finally:
            store.close()
        assert kept and kept[-1].document["counts"]["reports"] == second["n_reports"]
        assert any(h["n_reports"] >= 30 for h in kept[-1].document["hotspots"])
