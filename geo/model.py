"""The canonical report model: the one frame every stage of lagesbild reads and writes.

A *reports* frame is a :class:`geopandas.GeoDataFrame` with Point geometries in the study's metric CRS
(SWEREF 99 TM, EPSG:3006, for Sweden; a UTM zone elsewhere) and these columns:

==================== =============================== =========================================================
column               dtype                           meaning
==================== =============================== =========================================================
report_id            string, unique                  the source's id, or ``<file>:<row>`` when it has none
occurred_at          datetime64[ns, <local zone>]    when it happened (start of the window when only a window
                                                     is known), timezone-aware in the data's local zone
occurred_to          datetime64[ns, <local zone>]    end of the window for incidents known only within one
                                                     (a burglary found in the morning); NaT when exact
category             string                          offence or report kind (``misshandel``, ``mörkt``, ...)
source               string                          ``police``, ``resident``, ``safety_walk``,
                                                     ``polisen_feed``, ``service``, ... (free text allowed)
description          string, nullable                free text; internal only, never published
weight               float64                         how much the report counts (1.0 unless given)
location_precision   string                          one of :data:`PRECISIONS`
source_file          string                          the file (or URL) the row came from
source_row           Int64                           its row: spreadsheet row for CSV (header = 1),
                                                     1-based feature number otherwise
hour                 int8                            local hour 0-23 of ``occurred_at``
weekday              int8                            local weekday, Monday = 0
iso_year, iso_week   int16, int8                     ISO 8601 year and week
month                int8                            local month 1-12
is_dark              bool                            sun below -6° (civil twilight) at the place and moment
==================== =============================== =========================================================

Further columns (``premises_type``, the Police feed's ``event_type``/``event_name``/``summary``/``url``, ...)
are kept as they come. Reports with ``location_precision`` ``municipality`` or ``county`` are counted in
trends but never in point hot-spot analysis: use :func:`point_reports`.

The frame is checked in one place, :func:`validate_reports`; readers build it, later stages trust it.
"""

from __future__ import annotations

from typing import NewType

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import CRSError, SchemaError

__all__ = [
    "DERIVED_COLUMNS",
    "POINT_PRECISIONS",
    "PRECISIONS",
    "REPORT_COLUMNS",
    "Reports",
    "empty_reports",
    "point_reports",
    "require_metric_crs",
    "validate_reports",
]

Reports = NewType("Reports", gpd.GeoDataFrame)  # type: ignore[valid-newtype]  # geopandas ships no stubs

PRECISIONS: tuple[str, ...] = ("exact", "address", "intersection", "street", "municipality", "county")
"""Allowed values of ``location_precision``, finest first."""

POINT_PRECISIONS: tuple[str, ...] = ("exact", "address", "intersection")
"""Precisions good enough for point hot-spot analysis."""

REPORT_COLUMNS: dict[str, str] = {
    "report_id": "string",
    "occurred_at": "datetime",
    "occurred_to": "datetime",
    "category": "string",
    "source": "string",
    "description": "string",
    "weight": "float64",
    "location_precision": "string",
    "source_file": "string",
    "source_row": "Int64",
}
"""Core columns and their kinds; ``datetime`` means timezone-aware ``datetime64[ns, zone]``."""

DERIVED_COLUMNS: dict[str, str] = {
    "hour": "int8",
    "weekday": "int8",
    "iso_year": "int16",
    "iso_week": "int8",
    "month": "int8",
    "is_dark": "bool",
}
"""Columns derived from ``occurred_at`` and the position by :func:`geo.time.profile.add_time_parts`."""


def require_metric_crs(frame: gpd.GeoDataFrame, *, what: str = "frame") -> None:
    """Raise :class:`~geo.errors.CRSError` unless `frame` is in a projected CRS with metre units.

    Parameters
    ----------
    frame
        Any GeoDataFrame.
    what
        Name used in the message, e.g. the file name.
    """
    crs = frame.crs
    if crs is None:
        raise CRSError(f"{what} has no CRS; give one (e.g. --crs EPSG:3006)")
    if not crs.is_projected:
        raise CRSError(
            f"{what} is in {crs.to_string()} (degrees); reproject to a metric CRS such as EPSG:3006"
        )
    units = {axis.unit_name for axis in crs.axis_info}
    if not units <= {"metre", "meter"}:
        raise CRSError(
            f"{what} is in {crs.to_string()} with units {sorted(units)}; a CRS in metres is needed"
        )


def empty_reports(crs: object, tz: str) -> Reports:
    """Return an empty reports frame with every column and dtype in place.

    Parameters
    ----------
    crs
        The metric CRS of the study.
    tz
        IANA time zone of the local times, e.g. ``"Europe/Stockholm"``.
    """
    data: dict[str, pd.Series] = {}
    for name, kind in {**REPORT_COLUMNS, **DERIVED_COLUMNS}.items():
        dtype = f"datetime64[ns, {tz}]" if kind == "datetime" else kind
        data[name] = pd.Series([], dtype=dtype)
    return Reports(gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=crs), crs=crs))


def validate_reports(frame: gpd.GeoDataFrame, *, what: str = "reports") -> Reports:
    """Check that `frame` follows the report model and return it typed as :data:`Reports`.

    Every problem is collected and reported at once.

    Parameters
    ----------
    frame
        A frame built by a reader or by hand.
    what
        Name used in messages (a file name, say).

    Returns
    -------
    reports
        The same frame (not copied), typed as ``Reports``.

    Raises
    ------
    SchemaError
        Listing every missing column, wrong dtype, duplicated id, naive time, unknown precision or
        non-point geometry.
    CRSError
        If the CRS is not metric.
    """
    if not isinstance(frame, gpd.GeoDataFrame):
        raise SchemaError(f"{what}: expected a GeoDataFrame, got {type(frame).__name__}")
    require_metric_crs(frame, what=what)
    problems: list[str] = []
    missing = [c for c in (*REPORT_COLUMNS, *DERIVED_COLUMNS) if c not in frame.columns]
    if missing:
        problems.append(f"missing columns {missing}")
    for name in ("occurred_at", "occurred_to"):
        if name in frame.columns:
            dtype = frame[name].dtype
            if not isinstance(dtype, pd.DatetimeTZDtype):
                problems.append(f"'{name}' must be a timezone-aware datetime, got {dtype}")
    if "occurred_at" in frame.columns and frame["occurred_at"].isna().any():
        problems.append(f"'occurred_at' has {int(frame['occurred_at'].isna().sum())} missing values")
    if {"occurred_at", "occurred_to"} <= set(frame.columns):
        to = frame["occurred_to"]
        if isinstance(to.dtype, pd.DatetimeTZDtype) and isinstance(
            frame["occurred_at"].dtype, pd.DatetimeTZDtype
        ):
            bad = to.notna() & (to < frame["occurred_at"])
            if bad.any():
                problems.append(f"'occurred_to' is before 'occurred_at' in {int(bad.sum())} rows")
    if "report_id" in frame.columns:
        ids = frame["report_id"]
        if ids.isna().any():
            problems.append("'report_id' has missing values")
        dup = ids.iloc[:0] if ids.is_unique else ids[ids.duplicated()]
        if len(dup):
            problems.append(f"'report_id' repeats: {list(dup.astype(str).unique()[:5])}")
    if "location_precision" in frame.columns:
        unknown = set(frame["location_precision"].dropna().unique()) - set(PRECISIONS)
        if unknown:
            problems.append(f"unknown location_precision {sorted(unknown)}; allowed: {list(PRECISIONS)}")
    if "category" in frame.columns:
        empty = frame["category"].isna() | (frame["category"].astype("string").str.strip() == "")
        if empty.any():
            problems.append(f"'category' is empty in {int(empty.sum())} rows")
    if len(frame):
        geom = frame.geometry
        types = set(geom.geom_type.dropna().unique())
        if types - {"Point"}:
            problems.append(f"geometries must be Points, got {sorted(types)}")
        if geom.isna().any() or geom.is_empty.any():
            problems.append("some geometries are missing or empty")
    if "weight" in frame.columns:
        w = pd.to_numeric(frame["weight"], errors="coerce")
        if (w.isna() | ~np.isfinite(w.fillna(0)) | (w < 0)).any():
            problems.append("'weight' must be a finite number >= 0")
    if problems:
        raise SchemaError(f"{what}: " + "; ".join(problems))
    return Reports(frame)


def point_reports(reports: Reports) -> Reports:
    """Return only the reports whose position is good enough for point hot-spot analysis.

    Reports placed at a municipality centre or a county point (the Police events feed) say nothing about
    *where* in the town something happened; they stay in trends but leave point analysis here.

    Parameters
    ----------
    reports
        Validated reports.
    """
    keep = reports["location_precision"].isin(POINT_PRECISIONS).to_numpy()
    return Reports(reports.loc[keep])
