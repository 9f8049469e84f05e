"""What every storage backend of the service offers, and the group-commit writer they share.

A backend stores reports, idempotency keys, users (hashed tokens) and runs. One :class:`GroupCommitWriter`
a process writes every waiting submission in ONE durable transaction, then answers: an answer means on disk.
"""

from __future__ import annotations

import abc
import datetime as dt
import hashlib
import json
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from geo.errors import InputError
from geo.service.storage.lagesbild import LagesbildRecord
from geo.service.storage.measures import MeasureTable
from geo.service.storage.moderation import (
    ANALYSED_STATUSES,
    PUBLIC_STATUSES,
    STATUSES,
    HistoryEntry,
    ModerationError,
    ModerationTable,
)

__all__ = [
    "ANALYSED_STATUSES",
    "PUBLIC_STATUSES",
    "SCHEMA_VERSION",
    "STATUSES",
    "HistoryEntry",
    "ModerationError",
    "ModerationTable",
    "GroupCommitWriter",
    "IdempotencyConflict",
    "LagesbildRecord",
    "NewReport",
    "ReportFilter",
    "RunRecord",
    "Store",
    "StoredReport",
    "UserRecord",
    "check_schema_version",
    "filter_conditions",
    "replay_or_conflict",
    "request_hash",
]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 5
"""Schema version the program writes; older databases are migrated when opened."""


class IdempotencyConflict(Exception):
    """An ``Idempotency-Key`` was used before with a different request body."""

    def __init__(self, key: str, report_id: str) -> None:
        self.key = key
        self.report_id = report_id
        super().__init__(f"Idempotency-Key '{key}' was used for another request (report {report_id})")


@dataclass(frozen=True)
class NewReport:
    """A validated submission, ready to store.

    Attributes
    ----------
    report_id
        The id the service gives it (``svc-`` + 20 hex digits).
    lat, lon
        WGS84 degrees.
    x, y
        The same position in the store's metric CRS (metres).
    occurred_at, occurred_to
        Timezone-aware local times; ``occurred_to`` is ``None`` unless a window was given.
    category, source, description
        As submitted (``description`` may be ``None``).
    created_at
        When the service accepted it (UTC).
    idempotency_key, body_hash
        The client's key (or ``None``) and a hash of the request body, to tell a retry from a reuse.
    status
        ``new`` (waits for a moderator) or ``approved`` (a partner's or staff's report counts as reviewed).
    org, submitted_by, people
        A partner's organisation, the submitting user (``None`` for the public), how many people were seen.
    """

    report_id: str
    lat: float
    lon: float
    x: float
    y: float
    occurred_at: dt.datetime
    occurred_to: dt.datetime | None
    category: str
    source: str
    description: str | None
    created_at: dt.datetime
    idempotency_key: str | None = None
    body_hash: str | None = None
    status: str = "new"
    org: str | None = None
    submitted_by: str | None = None
    people: int | None = None


@dataclass(frozen=True)
class StoredReport:
    """A report as read back from the store (times as timezone-aware datetimes)."""

    report_id: str
    lat: float
    lon: float
    occurred_at: dt.datetime
    occurred_to: dt.datetime | None
    category: str
    source: str
    description: str | None
    created_at: dt.datetime
    status: str = "approved"
    org: str | None = None
    duplicate_of: str | None = None
    submitted_by: str | None = None
    people: int | None = None


@dataclass(frozen=True)
class ReportFilter:
    """Filters of ``GET /api/reports``.

    ``since``/``until`` apply to ``occurred_at`` (until exclusive), ``received_since``/``received_until`` to
    when the service received the report (Open311's dates). ``statuses`` keeps only reports with one of
    those statuses (empty: every status); ``submitted_by`` only one user's submissions.
    """

    since: dt.datetime | None = None
    until: dt.datetime | None = None
    received_since: dt.datetime | None = None
    received_until: dt.datetime | None = None
    category: str | None = None
    source: str | None = None
    limit: int = 1000
    offset: int = 0
    ids: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    submitted_by: str | None = None


@dataclass(frozen=True)
class UserRecord:
    """A user: name, role, when the token was made (the token itself is never stored) and organisation."""

    name: str
    role: str
    created_at: dt.datetime
    org: str | None = None


@dataclass
class RunRecord:
    """A background run: status ``queued`` | ``running`` | ``done`` | ``failed``."""

    run_id: str
    status: str
    created_at: dt.datetime
    requested_by: str
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    message: str = ""
    n_reports: int | None = None


def request_hash(payload: dict[str, Any]) -> str:
    """Hash a request body canonically (sorted keys), to compare a retry with the first request."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def replay_or_conflict(
    report: NewReport, stored_id: str, stored_hash: str | None
) -> str | IdempotencyConflict:
    """Answer a submission whose idempotency key is already stored under `stored_id`.

    A retry (same body hash, or a hash missing on either side) gets the stored id; another body a conflict.
    """
    if stored_hash is None or report.body_hash is None or stored_hash == report.body_hash:
        return stored_id
    return IdempotencyConflict(str(report.idempotency_key), stored_id)


def check_schema_version(version: int, *, foreign_reports: bool, where: str, instead: str) -> None:
    """Refuse a store with a `reports` table but no version (`foreign_reports`), or a newer schema.

    `where` (path or redacted URL) and `instead` (what to use instead) go into the message.
    """
    if version == 0 and foreign_reports:
        raise InputError(f"holds a 'reports' table that lagesbild did not create; {instead}", path=where)
    if version > SCHEMA_VERSION:
        raise InputError(
            f"schema version {version} is newer than this program's {SCHEMA_VERSION}; update lagesbild",
            path=where,
        )


def filter_conditions(
    flt: ReportFilter, *, mark: str, occurred: str, when: Callable[[dt.datetime], object]
) -> tuple[list[str], list[object]]:
    """Return the SQL conditions and arguments of `flt` but ``ids`` (whose SQL differs by backend).

    `mark` is the driver's placeholder, `occurred` the column ordered like ``occurred_at`` and `when` turns a
    time into its stored form.
    """
    where: list[str] = []
    args: list[object] = []
    for column, op, value in (
        (occurred, ">=", flt.since),
        (occurred, "<", flt.until),
        ("created_at", ">=", flt.received_since),
        ("created_at", "<", flt.received_until),
        ("category", "=", flt.category),
        ("source", "=", flt.source),
        ("submitted_by", "=", flt.submitted_by),
    ):
        if value is not None:
            where.append(f"{column} {op} {mark}")
            args.append(when(value) if isinstance(value, dt.datetime) else value)
    if flt.statuses:
        where.append(f"status IN ({', '.join([mark] * len(flt.statuses))})")
        args.extend(flt.statuses)
    return where, args


class Store(abc.ABC):
    """A storage backend. Implementations must be safe to call from several threads."""

    url: str
    crs_epsg: int

    @abc.abstractmethod
    def insert_batch(self, reports: list[NewReport]) -> list[str | IdempotencyConflict]:
        """Store reports in one durable transaction.

        Returns, per report, the id under which it is stored: its own, or for a repeated idempotency key
        with the same body the id stored the first time; an :class:`IdempotencyConflict` when the key was
        used with another body. Raises when the transaction fails (nothing of the batch is stored).
        """

    @abc.abstractmethod
    def lookup_idempotent(self, key: str) -> tuple[str, str | None] | None:
        """Return ``(report_id, body_hash)`` stored under an idempotency key, or ``None``."""

    @abc.abstractmethod
    def list_reports(self, flt: ReportFilter) -> list[StoredReport]:
        """List reports matching `flt`, oldest ``occurred_at`` first (ties by insertion order)."""

    @abc.abstractmethod
    def schema_version(self) -> int:
        """Return the stored schema version."""

    @abc.abstractmethod
    def count_reports(self) -> int:
        """Count the stored reports."""

    @abc.abstractmethod
    def purge_text(self, *, older_than: dt.datetime) -> int:
        """Remove free text of reports created before `older_than`; return how many were cleared."""

    @abc.abstractmethod
    def add_user(self, name: str, *, role: str, token_hash: str, org: str | None = None) -> None:
        """Add a user (or replace its token, role and organisation)."""

    @abc.abstractmethod
    def user_for_token(self, token_hash: str) -> UserRecord | None:
        """Find the user holding a token with this hash, or ``None``."""

    @abc.abstractmethod
    def list_users(self) -> list[UserRecord]:
        """All users."""

    @abc.abstractmethod
    def remove_user(self, name: str) -> bool:
        """Remove a user; return whether it existed."""

    @abc.abstractmethod
    def save_run(self, run: RunRecord) -> None:
        """Insert or update a run."""

    @abc.abstractmethod
    def get_run(self, run_id: str) -> RunRecord | None:
        """Get a run by id."""

    @abc.abstractmethod
    def latest_run(self, *, status: str = "done") -> RunRecord | None:
        """Get the most recently finished run with `status`."""

    @abc.abstractmethod
    def fail_unfinished_runs(self, message: str) -> int:
        """Mark runs left ``queued``/``running`` (by a stopped server) as failed."""

    @property
    @abc.abstractmethod
    def measures(self) -> MeasureTable:
        """The register of measures and their status history (:mod:`geo.service.storage.measures`)."""

    @property
    @abc.abstractmethod
    def moderation(self) -> ModerationTable:
        """Status changes and history of reports (:mod:`geo.service.storage.moderation`)."""

    @abc.abstractmethod
    def reader_source(self) -> str:
        """Name what :func:`geo.io.read_reports` reads to get the stored reports (file path or URL)."""

    @abc.abstractmethod
    def save_lagesbild(self, record: LagesbildRecord) -> None:
        """Keep a ``geo run --store`` run (:mod:`geo.service.storage.lagesbild`)."""

    @abc.abstractmethod
    def lagesbild_runs(self, *, area: str | None = None) -> list[LagesbildRecord]:
        """Return the kept lägesbild runs (of `area` when given), oldest period first."""

    def check_writable(self) -> None:
        """Commit one small write (``health_checked_at`` in ``lagesbild_meta``); raise when refused."""
        raise NotImplementedError

    @abc.abstractmethod
    def close(self) -> None:
        """Close connections."""


@dataclass
class _Job:
    report: NewReport
    future: Future[str | IdempotencyConflict]


class GroupCommitWriter:
    """One writer thread: batches waiting submissions into one durable transaction.

    Parameters
    ----------
    store
        The backend.
    max_batch
        Most submissions per transaction.
    """

    def __init__(self, store: Store, *, max_batch: int = 256) -> None:
        self._store = store
        self._max_batch = max_batch
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="lagesbild-writer", daemon=True)
        self._thread.start()

    def submit(self, report: NewReport) -> Future[str | IdempotencyConflict]:
        """Queue a report; the future resolves after the commit (or fails with the database error)."""
        fut: Future[str | IdempotencyConflict] = Future()
        self._queue.put(_Job(report, fut))
        return fut

    def close(self) -> None:
        """Finish queued work and stop the thread."""
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        stop = False
        while not stop:
            first = self._queue.get()
            if first is None:
                break
            jobs = [first]
            while len(jobs) < self._max_batch:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    stop = True
                    break
                jobs.append(nxt)
            try:
                results = self._store.insert_batch([j.report for j in jobs])
            except Exception as err:  # noqa: BLE001 - every waiting caller must learn of the failure
                log.exception("writing %d reports failed", len(jobs))
                for j in jobs:
                    j.future.set_exception(err)
                continue
            for j, res in zip(jobs, results, strict=True):
                j.future.set_result(res)
