"""The GeoPackage store's schema: GeoPackage 1.3 core tables, the ``reports`` layer and the service tables.

Each migration brings the file from one schema version to the next inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pyproj
from pyproj.enums import WktVersion

from geo.service.storage.lagesbild import gpkg_runs_migration
from geo.service.storage.measures import measure_tables_sql
from geo.service.storage.moderation import gpkg_moderation_migration

__all__ = ["MIGRATIONS"]

_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
_GPKG_USER_VERSION = 10300  # GeoPackage 1.3


_TABLES_SQL = """
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE IF NOT EXISTS gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
  scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
CREATE TABLE IF NOT EXISTS reports (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom POINT NOT NULL,
  report_id TEXT NOT NULL UNIQUE,
  occurred_at TEXT NOT NULL,
  occurred_to TEXT,
  category TEXT NOT NULL,
  source TEXT NOT NULL,
  description TEXT,
  weight REAL NOT NULL DEFAULT 1.0,
  location_precision TEXT NOT NULL DEFAULT 'exact',
  lat REAL NOT NULL,
  lon REAL NOT NULL,
  created_at TEXT NOT NULL,
  occurred_utc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS reports_occurred ON reports (occurred_utc, fid);
CREATE TABLE IF NOT EXISTS idempotency_keys (
  key TEXT PRIMARY KEY, report_id TEXT NOT NULL, body_hash TEXT, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  name TEXT PRIMARY KEY, role TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at TEXT NOT NULL, requested_by TEXT NOT NULL,
  started_at TEXT, finished_at TEXT, outputs TEXT NOT NULL DEFAULT '{}', message TEXT NOT NULL DEFAULT '',
  n_reports INTEGER);
"""
"""Tables of schema version 1 (GeoPackage core, ``reports`` and the service tables)."""


def _srs_rows(srs_id: int) -> list[tuple[str, int, str, int, str, str]]:
    """Return the spatial reference systems every GeoPackage holds, plus the store's metric CRS."""
    crs = pyproj.CRS.from_epsg(srs_id)
    wgs = pyproj.CRS.from_epsg(4326)
    return [
        (
            "Undefined cartesian SRS",
            -1,
            "NONE",
            -1,
            "undefined",
            "undefined cartesian coordinate reference system",
        ),
        (
            "Undefined geographic SRS",
            0,
            "NONE",
            0,
            "undefined",
            "undefined geographic coordinate reference system",
        ),
        (
            "WGS 84 geodetic",
            4326,
            "EPSG",
            4326,
            wgs.to_wkt(WktVersion.WKT1_GDAL),
            "longitude/latitude WGS 84",
        ),
        (crs.name, srs_id, "EPSG", srs_id, crs.to_wkt(WktVersion.WKT1_GDAL), crs.name),
    ]


def _script(con: sqlite3.Connection, sql: str) -> None:
    """Run several statements inside the open transaction (``executescript`` would commit first)."""
    for statement in sql.split(";"):
        if statement.strip():
            con.execute(statement)


def _migration_1(con: sqlite3.Connection, srs_id: int) -> None:
    """Create the GeoPackage tables, the service's tables and register the ``reports`` layer."""
    con.execute(f"PRAGMA application_id = {_GPKG_APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {_GPKG_USER_VERSION}")
    _script(con, _TABLES_SQL)
    con.executemany("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", _srs_rows(srs_id))
    con.execute(
        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
        "VALUES ('reports', 'features', 'reports', 'lagesbild: reports submitted to the service', ?)",
        (srs_id,),
    )
    # GDAL then lists only registered tables: the service tables (users, keys, runs) stay out of readers' way
    con.execute(
        "INSERT OR IGNORE INTO gpkg_extensions VALUES (NULL, NULL, 'gdal_aspatial', "
        "'http://gdal.org/geopackage_aspatial.html', 'read-write')"
    )
    con.execute(
        "INSERT OR IGNORE INTO gpkg_geometry_columns VALUES ('reports', 'geom', 'POINT', ?, 0, 0)", (srs_id,)
    )


def _migration_2(con: sqlite3.Connection, srs_id: int) -> None:
    """Record when free text was purged; index reports by when they were received."""
    con.execute("ALTER TABLE reports ADD COLUMN text_purged_at TEXT")
    con.execute("CREATE INDEX IF NOT EXISTS reports_created ON reports (created_at)")


def _migration_3(con: sqlite3.Connection, srs_id: int) -> None:
    """Add the register of measures and its status history."""
    for statement in measure_tables_sql(serial="INTEGER PRIMARY KEY AUTOINCREMENT"):
        con.execute(statement)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection, int], None]] = {
    1: _migration_1,
    2: _migration_2,
    3: _migration_3,
    4: gpkg_runs_migration,
    5: gpkg_moderation_migration,
}
"""Schema steps: version -> function bringing the file from version-1 to version."""
