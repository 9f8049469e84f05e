"""The embedded store: one GeoPackage file (SQLite in WAL mode, one writer, ``synchronous=FULL``).

The file is a real GeoPackage: the ``reports`` layer (points in the store's metric CRS, GeoPackage geometry
blobs) opens in QGIS and reads with ``geo ingest service.gpkg``. Users, idempotency keys and runs live in
plain tables beside it that are not registered as layers.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
from geo.service.storage.gpkg_schema import MIGRATIONS
from geo.service.storage.lagesbild import GpkgLagesbildRuns
from geo.service.storage.measures import MeasureTable
from geo.service.storage.moderation import ModerationTable, moderation_values

__all__ = ["GeoPackageStore", "gpkg_point", "utc_key"]


def gpkg_point(x: float, y: float, srs_id: int) -> bytes:
    """Encode a point as a GeoPackage geometry blob (header without envelope + little-endian WKB)."""
    return b"GP" + bytes([0, 0b0000_0001]) + struct.pack("<i", srs_id) + struct.pack("<BIdd", 1, 1, x, y)


def utc_key(t: dt.datetime) -> str:
    """Fixed-width UTC text of an aware time, so text order is time order."""
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _iso(t: dt.datetime | None) -> str | None:
    return t.isoformat() if t is not None else None


def _parse(t: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(t) if t else None


class GeoPackageStore(GpkgLagesbildRuns, Store):
    """Reports and service tables in one GeoPackage file.

    Parameters
    ----------
    path
        The ``.gpkg`` file; created with its folder when missing.
    crs_epsg
        EPSG code of the metric CRS for new files (an existing file keeps its own).
    upto_version
        Migrate only up to this schema version (tests of migration); default: the current one.
    """

    def __init__(self, path: str | Path, *, crs_epsg: int = 3006, upto_version: int = SCHEMA_VERSION) -> None:
        self.path = Path(path)
        self.url = str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._con = self._connect()
        self._schema = upto_version
        self.crs_epsg = self._migrate(crs_epsg, upto_version)

    # -- connections -------------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=FULL")
            con.execute("PRAGMA busy_timeout=30000")
            con.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as err:
            raise InputError(f"cannot open as GeoPackage/SQLite: {err}", path=str(self.path)) from err
        return con

    def _reader(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = self._connect()
            self._local.con = con
        return con

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._write_lock:
            self._con.execute("BEGIN IMMEDIATE")
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")

    def _migrate(self, crs_epsg: int, upto: int) -> int:
        with self._tx() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS lagesbild_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            meta = dict(con.execute("SELECT key, value FROM lagesbild_meta").fetchall())
            version = int(meta.get("schema_version", 0))
            foreign = version == 0 and bool(
                con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='reports'").fetchone()
            )
            check_schema_version(
                version, foreign_reports=foreign, where=str(self.path), instead="give another --db file"
            )
            srs = int(meta.get("crs_epsg", crs_epsg))
            for step in range(version + 1, upto + 1):
                MIGRATIONS[step](con, srs)
                con.execute(
                    "INSERT OR REPLACE INTO lagesbild_meta VALUES ('schema_version', ?)", (str(step),)
                )
            con.execute("INSERT OR REPLACE INTO lagesbild_meta VALUES ('crs_epsg', ?)", (str(srs),))
        # readers such as GDAL check the GeoPackage application id in the file header, not in the WAL
        self._con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return srs

    def check_writable(self) -> None:
        """Commit one small write to ``lagesbild_meta``; raise when the file cannot be written."""
        with self._tx() as con:
            con.execute(
                "INSERT OR REPLACE INTO lagesbild_meta VALUES ('health_checked_at', ?)",
                (utc_key(dt.datetime.now(dt.UTC)),),
            )

    def schema_version(self) -> int:
        """Return the file's schema version."""
        row = self._reader().execute("SELECT value FROM lagesbild_meta WHERE key='schema_version'").fetchone()
        return int(row[0]) if row else 0

    # -- reports -----------------------------------------------------------------------------------------
    def _claimed(self, con: sqlite3.Connection, r: NewReport) -> str | IdempotencyConflict | None:
        """Claim `r`'s idempotency key; return the answer for a key stored before, else ``None``."""
        if r.idempotency_key is None:
            return None
        row = con.execute(
            "SELECT report_id, body_hash FROM idempotency_keys WHERE key = ?",
            (r.idempotency_key,),
        ).fetchone()
        if row is not None:
            return replay_or_conflict(r, row[0], row[1])
        con.execute(
            "INSERT INTO idempotency_keys VALUES (?, ?, ?, ?)",
            (r.idempotency_key, r.report_id, r.body_hash, utc_key(r.created_at)),
        )
        return None

    def _insert(self, con: sqlite3.Connection, r: NewReport) -> None:
        more = moderation_values(r, self._schema)
        con.execute(
            "INSERT INTO reports (geom, report_id, occurred_at, occurred_to, category, source, description,"
            f" lat, lon, created_at, occurred_utc{''.join(', ' + k for k in more)})"
            f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?{', ?' * len(more)})",
            (
                gpkg_point(r.x, r.y, self.crs_epsg),
                r.report_id,
                r.occurred_at.isoformat(),
                _iso(r.occurred_to),
                r.category,
                r.source,
                r.description,
                r.lat,
                r.lon,
                utc_key(r.created_at),
                utc_key(r.occurred_at),
                *more.values(),
            ),
        )

    def insert_batch(self, reports: list[NewReport]) -> list[str | IdempotencyConflict]:
        """Store reports in one durable transaction (see :meth:`Store.insert_batch`)."""
        out: list[str | IdempotencyConflict] = []
        xs: list[float] = []
        ys: list[float] = []
        with self._tx() as con:
            for r in reports:
                earlier = self._claimed(con, r)
                if earlier is not None:
                    out.append(earlier)
                    continue
                self._insert(con, r)
                xs.append(r.x)
                ys.append(r.y)
                out.append(r.report_id)
            if xs:
                con.execute(
                    "UPDATE gpkg_contents SET min_x = min(coalesce(min_x, ?), ?),"
                    " min_y = min(coalesce(min_y, ?), ?),"
                    " max_x = max(coalesce(max_x, ?), ?), max_y = max(coalesce(max_y, ?), ?),"
                    " last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = 'reports'",
                    (min(xs), min(xs), min(ys), min(ys), max(xs), max(xs), max(ys), max(ys)),
                )
        return out

    def lookup_idempotent(self, key: str) -> tuple[str, str | None] | None:
        """Return ``(report_id, body_hash)`` stored under an idempotency key, or ``None``."""
        row = (
            self._reader()
            .execute("SELECT report_id, body_hash FROM idempotency_keys WHERE key = ?", (key,))
            .fetchone()
        )
        return (row[0], row[1]) if row else None

    def list_reports(self, flt: ReportFilter) -> list[StoredReport]:
        """List reports matching `flt`, oldest ``occurred_at`` first (ties by insertion order)."""
        where, args = filter_conditions(flt, mark="?", occurred="occurred_utc", when=utc_key)
        if flt.ids:
            where.append(f"report_id IN ({', '.join('?' * len(flt.ids))})")
            args.extend(flt.ids)
        sql = (
            "SELECT report_id, lat, lon, occurred_at, occurred_to, category, source, description, "
            "created_at, status, org, duplicate_of, submitted_by, people FROM reports"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY occurred_utc, fid LIMIT ? OFFSET ?"
        )
        rows = self._reader().execute(sql, (*args, flt.limit, flt.offset)).fetchall()
        return [
            StoredReport(
                report_id=r[0],
                lat=r[1],
                lon=r[2],
                occurred_at=dt.datetime.fromisoformat(r[3]),
                occurred_to=_parse(r[4]),
                category=r[5],
                source=r[6],
                description=r[7],
                created_at=dt.datetime.fromisoformat(r[8]),
                status=r[9],
                org=r[10],
                duplicate_of=r[11],
                submitted_by=r[12],
                people=r[13],
            )
            for r in rows
        ]

    def count_reports(self) -> int:
        """Count the stored reports."""
        return int(self._reader().execute("SELECT count(*) FROM reports").fetchone()[0])

    def purge_text(self, *, older_than: dt.datetime) -> int:
        """Remove free text of reports created before `older_than`; return how many were cleared."""
        with self._tx() as con:
            cur = con.execute(
                "UPDATE reports SET description = NULL, description_original = NULL, text_purged_at = ? "
                "WHERE (description IS NOT NULL OR description_original IS NOT NULL) AND created_at < ?",
                (utc_key(dt.datetime.now(dt.UTC)), utc_key(older_than)),
            )
            return int(cur.rowcount)

    # -- users -------------------------------------------------------------------------------------------
    def add_user(self, name: str, *, role: str, token_hash: str, org: str | None = None) -> None:
        """Add a user (or replace its token, role and organisation)."""
        with self._tx() as con:
            con.execute(
                "INSERT OR REPLACE INTO users (name, role, token_hash, created_at, org) "
                "VALUES (?, ?, ?, ?, ?)",
                (name, role, token_hash, utc_key(dt.datetime.now(dt.UTC)), org),
            )

    def user_for_token(self, token_hash: str) -> UserRecord | None:
        """Find the user holding a token with this hash, or ``None``."""
        row = (
            self._reader()
            .execute("SELECT name, role, created_at, org FROM users WHERE token_hash = ?", (token_hash,))
            .fetchone()
        )
        return UserRecord(row[0], row[1], dt.datetime.fromisoformat(row[2]), row[3]) if row else None

    def list_users(self) -> list[UserRecord]:
        """Return all users, by name."""
        rows = (
            self._reader().execute("SELECT name, role, created_at, org FROM users ORDER BY name").fetchall()
        )
        return [UserRecord(r[0], r[1], dt.datetime.fromisoformat(r[2]), r[3]) for r in rows]

    def remove_user(self, name: str) -> bool:
        """Remove a user; return whether it existed."""
        with self._tx() as con:
            return con.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount > 0

    # -- runs --------------------------------------------------------------------------------------------
    def save_run(self, run: RunRecord) -> None:
        """Insert or update a run."""
        with self._tx() as con:
            con.execute(
                "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.run_id,
                    run.status,
                    utc_key(run.created_at),
                    run.requested_by,
                    utc_key(run.started_at) if run.started_at else None,
                    utc_key(run.finished_at) if run.finished_at else None,
                    json.dumps(run.outputs, ensure_ascii=False),
                    run.message,
                    run.n_reports,
                ),
            )

    @staticmethod
    def _run(row: tuple[Any, ...]) -> RunRecord:
        return RunRecord(
            run_id=str(row[0]),
            status=str(row[1]),
            created_at=dt.datetime.fromisoformat(str(row[2])),
            requested_by=str(row[3]),
            started_at=_parse(row[4]),
            finished_at=_parse(row[5]),
            outputs=json.loads(str(row[6])),
            message=str(row[7]),
            n_reports=row[8],
        )

    def get_run(self, run_id: str) -> RunRecord | None:
        """Get a run by id."""
        row = self._reader().execute("SELECT * FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        return self._run(row) if row else None

    def latest_run(self, *, status: str = "done") -> RunRecord | None:
        """Get the most recently finished run with `status`."""
        row = (
            self._reader()
            .execute("SELECT * FROM runs WHERE status = ? ORDER BY finished_at DESC LIMIT 1", (status,))
            .fetchone()
        )
        return self._run(row) if row else None

    def fail_unfinished_runs(self, message: str) -> int:
        """Mark runs left ``queued``/``running`` (by a stopped server) as failed."""
        with self._tx() as con:
            return con.execute(
                "UPDATE runs SET status = 'failed', message = ?, finished_at = ? "
                "WHERE status IN ('queued', 'running')",
                (message, utc_key(dt.datetime.now(dt.UTC))),
            ).rowcount

    @contextmanager
    def _read_con(self) -> Iterator[sqlite3.Connection]:
        yield self._reader()

    @property
    def measures(self) -> MeasureTable:
        """The register of measures (tables ``measures`` and ``measure_history``)."""
        return MeasureTable(self._tx, self._read_con, "?")

    @property
    def moderation(self) -> ModerationTable:
        """Status changes and history of reports (table ``report_history``)."""
        return ModerationTable(self._tx, self._read_con, "?")

    def reader_source(self) -> str:
        """Name what :func:`geo.io.read_reports` reads to get the stored reports."""
        return str(self.path)

    def close(self) -> None:
        """Close connections."""
        self._con.close()
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
