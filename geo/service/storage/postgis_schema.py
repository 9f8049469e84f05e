"""The PostGIS store's schema: the ``reports`` table with a geometry column and the service tables.

Each migration brings the database from one schema version to the next inside the caller's transaction (which
holds the migration advisory lock).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg

from geo.service.storage.lagesbild import postgis_runs_migration
from geo.service.storage.measures import measure_tables_sql
from geo.service.storage.moderation import postgis_moderation_migration

__all__ = ["MIGRATIONS"]


def _migration_1(cur: psycopg.Cursor[Any], srs: int) -> None:
    """Create PostGIS, the ``reports`` table in the metric CRS `srs`, and the service tables."""
    cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    cur.execute(
        f"""
        CREATE TABLE IF NOT EXISTS reports (
          fid bigserial PRIMARY KEY,
          geom geometry(Point, {int(srs)}) NOT NULL,
          report_id text NOT NULL UNIQUE,
          occurred_at timestamptz NOT NULL,
          occurred_to timestamptz,
          category text NOT NULL,
          source text NOT NULL,
          description text,
          weight double precision NOT NULL DEFAULT 1.0,
          location_precision text NOT NULL DEFAULT 'exact',
          lat double precision NOT NULL,
          lon double precision NOT NULL,
          created_at timestamptz NOT NULL,
          tz text NOT NULL DEFAULT 'Europe/Stockholm')
        """
    )
    cur.execute("CREATE INDEX IF NOT EXISTS reports_occurred ON reports (occurred_at, fid)")
    cur.execute("CREATE INDEX IF NOT EXISTS reports_geom ON reports USING gist (geom)")
    cur.execute(
        "CREATE TABLE IF NOT EXISTS idempotency_keys (key text PRIMARY KEY, report_id text NOT NULL, "
        "body_hash text, created_at timestamptz NOT NULL)"
    )
    cur.execute(
        "CREATE TABLE IF NOT EXISTS users (name text PRIMARY KEY, role text NOT NULL, "
        "token_hash text NOT NULL UNIQUE, created_at timestamptz NOT NULL)"
    )
    cur.execute(
        "CREATE TABLE IF NOT EXISTS runs (run_id text PRIMARY KEY, status text NOT NULL, "
        "created_at timestamptz NOT NULL, requested_by text NOT NULL, started_at timestamptz, "
        "finished_at timestamptz, outputs jsonb NOT NULL DEFAULT '{}', message text NOT NULL DEFAULT '', "
        "n_reports integer)"
    )


def _migration_2(cur: psycopg.Cursor[Any], srs: int) -> None:
    """Record when free text was purged; index reports by when they were received."""
    cur.execute("ALTER TABLE reports ADD COLUMN IF NOT EXISTS text_purged_at timestamptz")
    cur.execute("CREATE INDEX IF NOT EXISTS reports_created ON reports (created_at)")


def _migration_3(cur: psycopg.Cursor[Any], srs: int) -> None:
    """Add the register of measures and its status history."""
    for statement in measure_tables_sql(serial="bigserial PRIMARY KEY"):
        cur.execute(statement)  # built from fixed column names, no user input


MIGRATIONS: dict[int, Callable[[psycopg.Cursor[Any], int], None]] = {
    1: _migration_1,
    2: _migration_2,
    3: _migration_3,
    4: postgis_runs_migration,
    5: postgis_moderation_migration,
}
"""Schema steps: version -> function bringing the database from version-1 to version."""
