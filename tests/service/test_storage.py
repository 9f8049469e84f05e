"""Stores in-process: schema creation and migration, refusal of foreign or newer schemas, group commit,
hashed tokens, retention, and reading the stored reports back through geo.io.read_reports.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import zoneinfo
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from geo.errors import InputError
from geo.io import read_reports
from geo.io.postgis import read_postgis_raw
from geo.service.auth import hash_token, new_token
from geo.service.storage import GroupCommitWriter, NewReport, ReportFilter, open_store
from geo.service.storage.gpkg import GeoPackageStore
from geo.service.storage.postgis import PostgisStore
from tests.service.conftest import BACKENDS, make_db

TZ = zoneinfo.ZoneInfo("Europe/Stockholm")


def new_report(i: int, *, key: str | None = None, text: str | None = "hej") -> NewReport:
    return NewReport(
        report_id=f"svc-test-{i}",
        lat=57.186,
        lon=14.04,
        x=440_000.0 + i,
        y=6_338_000.0,
        occurred_at=dt.datetime(2025, 1, 3, 22, 0, tzinfo=TZ) + dt.timedelta(hours=i),
        occurred_to=None,
        category="mörkt",
        source="resident",
        description=text,
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=i),
        idempotency_key=key,
        body_hash="h",
    )


def open_version(kind: str, db: str, upto: int):  # noqa: ANN201
    return GeoPackageStore(db, upto_version=upto) if kind == "gpkg" else PostgisStore(db, upto_version=upto)


@pytest.mark.parametrize("kind", BACKENDS)
def test_migration_v1_to_v2(kind: str, tmp_path, request: pytest.FixtureRequest) -> None:  # noqa: ANN001
    db = make_db(kind, tmp_path, request)
    old = open_version(kind, db, 1)
    assert old.schema_version() == 1
    old.insert_batch([new_report(1)])
    old.close()
    store = open_store(db)
    assert store.schema_version() == 5  # opening migrates to the current schema
    assert store.purge_text(older_than=dt.datetime.now(dt.UTC)) == 1  # uses the v2 column
    assert store.list_reports(ReportFilter())[0].description is None
    store.close()


@pytest.mark.parametrize("kind", BACKENDS)
def test_idempotency_group_commit_tokens_retention(
    kind: str, tmp_path, request: pytest.FixtureRequest
) -> None:  # noqa: ANN001
    db = make_db(kind, tmp_path, request)
    store = open_store(db)
    writer = GroupCommitWriter(store)
    futures = []
    lock = threading.Lock()

    def submit(i: int) -> None:
        f = writer.submit(new_report(i, key=f"k{i % 50}"))  # 200 submissions, 50 keys
        with lock:
            futures.append((i, f))

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results = {i: f.result(timeout=30) for i, f in futures}
    writer.close()
    assert store.count_reports() == 50
    for k in range(50):  # every submission with one key got the one id stored for that key
        group = {i: rid for i, rid in results.items() if i % 50 == k}
        assert len(set(group.values())) == 1
        assert next(iter(group.values())) in {f"svc-test-{i}" for i in group}
    token = new_token()
    store.add_user("anna", role="staff", token_hash=hash_token(token))
    assert store.user_for_token(hash_token(token)).name == "anna"
    assert store.user_for_token(token) is None  # the token itself is not what is stored
    assert store.remove_user("anna") and store.user_for_token(hash_token(token)) is None
    cleared = store.purge_text(older_than=dt.datetime.now(dt.UTC) - dt.timedelta(days=10, hours=1))
    texts = [r.description for r in store.list_reports(ReportFilter(limit=100))]
    assert cleared == sum(t is None for t in texts) and 0 < cleared < 50
    store.close()


def _execute(path: Path, statement: str) -> None:
    """Run one SQL statement on a SQLite (GeoPackage) file behind the store's back."""
    con = sqlite3.connect(path)
    con.execute(statement)
    con.commit()
    con.close()


def test_gpkg_refuses_foreign_and_newer(tmp_path) -> None:  # noqa: ANN001
    foreign = tmp_path / "foreign.gpkg"
    _execute(foreign, "CREATE TABLE reports (x)")
    with pytest.raises(InputError, match="did not create"):
        open_store(foreign)
    newer = tmp_path / "newer.gpkg"
    open_store(newer).close()
    _execute(newer, "UPDATE lagesbild_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(InputError, match="newer"):
        open_store(newer)
    with pytest.raises(InputError, match=".gpkg"):
        open_store(tmp_path / "reports.csv")


@pytest.mark.parametrize("kind", BACKENDS)
def test_stored_reports_feed_read_reports(kind: str, tmp_path, request: pytest.FixtureRequest) -> None:  # noqa: ANN001
    db = make_db(kind, tmp_path, request)
    store = open_store(db)
    window = new_report(7)
    window = NewReport(**{**window.__dict__, "occurred_to": window.occurred_at + dt.timedelta(hours=3)})
    store.insert_batch([new_report(1), new_report(2), window])
    store.close()  # GDAL (GeoPackage) must not share this process with an open writer
    result = read_reports([db])
    rep = result.reports
    assert sorted(rep["report_id"]) == ["svc-test-1", "svc-test-2", "svc-test-7"]
    assert str(rep["occurred_at"].dt.tz) == "Europe/Stockholm" and rep.crs.to_epsg() == 3006
    first = rep.set_index("report_id").loc["svc-test-1"]
    assert first["occurred_at"] == pd.Timestamp("2025-01-03 23:00", tz="Europe/Stockholm")
    assert first["hour"] == 23 and first["weekday"] == 4 and first["category"] == "mörkt"
    assert rep.set_index("report_id").loc["svc-test-7", "occurred_to"] == pd.Timestamp(
        "2025-01-04 08:00", tz="Europe/Stockholm"
    )
    assert first.geometry.x == pytest.approx(440_001.0)


@pytest.mark.postgis
def test_postgis_any_table(postgres) -> None:  # noqa: ANN001
    url = postgres.new_database()
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("CREATE TABLE incidents (nr text, tid text, kategori text, geom geometry(Point, 4326))")
        con.execute(
            "INSERT INTO incidents VALUES ('A1', '2024-05-01 22:10', 'misshandel', "
            "ST_SetSRID(ST_MakePoint(14.04, 57.186), 4326)),"
            " ('A2', '2024-05-02 01:30', 'rån', ST_SetSRID(ST_MakePoint(14.05, 57.19), 4326))"
        )
    raw, rows, geometry = read_postgis_raw(url + "?table=public.incidents")
    assert list(raw.columns) == ["nr", "tid", "kategori"] and list(rows) == [1, 2]
    assert geometry.crs.to_epsg() == 4326
    result = read_reports([url + "?table=incidents"])
    assert sorted(result.reports["category"]) == ["misshandel", "rån"]
    assert result.reports.crs.to_epsg() == 3006
    with pytest.raises(InputError, match="does not exist"):
        read_postgis_raw(url + "?table=nope")
    with pytest.raises(InputError, match="no lagesbild"):
        read_postgis_raw(url)
    with pytest.raises(InputError, match="cannot connect"):
        read_postgis_raw("postgresql://nobody@127.0.0.1:1/none")


def test_retention_prunes_old_run_folders(tmp_path) -> None:  # noqa: ANN001
    import os

    from geo.io.area import load_area
    from geo.service.runs import RunContext, RunManager
    from geo.service.storage import RunRecord

    store = open_store(tmp_path / "s.gpkg")
    maps = tmp_path / "maps"
    manager = RunManager(
        RunContext(
            store=store,
            area=load_area("Värnamo"),
            area_spec="Värnamo",
            tz="Europe/Stockholm",
            maps_dir=maps,
            k=5,
            extra_sources=(),
            run_config=None,
        )
    )
    now = dt.datetime.now(dt.UTC)
    for name, status in (("run-old", "done"), ("run-latest", "done"), ("run-busy", "running")):
        (maps / "runs" / name).mkdir(parents=True)
        (maps / "runs" / name / "reports.parquet").write_text("free text inside")
        old = (now - dt.timedelta(days=30)).timestamp()
        os.utime(maps / "runs" / name, (old, old))
        finished = now - dt.timedelta(days=30 if name == "run-old" else 1)
        store.save_run(
            RunRecord(
                run_id=name,
                status=status,
                created_at=finished,
                requested_by="t",
                finished_at=finished if status == "done" else None,
            )
        )
    assert manager.prune(older_than=now - dt.timedelta(days=7)) == 1
    assert sorted(p.name for p in (maps / "runs").iterdir()) == ["run-busy", "run-latest"]
    manager.close()
    store.close()
