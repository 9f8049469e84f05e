"""From a raw table of strings to the canonical report model, accounting for every row.

A reader gives :func:`to_reports` a raw frame (all values as read, column names as the input calls them),
the row numbers the user sees, and optionally geometries already parsed from a vector file. The steps live
by concern: :mod:`geo.io.columns` detects the columns, :mod:`geo.io.coords` reads positions,
:mod:`geo.io.times` the times, :mod:`geo.io.values` the other fields; each rejects the rows it cannot use
into one :class:`~geo.io.rejects.RawTable`. This module runs them in order, flags possible duplicates and
builds the frame. Nothing here touches files.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
from shapely.geometry.base import BaseGeometry

from geo.io.columns import detect_columns, fold
from geo.io.coords import Positions, check_area, choose_crs_and_zone, read_positions
from geo.io.options import ReaderOptions
from geo.io.rejects import RawTable
from geo.io.times import read_times
from geo.io.values import (
    SeenIds,
    read_category,
    read_ids,
    read_precision,
    read_source,
    read_text,
    read_weight,
)
from geo.model import Reports
from geo.rejects import RejectLog
from geo.time.profile import add_time_parts

__all__ = ["Mapped", "to_reports"]

_STRING_COLUMNS = ("report_id", "category", "source", "description", "location_precision", "source_file")


@dataclass
class Mapped:
    """Result of mapping one raw table.

    Attributes
    ----------
    reports
        Accepted rows in the canonical model (metric CRS).
    rejects
        Rejection table (``file,row,field,reason,status,value``).
    columns
        The detected column for each canonical field.
    crs
        The metric CRS used, and ``crs_reason`` why.
    tz
        The local time zone used, and ``tz_reason`` why.
    rows_read
        Rows in the raw table.
    """

    reports: Reports
    rejects: pd.DataFrame
    columns: dict[str, str | None]
    crs: pyproj.CRS
    crs_reason: str
    tz: str
    tz_reason: str
    rows_read: int


def _flag_duplicates(
    t: RawTable, pos: Positions, occurred_at: pd.Series, category: pd.Series, *, field: str, drop: bool
) -> None:
    """List (or, with `drop`, reject) rows with the same place, time and category as an earlier row."""
    key = pd.DataFrame(
        {"lat": np.round(pos.lat, 7), "lon": np.round(pos.lon, 7), "t": occurred_at, "c": category}
    )
    sub = key[t.keep]
    dupmask = sub.duplicated(keep="first").to_numpy()
    if not dupmask.any():
        return
    firsts = pd.Series(t.rows[t.keep], index=sub.index)
    grp = sub.groupby(["lat", "lon", "t", "c"], sort=False, dropna=False).ngroup()
    first_of = firsts.groupby(grp.to_numpy()).transform("first")
    reasons = [
        f"possible duplicate of row {r} (same place, time and category)" for r in first_of.to_numpy()[dupmask]
    ]
    t.log.add(t.rows[t.keep][dupmask], field=field, reason=reasons, status="rejected" if drop else "warning")
    if drop:
        t.keep[np.flatnonzero(t.keep)[dupmask]] = False


def _build(t: RawTable, columns: dict[str, pd.Series], pos: Positions, crs: pyproj.CRS, tz: str) -> Reports:
    """Build the frame of the accepted rows: canonical columns, the input's other columns, time parts."""
    k = t.keep
    sel = np.flatnonzero(k)

    def pick(series: pd.Series) -> pd.Series:
        return series.reset_index(drop=True).iloc[sel].reset_index(drop=True)

    to_metric = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    mx, my = to_metric.transform(pos.lon[k], pos.lat[k])
    frame = pd.DataFrame(
        {
            "report_id": pick(columns["report_id"]),
            "category": pick(columns["category"]),
            "source": pick(columns["source"]),
            "description": pick(columns["description"]),
            "weight": columns["weight"][k].to_numpy(dtype="float64"),
            "location_precision": pick(columns["location_precision"]),
            "source_file": t.file,
            "source_row": t.rows[k],
        }
    )
    for name in ("occurred_at", "occurred_to"):
        frame[name] = columns[name][k].reset_index(drop=True).dt.tz_convert(tz).dt.as_unit("ns")
    for name in _STRING_COLUMNS:
        frame[name] = frame[name].astype("string")
    frame["source_row"] = frame["source_row"].astype("Int64")
    used = {v for v in t.cols.values() if v}
    # the other input columns are kept: built apart and joined once (linear in the number of columns)
    names = list(dict.fromkeys(c for c in t.raw.columns if c not in used and c not in frame.columns))
    names = [c for c in names if fold(c) not in {"geometry", "wkt"}]
    parts = [frame]
    if names:
        parts.append(t.raw[names].reset_index(drop=True).iloc[sel].reset_index(drop=True))
    preset = {
        name: pick(series)
        for name, series in t.preset.items()
        if name not in frame.columns and name not in names and name != "occurred_at"
    }
    if preset:
        parts.append(pd.DataFrame(preset))
    if len(parts) > 1:
        frame = pd.concat(parts, axis=1)
    frame = add_time_parts(frame, lat=pos.lat[k], lon=pos.lon[k])
    pts = gpd.GeoSeries(gpd.points_from_xy(mx, my), crs=crs)
    # validated once, by the caller (geo.io.read_reports), after sources are merged
    return Reports(gpd.GeoDataFrame(frame, geometry=pts.to_numpy(), crs=crs))


def to_reports(
    raw: pd.DataFrame,
    *,
    file: str,
    rows: np.ndarray,
    options: ReaderOptions,
    geometry: gpd.GeoSeries | None = None,
    area: BaseGeometry | None = None,
    area_name: str | None = None,
    crs: pyproj.CRS | str | None = None,
    tz: str | None = None,
    now: pd.Timestamp,
    default_source: str,
    preset: dict[str, pd.Series] | None = None,
    seen_ids: SeenIds | None = None,
) -> Mapped:
    """Map a raw table to the report model, rejecting bad rows with reasons.

    Parameters
    ----------
    raw
        Raw values, columns named as in the input.
    file
        The input's name, for the rejection table and ``source_file``.
    rows
        Row number the user sees, for each raw row.
    options
        Reader options (column names, zone, ...).
    geometry
        Geometries of a vector file (any CRS); when given, coordinate columns are not needed.
    area
        Study area in WGS84; positions outside are rejected (swapped lat/lon inside it are repaired).
    area_name
        Name of the study area, for messages.
    crs
        Metric CRS to use; chosen from the data when ``None``.
    tz
        Zone of naive local times; ``options.tz`` or the zone at the data's location when ``None``.
    now
        The present moment (timezone-aware); later times are rejected as future.
    default_source
        ``source`` when neither options nor the file give one.
    preset
        Canonical columns the reader already parsed (e.g. ``occurred_at`` from the Police feed), which
        take precedence over detection.
    seen_ids
        The ids of the same file's earlier chunks, when it is read in chunks (:mod:`geo.io.export_chunks`):
        an id used there is rejected as repeated; this chunk's new ids are added.

    Returns
    -------
    mapped
        Accepted reports, rejection table and what was detected.
    """
    raw = raw.reset_index(drop=True)
    t = RawTable(
        raw=raw,
        rows=np.asarray(rows, dtype="int64"),
        cols=detect_columns(list(raw.columns), options),
        log=RejectLog(file),
        keep=np.ones(len(raw), dtype=bool),
        preset={k: v.reset_index(drop=True) for k, v in (preset or {}).items()},
    )
    pos = read_positions(t, options, geometry=geometry, area=area)
    crs_obj, crs_reason, zone, tz_reason = choose_crs_and_zone(t, pos, crs=crs, tz=tz, options=options)
    occurred_at, occurred_to, time_field = read_times(t, tz=zone, now=now)
    category, _ = read_category(t)
    report_id, has_ids = read_ids(t, seen_ids)
    columns = {
        "report_id": report_id,
        "category": category,
        "description": read_text(t, "description"),
        "weight": read_weight(t),
        "location_precision": read_precision(t, options),
        "source": read_source(t, options, default=default_source),
        "occurred_at": occurred_at,
        "occurred_to": occurred_to,
    }
    if pos.precision is not None:  # geocoded: address or street, row by row
        columns["location_precision"] = pd.Series(pos.precision, dtype="string").fillna(options.precision)
    check_area(t, pos, columns["location_precision"], area=area, area_name=area_name)
    if not has_ids:
        _flag_duplicates(t, pos, occurred_at, category, field=time_field, drop=options.drop_duplicates)
    reports = _build(t, columns, pos, crs_obj, zone)
    return Mapped(reports, t.log.frame(), t.cols, crs_obj, crs_reason, zone, tz_reason, len(raw))
