"""Kept lägesbild runs in the service's store: one row a run (area, period, the run's document as JSON).

``geo run --store`` keeps each run here (settings, period, hot-spots with their geometry and figures,
proposals, key counts) so the next run can match hot-spot ids and say what changed. The table comes with
schema version 4 of both backends (:data:`GPKG_MIGRATION`, :data:`POSTGIS_MIGRATION`); the two mixins give
the backends :meth:`save_lagesbild` and :meth:`lagesbild_runs`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

__all__ = [
    "GpkgLagesbildRuns",
    "LagesbildRecord",
    "PostgisLagesbildRuns",
    "gpkg_runs_migration",
    "postgis_runs_migration",
]


@dataclass(frozen=True)
class LagesbildRecord:
    """One kept lägesbild run.

    Attributes
    ----------
    key
        ``area|start|end``: a run of the same area and period replaces the earlier one.
    area
        The study area's name ("" without one).
    period_start, period_end
        First and last day analysed (both included).
    created_at
        When it was kept (UTC).
    document
        Settings, counts, hot-spots (WKT in the store's metric CRS, with figures), proposals: JSON-ready.
    """

    key: str
    area: str
    period_start: dt.date
    period_end: dt.date
    created_at: dt.datetime
    document: dict[str, Any] = field(default_factory=dict)


_GPKG_SQL = (
    "CREATE TABLE IF NOT EXISTS lagesbild_runs (run_key TEXT PRIMARY KEY, area TEXT NOT NULL, "
    "period_start TEXT NOT NULL, period_end TEXT NOT NULL, created_at TEXT NOT NULL, document TEXT NOT NULL)"
)


def gpkg_runs_migration(con: sqlite3.Connection, srs_id: int) -> None:
    """Add the ``lagesbild_runs`` table (kept ``geo run --store`` runs)."""
    con.execute(_GPKG_SQL)
    con.execute("CREATE INDEX IF NOT EXISTS lagesbild_runs_end ON lagesbild_runs (area, period_end)")


def postgis_runs_migration(cur: Any, srs: int) -> None:
    """Add the ``lagesbild_runs`` table (kept ``geo run --store`` runs)."""
    cur.execute(
        "CREATE TABLE IF NOT EXISTS lagesbild_runs (run_key text PRIMARY KEY, area text NOT NULL, "
        "period_start date NOT NULL, period_end date NOT NULL, created_at timestamptz NOT NULL, "
        "document jsonb NOT NULL)"
    )
    cur.execute("CREATE INDEX IF NOT EXISTS lagesbild_runs_end ON lagesbild_runs (area, period_end)")


def _record(row: tuple[Any, ...]) -> LagesbildRecord:
    doc = row[5] if isinstance(row[5], dict) else json.loads(str(row[5]))
    created = row[4] if isinstance(row[4], dt.datetime) else dt.datetime.fromisoformat(str(row[4]))
    start = row[2] if isinstance(row[2], dt.date) else dt.date.fromisoformat(str(row[2]))
    end = row[3] if isinstance(row[3], dt.date) else dt.date.fromisoformat(str(row[3]))
    return LagesbildRecord(str(row[0]), str(row[1]), start, end, created, doc)


_COLUMNS = "run_key, area, period_start, period_end, created_at, document"


class GpkgLagesbildRuns:
    """:meth:`save_lagesbild` and :meth:`lagesbild_runs` for the GeoPackage store."""

    if TYPE_CHECKING:

        def _tx(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _reader(self) -> sqlite3.Connection: ...

    def save_lagesbild(self, record: LagesbildRecord) -> None:
        """Keep a run (replacing one of the same area and period)."""
        with self._tx() as con:
            con.execute(
                f"INSERT OR REPLACE INTO lagesbild_runs ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    record.key,
                    record.area,
                    record.period_start.isoformat(),
                    record.period_end.isoformat(),
                    record.created_at.isoformat(),
                    json.dumps(record.document, ensure_ascii=False),
                ),
            )

    def lagesbild_runs(self, *, area: str | None = None) -> list[LagesbildRecord]:
        """Return the kept runs (of `area` when given), oldest period first."""
        sql = f"SELECT {_COLUMNS} FROM lagesbild_runs"
        rows = self._reader().execute(
            sql + (" WHERE area = ?" if area is not None else "") + " ORDER BY period_end, period_start",
            (area,) if area is not None else (),
        )
        return [_record(tuple(r)) for r in rows.fetchall()]


class PostgisLagesbildRuns:
    """:meth:`save_lagesbild` and :meth:`lagesbild_runs` for the PostGIS store."""

    if TYPE_CHECKING:

        def _conn(self) -> AbstractContextManager[Any]: ...

    def save_lagesbild(self, record: LagesbildRecord) -> None:
        """Keep a run (replacing one of the same area and period)."""
        with self._conn() as con:
            con.execute(
                f"INSERT INTO lagesbild_runs ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (run_key) DO UPDATE SET created_at = excluded.created_at, "
                "document = excluded.document",
                (
                    record.key,
                    record.area,
                    record.period_start,
                    record.period_end,
                    record.created_at,
                    json.dumps(record.document, ensure_ascii=False),
                ),
            )

    def lagesbild_runs(self, *, area: str | None = None) -> list[LagesbildRecord]:
        """Return the kept runs (of `area` when given), oldest period first."""
        sql = f"SELECT {_COLUMNS} FROM lagesbild_runs"
        with self._conn() as con:
            rows = con.execute(
                sql + (" WHERE area = %s" if area is not None else "") + " ORDER BY period_end, period_start",
                (area,) if area is not None else (),
            ).fetchall()
        return [_record(tuple(r)) for r in rows]
