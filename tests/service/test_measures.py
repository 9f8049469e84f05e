"""The register of measures in the service: the stores in-process and the HTTP API round-trip, on the real
GeoPackage and PostGIS stores (create, list, change status with history, accept a proposal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from geo.service.storage import RunRecord, open_store
from geo.service.storage.measures import MeasureRecord
from tests.service.conftest import BACKENDS, Deployment, Server, add_user, make_db


@pytest.mark.parametrize("kind", BACKENDS)
def test_store_round_trip(kind, tmp_path, request):
    store = open_store(make_db(kind, tmp_path, request))
    try:
        table = store.measures
        rec = MeasureRecord(
            "A1", "belysning", "2025-03-01", lat=57.18, lon=14.04, radius_m=100.0, status="beslutad"
        )
        assert table.create(rec, by="anna") is not None
        assert table.create(rec, by="anna") is None  # the id is taken
        changed = table.update("A1", {"status": "pågår"}, by="bo", note="lampor uppsatta")
        assert changed is not None and changed.status == "pågår" and changed.updated_by == "bo"
        assert table.update("nope", {"status": "pågår"}, by="bo") is None
        history = table.history("A1")
        assert [(h.old_status, h.new_status, h.changed_by) for h in history] == [
            ("", "beslutad", "anna"),
            ("beslutad", "pågår", "bo"),
        ]
        assert history[1].note == "lampor uppsatta"
        assert [m.measure_id for m in table.all()] == ["A1"]
        assert table.all(status="genomförd") == []
        got = table.get("A1")
        assert got is not None and got.lat == pytest.approx(57.18) and got.end == ""
        assert store.schema_version() == 5
    finally:
        store.close()


@pytest.fixture(scope="module", params=BACKENDS)
def service(request, tmp_path_factory) -> Iterator[Deployment]:
    tmp = tmp_path_factory.mktemp(f"measures-{request.param}")
    db = make_db(request.param, tmp, request)
    staff = add_user(db, "staff-user", "staff")
    viewer = add_user(db, "viewer-user", "viewer")
    server = Server(db, tmp, "--rate-limit", "0").start()
    try:
        yield Deployment(request.param, server, staff, viewer)
    finally:
        server.stop()


def test_api_round_trip(service):
    new = {
        "measure_id": "M1",
        "kind": "Patrull",
        "start": "2025-03-01",
        "lat": 57.186,
        "lon": 14.04,
        "radius_m": 150,
        "hours": "fre-lör 22-03",
        "focus": "trygghet",
    }
    with service.client() as anon:
        assert anon.post("/api/measures", json=new).status_code == 401
    with service.client(service.viewer) as viewer:
        assert viewer.post("/api/measures", json=new).status_code == 403
        assert viewer.get("/api/measures").status_code == 200
    with service.client(service.staff) as staff:
        r = staff.post("/api/measures", json=new)
        assert r.status_code == 201, r.text
        assert r.json()["kind"] == "patrull/närvaro" and r.json()["status"] == "föreslagen"
        assert r.json()["start"].startswith("2025-03-01T00:00:00+01:00")
        assert staff.post("/api/measures", json=new).status_code == 409
        bad = staff.post("/api/measures", json={**new, "measure_id": "M2", "hours": "ibland"})
        assert bad.status_code == 422 and "hours" in bad.text
        r = staff.patch("/api/measures/M1", json={"status": "pågår", "note": "start"})
        assert r.status_code == 200, r.text
        hist = r.json()["history"]
        assert [(h["new_status"], h["changed_by"]) for h in hist] == [
            ("föreslagen", "staff-user"),
            ("pågår", "staff-user"),
        ]
        assert dt.datetime.fromisoformat(hist[1]["changed_at"]) <= dt.datetime.now(dt.UTC)
        assert staff.patch("/api/measures/M9", json={"status": "pågår"}).status_code == 404
        assert staff.patch("/api/measures/M1", json={"status": "klar"}).status_code == 422
        listed = staff.get("/api/measures", params={"status": "pågår"}).json()
        assert [m["measure_id"] for m in listed["measures"]] == ["M1"]
        assert staff.get("/api/measures/M1").json()["history"][-1]["old_status"] == "föreslagen"


def test_accept_a_proposal_in_one_call(service):
    folder = service.server.maps_dir / "run-test"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lighting_proposals.csv").write_text(
        "rank,lat,lon,street,covered_reports,proposal_id\n1,57.174149,14.047839,Lönngatan,17,LP-001\n",
        encoding="utf-8",
    )
    store = open_store(service.server.db)
    now = dt.datetime.now(dt.UTC)
    store.save_run(
        RunRecord(
            "run-test",
            "done",
            now,
            "test",
            started_at=now,
            finished_at=now,
            outputs={"lighting_proposals": "run-test/lighting_proposals.csv"},
        )
    )
    store.close()
    with service.client(service.staff) as staff:
        r = staff.post(
            "/api/measures/accept",
            json={
                "proposal": "lamp:LP-001",
                "start": "2026-12-01",
                "run_id": "run-test",
                "owner": "Gatukontoret",
            },
        )
        assert r.status_code == 201, r.text
        m = r.json()
        assert (m["measure_id"], m["kind"], m["status"], m["proposal_id"]) == (
            "lamp-LP-001",
            "belysning",
            "beslutad",
            "lamp:LP-001",
        )
        assert m["lat"] == pytest.approx(57.174149) and m["hours"] == "dark" and m["owner"] == "Gatukontoret"
        assert m["history"][0]["changed_by"] == "staff-user"
        missing = staff.post(
            "/api/measures/accept",
            json={"proposal": "lamp:LP-009", "start": "2026-12-01", "run_id": "run-test"},
        )
        assert missing.status_code == 422 and "LP-009" in missing.text


@pytest.mark.parametrize("kind", BACKENDS)
def test_migration_v2_to_v3_adds_the_register(kind, tmp_path, request):
    from tests.service.test_storage import new_report, open_version

    db = make_db(kind, tmp_path, request)
    old = open_version(kind, db, 2)
    old.insert_batch([new_report(1)])
    old.close()
    store = open_store(db)
    try:
        assert store.schema_version() == 5 and store.count_reports() == 1
        assert store.measures.create(MeasureRecord("B1", "kamera", "2025-01-01", 57.2, 14.0, 50.0), by="x")
        assert [m.measure_id for m in store.measures.all()] == ["B1"]
    finally:
        store.close()


def test_a_service_run_reads_the_stored_register(tmp_path):
    from geo.io.area import load_area
    from geo.io.measures import read_measures
    from geo.service.runs import RunContext, _run_config

    store = open_store(tmp_path / "s.gpkg")
    try:
        store.measures.create(
            MeasureRecord("P1", "kamera", "2025-01-01T00:00:00+01:00", 57.186, 14.04, 100.0, status="pågår"),
            by="a",
        )
        poly = "POLYGON ((14.05 57.19, 14.06 57.19, 14.06 57.2, 14.05 57.19))"
        store.measures.create(MeasureRecord("P2", "ombyggnad", "2025-02-01", geometry_wkt=poly), by="a")
        ctx = RunContext(
            store=store,
            area=load_area("Värnamo"),
            area_spec="Värnamo",
            tz="Europe/Stockholm",
            maps_dir=tmp_path / "maps",
            k=5,
            extra_sources=(),
            run_config=None,
        )
        config = _run_config(ctx, tmp_path / "maps" / "runs" / "r1")
        assert config.measures.file is not None and config.measures.file.name == "atgarder.csv"
        register = read_measures(config.measures.file, crs="EPSG:3006", tz="Europe/Stockholm")
        assert list(register["measure_id"]) == ["P1", "P2"]
        assert list(register["status"]) == ["pågår", "föreslagen"]
    finally:
        store.close()
