"""Moderation of reports in either store: status, ``duplicate_of``, the kept original text and the history.

Schema version 5 of both backends adds to ``reports`` the columns ``status`` (``new`` | ``approved`` |
``rejected`` | ``duplicate``), ``duplicate_of``, ``org`` (a partner's organisation), ``submitted_by`` (the
user who sent it, ``NULL`` for the public), ``description_original`` (the text as submitted, kept when a
moderator edits it) and ``people`` (how many people a partner saw); ``users`` gets ``org``; and the table
``report_history`` keeps one row a change (when, who, what as JSON). :class:`ModerationTable` holds the SQL,
run through the backend's own transaction and reader connections, so GeoPackage and PostGIS behave alike.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ANALYSED_STATUSES",
    "PUBLIC_STATUSES",
    "STATUSES",
    "HistoryEntry",
    "ModerationError",
    "ModerationTable",
    "gpkg_moderation_migration",
    "moderation_values",
    "postgis_moderation_migration",
]

STATUSES: tuple[str, ...] = ("new", "approved", "rejected", "duplicate")
"""Every status a report can have."""

ANALYSED_STATUSES: tuple[str, ...] = ("new", "approved")
"""Statuses the analyses use (everything but ``rejected`` and ``duplicate``)."""

PUBLIC_STATUSES: tuple[str, ...] = ("approved",)
"""Statuses anything public may show (and then never the free text)."""


class ModerationError(ValueError):
    """A change that cannot be made (e.g. ``duplicate_of`` names an unknown report)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a report: when (UTC, ISO 8601), by whom, and what (``field -> {from, to}``, ``note``)."""

    at: str
    by: str
    change: dict[str, Any]


_NEW_COLUMNS = (
    "status TEXT NOT NULL DEFAULT 'new'",
    "duplicate_of TEXT",
    "org TEXT",
    "submitted_by TEXT",
    "description_original TEXT",
    "people INTEGER",
)


def gpkg_moderation_migration(con: Any, srs_id: int) -> None:
    """Bring the GeoPackage to schema 5: status and moderation columns, users' ``org``, ``report_history``.

    Reports stored before moderation existed keep their place in analyses; residents' and Open311 reports
    among them were never reviewed, so they start as ``new``, the rest as ``approved``.
    """
    for column in _NEW_COLUMNS:
        con.execute(f"ALTER TABLE reports ADD COLUMN {column}")
    con.execute("UPDATE reports SET status = 'approved' WHERE source NOT IN ('resident', 'open311')")
    con.execute("CREATE INDEX IF NOT EXISTS reports_status ON reports (status, occurred_utc)")
    con.execute("ALTER TABLE users ADD COLUMN org TEXT")
    con.execute(
        "CREATE TABLE IF NOT EXISTS report_history (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "report_id TEXT NOT NULL, at TEXT NOT NULL, by TEXT NOT NULL, change TEXT NOT NULL)"
    )
    con.execute("CREATE INDEX IF NOT EXISTS report_history_report ON report_history (report_id, id)")


def postgis_moderation_migration(cur: Any, srs: int) -> None:
    """Bring PostGIS to schema 5: the same columns and table as :func:`gpkg_moderation_migration`."""
    for column in _NEW_COLUMNS:
        cur.execute(f"ALTER TABLE reports ADD COLUMN IF NOT EXISTS {column}")
    cur.execute("UPDATE reports SET status = 'approved' WHERE source NOT IN ('resident', 'open311')")
    cur.execute("CREATE INDEX IF NOT EXISTS reports_status ON reports (status, occurred_at)")
    cur.execute("ALTER TABLE users ADD COLUMN IF NOT EXISTS org text")
    cur.execute(
        "CREATE TABLE IF NOT EXISTS report_history (id bigserial PRIMARY KEY, report_id text NOT NULL, "
        "at text NOT NULL, by text NOT NULL, change text NOT NULL)"
    )
    cur.execute("CREATE INDEX IF NOT EXISTS report_history_report ON report_history (report_id, id)")


def moderation_values(report: Any, schema_version: int) -> dict[str, Any]:
    """Return the schema-5 columns of a new report to insert (none into an older schema being tested)."""
    if schema_version < 5:
        return {}
    return {k: getattr(report, k) for k in ("status", "org", "submitted_by", "people")}


Connection = Callable[[], AbstractContextManager[Any]]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class ModerationTable:
    """Change a report's status or text and read its history.

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

    def change(
        self,
        report_id: str,
        *,
        by: str,
        status: str | None = None,
        duplicate_of: str | None = None,
        description: str | None = None,
        note: str = "",
    ) -> HistoryEntry | None:
        """Apply a moderator's change in one transaction and record it; ``None`` when the report is unknown.

        ``duplicate`` needs `duplicate_of` (another stored report); any other status clears it. A new
        `description` replaces the text, and the text as submitted is kept in ``description_original``
        the first time. A change that changes nothing still records its note (if any).

        Raises
        ------
        ModerationError
            For an unknown status or a `duplicate_of` that is missing, unknown or the report itself.
        """
        m = self._m
        if status is not None and status not in STATUSES:
            raise ModerationError("status", f"must be one of {', '.join(STATUSES)}, got '{status}'")
        with self._tx() as con:
            row = con.execute(
                f"SELECT status, duplicate_of, description, description_original FROM reports "
                f"WHERE report_id = {m}",
                (report_id,),
            ).fetchone()
            if row is None:
                return None
            old_status, old_dup, old_text, original = row
            new_status = status or old_status
            new_dup = duplicate_of if new_status == "duplicate" else None
            if new_status == "duplicate":
                new_dup = new_dup or old_dup
                self._check_duplicate(con, report_id, new_dup)
            elif duplicate_of is not None:
                raise ModerationError("duplicate_of", "only with status 'duplicate'")
            change: dict[str, Any] = {}
            if new_status != old_status:
                change["status"] = {"from": old_status, "to": new_status}
            if new_dup != old_dup:
                change["duplicate_of"] = {"from": old_dup, "to": new_dup}
            new_text = old_text
            if description is not None and description != (old_text or ""):
                new_text = description or None
                change["description"] = {"edited": True, "original_kept": True}
                if original is None:
                    original = old_text
            if note:
                change["note"] = note
            if not change:
                return HistoryEntry(at=_now(), by=by, change={})
            con.execute(
                f"UPDATE reports SET status = {m}, duplicate_of = {m}, description = {m}, "
                f"description_original = {m} WHERE report_id = {m}",
                (new_status, new_dup, new_text, original, report_id),
            )
            entry = HistoryEntry(at=_now(), by=by, change=change)
            con.execute(
                f"INSERT INTO report_history (report_id, at, by, change) VALUES ({m}, {m}, {m}, {m})",
                (report_id, entry.at, entry.by, json.dumps(change, ensure_ascii=False)),
            )
        return entry

    def _check_duplicate(self, con: Any, report_id: str, duplicate_of: str | None) -> None:
        if not duplicate_of:
            raise ModerationError(
                "duplicate_of", "status 'duplicate' needs duplicate_of (the earlier report)"
            )
        if duplicate_of == report_id:
            raise ModerationError("duplicate_of", "a report cannot be a duplicate of itself")
        found = con.execute(f"SELECT 1 FROM reports WHERE report_id = {self._m}", (duplicate_of,)).fetchone()
        if found is None:
            raise ModerationError("duplicate_of", f"no report '{duplicate_of}'")

    def history(self, report_id: str) -> list[HistoryEntry]:
        """Return the recorded changes of a report, oldest first."""
        with self._read() as con:
            rows = con.execute(
                f"SELECT at, by, change FROM report_history WHERE report_id = {self._m} ORDER BY id",
                (report_id,),
            ).fetchall()
        return [HistoryEntry(at=str(r[0]), by=str(r[1]), change=json.loads(str(r[2]))) for r in rows]

    def original_text(self, report_id: str) -> str | None:
        """Return the text as submitted when a moderator has edited it, else ``None``."""
        with self._read() as con:
            row = con.execute(
                f"SELECT description_original FROM reports WHERE report_id = {self._m}", (report_id,)
            ).fetchone()
        return None if row is None else row[0]
