"""The multi-user store: PostgreSQL with PostGIS through psycopg 3, the same behaviour as the GeoPackage.

Several service processes may share one database: idempotency keys are claimed with
``INSERT ... ON CONFLICT DO NOTHING`` (a concurrent duplicate waits for the first to commit and then finds
it), and schema migrations run under an advisory lock.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from geo.errors import InputError
from geo.service.storage.base import (
    SCHEMA_VERSION,
    IdempotencyConflict,
    NewReport,
    ReportFilter,
    RunRecord,
    Store,
    StoredReport,
    UserRecord,
    check_schema_version,
    filter_conditions,
    replay_or_conflict,
)
from geo.service.storage.lagesbild import PostgisLagesbildRuns
from geo.service.storage.measures import MeasureTable
from geo.service.storage.moderation import ModerationTable, moderation_values
from geo.service.storage.postgis_schema import MIGRATIONS

__all__ = ["PostgisStore", "redact_url"]

_LOCK_ID = 0x6C616765  # advisory lock for migrations ("lage")
_SELECT_RUNS = (
    "SELECT run_id, status, created_at, requested_by, started_at, finished_at, outputs, message, n_reports "
    "FROM runs"
)


def redact_url(url: str) -> str:
    """Return the URL with any password replaced by ``***`` (for messages and logs)."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return url.split("@")[-1]
    host = info.get("host", "")
    return f"postgresql://{info.get('user', '')}@{host}:{info.get('port', '')}/{info.get('dbname', '')}"


class PostgisStore(PostgisLagesbildRuns, Store):
    """Reports and service tables in a PostgreSQL/PostGIS database.

    Parameters
    ----------
    url
        ``postgresql://user:password@host:port/dbname``.
    crs_epsg
        EPSG code of the metric CRS for a new schema (an existing one keeps its own).
    pool_size
        Connections kept for reads and small writes.
    upto_version
        Migrate only up to this schema version (tests of migration).
    """

    def __init__(
        self, url: str, *, crs_epsg: int = 3006, pool_size: int = 4, upto_version: int = SCHEMA_VERSION
    ) -> None:
        self.url = url
        self._pool: queue.LifoQueue[psycopg.Connection[Any]] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(pool_size)
        self._writer: psycopg.Connection[Any] | None = None
        self._writer_lock = threading.Lock()
        self._schema = upto_version
        self.crs_epsg = self._migrate(crs_epsg, upto_version)

    # -- connections -------------------------------------------------------------------------------------
    def _connect(self, *, autocommit: bool = True) -> psycopg.Connection[Any]:
        try:
            return psycopg.connect(self.url, autocommit=autocommit, connect_timeout=10)
        except psycopg.Error as err:
            raise InputError(
                f"cannot connect to PostgreSQL: {err}".strip(), path=redact_url(self.url)
            ) from err

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection[Any]]:
        """Borrow a pooled autocommit connection; a broken one is dropped, not returned."""
        self._slots.acquire()
        try:
            try:
                con = self._pool.get_nowait()
            except queue.Empty:
                con = self._connect()
            try:
                yield con
            except (psycopg.OperationalError, psycopg.InterfaceError):
                con.close()
                raise
            if con.closed or con.broken:
                return
            self._pool.put(con)
        finally:
            self._slots.release()

    def _migrate(self, crs_epsg: int, upto: int) -> int:
        with self._connect(autocommit=False) as con, con.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
            cur.execute(
                "CREATE TABLE IF NOT EXISTS lagesbild_meta (key text PRIMARY KEY, value text NOT NULL)"
            )
            meta = dict(cur.execute("SELECT key, value FROM lagesbild_meta").fetchall())
            version = int(meta.get("schema_version", 0))
            row = (
                cur.execute("SELECT to_regclass('reports') IS NOT NULL").fetchone() if version == 0 else None
            )
            check_schema_version(
                version,
                foreign_reports=bool(row and row[0]),
                where=redact_url(self.url),
                instead="use another database",
            )
            srs = int(meta.get("crs_epsg", crs_epsg))
            for step in range(version + 1, upto + 1):
                MIGRATIONS[step](cur, srs)
                cur.execute(
                    "INSERT INTO lagesbild_meta VALUES ('schema_version', %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(step),),
                )
            cur.execute(
                "INSERT INTO lagesbild_meta VALUES ('crs_epsg', %s) ON CONFLICT (key) DO NOTHING", (str(srs),)
            )
            con.commit()
        return srs

    def check_writable(self) -> None:
        """Commit one small write to ``lagesbild_meta``; raise when the database refuses writes."""
        with self._conn() as con:
            con.execute(
                "INSERT INTO lagesbild_meta VALUES ('health_checked_at', now()::text) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            )

    def schema_version(self) -> int:
        """Return the database's schema version."""
        with self._conn() as con:
            row = con.execute("SELECT value FROM lagesbild_meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    # -- reports -----------------------------------------------------------------------------------------
    def _claimed(self, cur: psycopg.Cursor[Any], r: NewReport) -> str | IdempotencyConflict | None:
        """Claim `r`'s idempotency key; return the answer for a key stored before, else ``None``."""
        if r.idempotency_key is None:
            return None
        cur.execute(
            "INSERT INTO idempotency_keys VALUES (%s, %s, %s, %s) ON CONFLICT (key) DO NOTHING",
            (r.idempotency_key, r.report_id, r.body_hash, r.created_at),
        )
        if cur.rowcount != 0:
            return None
        row = cur.execute(
            "SELECT report_id, body_hash FROM idempotency_keys WHERE key = %s",
            (r.idempotency_key,),
        ).fetchone()
        if row is None:  # the conflicting row was deleted in between
            raise RuntimeError(f"idempotency key {r.idempotency_key!r} vanished")
        return replay_or_conflict(r, row[0], row[1])

    def _insert(self, cur: psycopg.Cursor[Any], r: NewReport) -> None:
        more = moderation_values(r, self._schema)
        cur.execute(
            "INSERT INTO reports (geom, report_id, occurred_at, occurred_to, category, source, "
            f"description, lat, lon, created_at, tz{''.join(', ' + k for k in more)}) VALUES "
            "(ST_SetSRID(ST_MakePoint(%s, %s), %s), %s, %s, %s, %s, %s, %s, %s, %s, %s, %s"
            f"{', %s' * len(more)})",
            (
                r.x,
                r.y,
                self.crs_epsg,
                r.report_id,
                r.occurred_at,
                r.occurred_to,
                r.category,
                r.source,
                r.description,
                r.lat,
                r.lon,
                r.created_at,
                getattr(r.occurred_at.tzinfo, "key", "UTC"),
                *more.values(),
            ),
        )

    def insert_batch(self, reports: list[NewReport]) -> list[str | IdempotencyConflict]:
        """Store reports in one durable transaction (see :meth:`Store.insert_batch`)."""
        with self._writer_lock:
            if self._writer is None or self._writer.closed or self._writer.broken:
                self._writer = self._connect(autocommit=False)
            con = self._writer
            out: list[str | IdempotencyConflict] = []
            try:
                with con.cursor() as cur:
                    for r in reports:
                        earlier = self._claimed(cur, r)
                        if earlier is not None:
                            out.append(earlier)
                            continue
                        self._insert(cur, r)
                        out.append(r.report_id)
                con.commit()
            except BaseException:
                if not con.closed and not con.broken:
                    con.rollback()
                raise
            return out

    def lookup_idempotent(self, key: str) -> tuple[str, str | None] | None:
        """Return ``(report_id, body_hash)`` stored under an idempotency key, or ``None``."""
        with self._conn() as con:
            row = con.execute(
                "SELECT report_id, body_hash FROM idempotency_keys WHERE key = %s", (key,)
            ).fetchone()
        return (row[0], row[1]) if row else None

    def list_reports(self, flt: ReportFilter) -> list[StoredReport]:
        """List reports matching `flt`, oldest ``occurred_at`` first (ties by insertion order)."""
        where, args = filter_conditions(flt, mark="%s", occurred="occurred_at", when=lambda t: t)
        if flt.ids:
            where.append("report_id = ANY(%s)")
            args.append(list(flt.ids))
        sql = (
            "SELECT report_id, lat, lon, occurred_at, occurred_to, category, source, description, "
            "created_at, tz, status, org, duplicate_of, submitted_by, people FROM reports"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY occurred_at, fid LIMIT %s OFFSET %s"
        )
        with self._conn() as con:
            rows = con.execute(sql, (*args, flt.limit, flt.offset)).fetchall()
        from zoneinfo import ZoneInfo

        out = []
        for r in rows:
            tz = ZoneInfo(r[9])
            out.append(
                StoredReport(
                    *(r[0], r[1], r[2], r[3].astimezone(tz), r[4].astimezone(tz) if r[4] else None),
                    *(r[5], r[6], r[7]),
                    r[8],
                    *(r[10], r[11], r[12], r[13], r[14]),
                )
            )
        return out

    def count_reports(self) -> int:
        """Count the stored reports."""
        with self._conn() as con:
            row = con.execute("SELECT count(*) FROM reports").fetchone()
        return int(row[0]) if row else 0

    def purge_text(self, *, older_than: dt.datetime) -> int:
        """Remove free text of reports created before `older_than`; return how many were cleared."""
        with self._conn() as con:
            cur = con.execute(
                "UPDATE reports SET description = NULL, description_original = NULL, text_purged_at = now() "
                "WHERE (description IS NOT NULL OR description_original IS NOT NULL) AND created_at < %s",
                (older_than,),
            )
            return int(cur.rowcount)

    # -- users -------------------------------------------------------------------------------------------
    def add_user(self, name: str, *, role: str, token_hash: str, org: str | None = None) -> None:
        """Add a user (or replace its token, role and organisation)."""
        with self._conn() as con:
            con.execute(
                "INSERT INTO users (name, role, token_hash, created_at, org) VALUES (%s, %s, %s, now(), %s) "
                "ON CONFLICT (name) DO UPDATE SET role = excluded.role, token_hash = excluded.token_hash, "
                "created_at = excluded.created_at, org = excluded.org",
                (name, role, token_hash, org),
            )

    def user_for_token(self, token_hash: str) -> UserRecord | None:
        """Find the user holding a token with this hash, or ``None``."""
        with self._conn() as con:
            row = con.execute(
                "SELECT name, role, created_at, org FROM users WHERE token_hash = %s", (token_hash,)
            ).fetchone()
        return UserRecord(row[0], row[1], row[2], row[3]) if row else None

    def list_users(self) -> list[UserRecord]:
        """Return all users, by name."""
        with self._conn() as con:
            rows = con.execute("SELECT name, role, created_at, org FROM users ORDER BY name").fetchall()
        return [UserRecord(r[0], r[1], r[2], r[3]) for r in rows]

    def remove_user(self, name: str) -> bool:
        """Remove a user; return whether it existed."""
        with self._conn() as con:
            return con.execute("DELETE FROM users WHERE name = %s", (name,)).rowcount > 0

    # -- runs --------------------------------------------------------------------------------------------
    def save_run(self, run: RunRecord) -> None:
        """Insert or update a run."""
        with self._conn() as con:
            con.execute(
                "INSERT INTO runs VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (run_id) DO UPDATE SET status = excluded.status, "
                "started_at = excluded.started_at, finished_at = excluded.finished_at, "
                "outputs = excluded.outputs, message = excluded.message, n_reports = excluded.n_reports",
                (
                    run.run_id,
                    run.status,
                    run.created_at,
                    run.requested_by,
                    run.started_at,
                    run.finished_at,
                    json.dumps(run.outputs, ensure_ascii=False),
                    run.message,
                    run.n_reports,
                ),
            )

    @staticmethod
    def _run(r: tuple[Any, ...]) -> RunRecord:
        outputs = r[6] if isinstance(r[6], dict) else json.loads(r[6])
        return RunRecord(
            run_id=r[0],
            status=r[1],
            created_at=r[2],
            requested_by=r[3],
            started_at=r[4],
            finished_at=r[5],
            outputs=outputs,
            message=r[7],
            n_reports=r[8],
        )

    def get_run(self, run_id: str) -> RunRecord | None:
        """Get a run by id."""
        with self._conn() as con:
            row = con.execute(f"{_SELECT_RUNS} WHERE run_id = %s", (run_id,)).fetchone()
        return self._run(row) if row else None

    def latest_run(self, *, status: str = "done") -> RunRecord | None:
        """Get the most recently finished run with `status`."""
        with self._conn() as con:
            row = con.execute(
                f"{_SELECT_RUNS} WHERE status = %s ORDER BY finished_at DESC NULLS LAST LIMIT 1", (status,)
            ).fetchone()
        return self._run(row) if row else None

    def fail_unfinished_runs(self, message: str) -> int:
        """Mark runs left ``queued``/``running`` (by a stopped server) as failed."""
        with self._conn() as con:
            return con.execute(
                "UPDATE runs SET status = 'failed', message = %s, finished_at = now() "
                "WHERE status IN ('queued', 'running')",
                (message,),
            ).rowcount

    @contextmanager
    def _tx_con(self) -> Iterator[psycopg.Connection[Any]]:
        with self._conn() as con, con.transaction():
            yield con

    @property
    def measures(self) -> MeasureTable:
        """The register of measures (tables ``measures`` and ``measure_history``)."""
        return MeasureTable(self._tx_con, self._conn, "%s")

    @property
    def moderation(self) -> ModerationTable:
        """Status changes and history of reports (table ``report_history``)."""
        return ModerationTable(self._tx_con, self._conn, "%s")

    def reader_source(self) -> str:
        """Name what :func:`geo.io.read_reports` reads to get the stored reports."""
        return self.url

    def close(self) -> None:
        """Close connections."""
        with self._writer_lock:
            if self._writer is not None:
                self._writer.close()
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                break
