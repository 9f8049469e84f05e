"""The service's register of measures (åtgärder) and their status history, in either store.

Both backends keep the same two tables (schema version 3): ``measures`` (one row a measure, the place in
WGS84 as ``lat``/``lon``/``radius_m`` or a polygon as WKT) and ``measure_history`` (one row a status change:
who, when, from, to). :class:`MeasureTable` holds the SQL, run through the backend's own transaction and
reader connections, so GeoPackage and PostGIS behave alike. Times are stored as ISO 8601 text (UTC).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, fields
from typing import Any

__all__ = ["MEASURE_FIELDS", "MeasureRecord", "MeasureTable", "StatusChange", "measure_tables_sql"]


@dataclass(frozen=True)
class MeasureRecord:
    """A stored measure (text fields as given, validated by the API; ``""`` when not set)."""

    measure_id: str
    kind: str
    start: str
    lat: float | None = None
    lon: float | None = None
    radius_m: float | None = None
    geometry_wkt: str = ""
    end: str = ""
    hours: str = ""
    categories: str = ""
    focus: str = ""
    status: str = "föreslagen"
    owner: str = ""
    name: str = ""
    notes: str = ""
    proposal_id: str = ""
    created_at: str = ""
    created_by: str = ""
    updated_at: str = ""
    updated_by: str = ""


MEASURE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(MeasureRecord))
"""Columns of ``measures``, in order."""

_COLUMN = {"start": "start_date", "end": "end_date"}  # START/END are SQL words


@dataclass(frozen=True)
class StatusChange:
    """One change of a measure's status."""

    measure_id: str
    old_status: str
    new_status: str
    changed_by: str
    changed_at: str
    note: str = ""


def measure_tables_sql(*, serial: str) -> list[str]:
    """Return the statements creating both tables; `serial` is the auto-increment key's type."""
    cols = ", ".join(
        f"{_COLUMN.get(f, f)} {'DOUBLE PRECISION' if f in {'lat', 'lon', 'radius_m'} else 'TEXT'}"
        + (" PRIMARY KEY" if f == "measure_id" else "")
        for f in MEASURE_FIELDS
    )
    return [
        f"CREATE TABLE IF NOT EXISTS measures ({cols})",
        f"CREATE TABLE IF NOT EXISTS measure_history (id {serial}, measure_id TEXT NOT NULL, "
        "old_status TEXT NOT NULL, new_status TEXT NOT NULL, changed_by TEXT NOT NULL, "
        "changed_at TEXT NOT NULL, note TEXT NOT NULL DEFAULT '')",
        "CREATE INDEX IF NOT EXISTS measure_history_measure ON measure_history (measure_id, id)",
    ]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


Connection = Callable[[], AbstractContextManager[Any]]


class MeasureTable:
    """Create, list, change and follow measures in a store.

    Parameters
    ----------
    tx
        Returns a context manager giving a connection inside one transaction (committed on exit).
    read
        Returns a context manager giving a connection for reading.
    mark
        The driver's placeholder (``?`` or ``%s``).
    """

    def __init__(self, tx: Connection, read: Connection, mark: str) -> None:
        self._tx, self._read, self._m = tx, read, mark

    def _select(self) -> str:
        return "SELECT " + ", ".join(_COLUMN.get(f, f) for f in MEASURE_FIELDS) + " FROM measures"

    @staticmethod
    def _record(row: tuple[Any, ...]) -> MeasureRecord:
        values: dict[str, Any] = dict(zip(MEASURE_FIELDS, row, strict=True))
        for k, v in values.items():
            if v is None and k not in {"lat", "lon", "radius_m"}:
                values[k] = ""
        return MeasureRecord(**values)

    def create(self, record: MeasureRecord, *, by: str) -> MeasureRecord | None:
        """Store a new measure with its first history row; ``None`` when the id is taken."""
        now = _now()
        rec = MeasureRecord(
            **{**asdict(record), "created_at": now, "created_by": by, "updated_at": now, "updated_by": by}
        )
        cols = ", ".join(_COLUMN.get(f, f) for f in MEASURE_FIELDS)
        marks = ", ".join([self._m] * len(MEASURE_FIELDS))
        with self._tx() as con:
            found = con.execute(f"SELECT 1 FROM measures WHERE measure_id = {self._m}", (rec.measure_id,))
            if found.fetchone() is not None:
                return None
            con.execute(f"INSERT INTO measures ({cols}) VALUES ({marks})", tuple(asdict(rec).values()))
            self._history(con, StatusChange(rec.measure_id, "", rec.status, by, now, "skapad"))
        return rec

    def _history(self, con: Any, change: StatusChange) -> None:
        m = self._m
        con.execute(
            "INSERT INTO measure_history (measure_id, old_status, new_status, changed_by, changed_at, note) "
            f"VALUES ({m}, {m}, {m}, {m}, {m}, {m})",
            tuple(asdict(change).values()),
        )

    def get(self, measure_id: str) -> MeasureRecord | None:
        """Return one measure, or ``None``."""
        with self._read() as con:
            row = con.execute(f"{self._select()} WHERE measure_id = {self._m}", (measure_id,)).fetchone()
        return self._record(row) if row is not None else None

    def all(self, *, status: str | None = None) -> list[MeasureRecord]:
        """Return every measure (of `status`), oldest first."""
        sql, args = self._select(), tuple[str, ...]()
        if status is not None:
            sql, args = f"{sql} WHERE status = {self._m}", (status,)
        with self._read() as con:
            rows = con.execute(f"{sql} ORDER BY created_at, measure_id", args).fetchall()
        return [self._record(r) for r in rows]

    def update(
        self, measure_id: str, changes: dict[str, Any], *, by: str, note: str = ""
    ) -> MeasureRecord | None:
        """Change fields of a measure; a new status adds a history row (who, when). ``None`` if unknown."""
        now = _now()
        with self._tx() as con:
            row = con.execute(f"{self._select()} WHERE measure_id = {self._m}", (measure_id,)).fetchone()
            if row is None:
                return None
            old = self._record(row)
            new = MeasureRecord(**{**asdict(old), **changes, "updated_at": now, "updated_by": by})
            sets = ", ".join(f"{_COLUMN.get(f, f)} = {self._m}" for f in MEASURE_FIELDS[1:])
            values = tuple(asdict(new).values())
            con.execute(f"UPDATE measures SET {sets} WHERE measure_id = {self._m}", (*values[1:], measure_id))
            if new.status != old.status:
                self._history(con, StatusChange(measure_id, old.status, new.status, by, now, note))
        return new

    def history(self, measure_id: str) -> list[StatusChange]:
        """Return the status changes of a measure, oldest first."""
        with self._read() as con:
            rows = con.execute(
                "SELECT measure_id, old_status, new_status, changed_by, changed_at, note "
                f"FROM measure_history WHERE measure_id = {self._m} ORDER BY id",
                (measure_id,),
            ).fetchall()
        return [StatusChange(*r) for r in rows]
