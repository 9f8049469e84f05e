"""Reading reports from PostgreSQL/PostGIS: the service's ``reports`` table, or any table with a geometry.

:func:`read_postgis_raw` is what :func:`geo.io.read_reports` calls for a ``postgresql://`` URL. The URL names
the database; an extra query parameter ``table`` (``postgresql://host/db?table=incidents``) names another
table than the service's ``reports``, optionally schema-qualified (``public.incidents``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import shapely
from psycopg import sql

from geo.errors import InputError

__all__ = ["read_postgis_raw", "split_table"]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")


def split_table(url: str) -> tuple[str, str | None]:
    """Split ``?table=...`` off a connection URL.

    Parameters
    ----------
    url
        ``postgresql://``, ``postgres://`` or ``postgis://`` URL.

    Returns
    -------
    conninfo, table
        The URL psycopg accepts and the table (``None`` for the service's ``reports``).
    """
    if url.startswith("postgis://"):
        url = "postgresql://" + url.split("://", 1)[1]
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    table = next((v for k, v in query if k == "table"), None)
    rest = [(k, v) for k, v in query if k != "table"]
    return urlunsplit(parts._replace(query=urlencode(rest))), table


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def read_postgis_raw(url: str) -> tuple[pd.DataFrame, np.ndarray, gpd.GeoSeries]:
    """Read a table of reports from PostGIS.

    Parameters
    ----------
    url
        Connection URL, optionally with ``?table=schema.name``.

    Returns
    -------
    raw, rows, geometry
        The attribute columns, each row's 1-based number (the service table's ``fid``), and the geometries
        in the table's CRS. The service's table comes back in the canonical model's columns (times as
        ISO 8601 text with the local offset); another table comes back as stored, for column detection.

    Raises
    ------
    InputError
        If the database cannot be reached, the table does not exist or has no geometry column.
    """
    conninfo, table = split_table(url)
    shown = _redact(url)
    if table is not None and not _IDENT.match(table):
        raise InputError(f"table name '{table}' is not a plain (schema.)name", path=shown)
    try:
        con = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
    except psycopg.Error as err:
        raise InputError(f"cannot connect to PostgreSQL: {err}".strip(), path=shown) from err
    with con:
        if table is None:
            has_meta = con.execute("SELECT to_regclass('lagesbild_meta') IS NOT NULL").fetchone()
            if not has_meta or not has_meta[0]:
                raise InputError(
                    "holds no lagesbild 'reports' table; name another with ?table=schema.name", path=shown
                )
            return _read_service_table(con, shown)
        return _read_any_table(con, table, shown)


def _read_service_table(
    con: psycopg.Connection[Any], shown: str
) -> tuple[pd.DataFrame, np.ndarray, gpd.GeoSeries]:
    srid_row = con.execute("SELECT value FROM lagesbild_meta WHERE key = 'crs_epsg'").fetchone()
    srid = int(srid_row[0]) if srid_row else 3006
    moderated = con.execute(  # schema 5: the moderation status (geo.io.moderated leaves some out)
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'reports' "
        "AND column_name IN ('status', 'duplicate_of') AND table_schema = current_schema()"
    ).fetchone()
    status_sql = ", status, duplicate_of" if moderated and moderated[0] == 2 else ", NULL, NULL"
    with con.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")
        cur.execute(
            "SELECT fid, report_id, occurred_at, occurred_to, category, source, description, weight, "
            f"location_precision, lat, lon, created_at, tz, ST_AsBinary(geom){status_sql} FROM reports "
            "ORDER BY fid"
        )
        rows = cur.fetchall()
    from zoneinfo import ZoneInfo

    def local(t: object, tz: str) -> str | None:
        return t.astimezone(ZoneInfo(tz)).isoformat() if t is not None else None  # type: ignore[attr-defined]

    raw = pd.DataFrame(
        {
            "report_id": [r[1] for r in rows],
            "occurred_at": [local(r[2], r[12]) for r in rows],
            "occurred_to": [local(r[3], r[12]) for r in rows],
            "category": [r[4] for r in rows],
            "source": [r[5] for r in rows],
            "description": [r[6] for r in rows],
            "weight": np.array([r[7] for r in rows], dtype="float64"),
            "location_precision": [r[8] for r in rows],
            "source_file": shown,
            "source_row": pd.array([r[0] for r in rows], dtype="Int64"),
            "lat": np.array([r[9] for r in rows], dtype="float64"),
            "lon": np.array([r[10] for r in rows], dtype="float64"),
            "created_at": [r[11].isoformat() for r in rows],
            "status": pd.array([r[14] for r in rows], dtype="string"),
            "duplicate_of": pd.array([r[15] for r in rows], dtype="string"),
        }
    )
    for c in (
        "report_id",
        "occurred_at",
        "occurred_to",
        "category",
        "source",
        "description",
        "location_precision",
        "source_file",
        "created_at",
    ):
        raw[c] = raw[c].astype("string")
    geoms = shapely.from_wkb([bytes(r[13]) for r in rows]) if rows else np.array([], dtype=object)
    geometry = gpd.GeoSeries(geoms, crs=f"EPSG:{srid}")
    return raw, np.array([r[0] for r in rows], dtype="int64"), geometry


def _read_any_table(
    con: psycopg.Connection[Any], table: str, shown: str
) -> tuple[pd.DataFrame, np.ndarray, gpd.GeoSeries]:
    schema, _, name = table.rpartition(".")
    schema = schema or "public"
    found = con.execute(
        "SELECT f_geometry_column, srid FROM geometry_columns "
        "WHERE f_table_schema = %s AND f_table_name = %s",
        (schema, name),
    ).fetchone()
    if found is None:
        exists = con.execute("SELECT to_regclass(%s) IS NOT NULL", (f"{schema}.{name}",)).fetchone()
        what = "has no geometry column" if exists and exists[0] else "does not exist"
        raise InputError(f"table '{schema}.{name}' {what}", path=shown)
    gcol, srid = str(found[0]), int(found[1])
    cols = [
        str(r[0])
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
            "ORDER BY ordinal_position",
            (schema, name),
        ).fetchall()
        if str(r[0]) != gcol
    ]
    query = sql.SQL("SELECT {cols}, ST_AsBinary({g}) FROM {t}").format(
        cols=sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c)) for c in cols)
        if cols
        else sql.SQL("1"),
        g=sql.Identifier(gcol),
        t=sql.Identifier(schema, name),
    )
    rows = con.execute(query).fetchall()
    raw = pd.DataFrame([r[:-1] for r in rows], columns=cols if cols else ["_"]).fillna("")
    if not cols:
        raw = raw.drop(columns="_")
    geoms = shapely.from_wkb([bytes(r[-1]) if r[-1] is not None else None for r in rows])
    geometry = gpd.GeoSeries(geoms, crs=f"EPSG:{srid}" if srid > 0 else None)
    return raw, np.arange(1, len(raw) + 1, dtype="int64"), geometry
