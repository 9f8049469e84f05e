"""Speed measurements: individual passes or per-hour aggregates, every row accounted for.

The layout is recognised by the columns: ``measured_at`` + ``speed_kmh`` are passes; ``hour_start`` +
``count`` + ``mean_kmh`` (+ ``p85_kmh``) are hourly aggregates. The position is ``lat``/``lon`` (WGS84), a
``segment_id``, or the geometry of a vector file; an optional ``direction`` (degrees or compass words) helps
the matching pick a carriageway. Rows not accepted are listed as ``file,row,field,reason,status,value``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from geo.crs import choose_tz
from geo.errors import InputError
from geo.io._columns import pick_column
from geo.io._measurement_fields import (
    Positions,
    direction_field,
    hour_fields,
    pass_fields,
    position_fields,
    time_field,
)
from geo.rejects import RejectLog

__all__ = ["Measurements", "read_measurements"]

_MEASURE_CANDIDATES: dict[str, tuple[str, ...]] = {
    "time": (
        "measured_at",
        "timestamp",
        "passage_time",
        "passed_at",
        "tidpunkt",
        "mättid",
        "matt_tid",
        "datetime",
        "time",
        "tid",
    ),
    "speed": ("speed_kmh", "speed", "hastighet", "hastighet_kmh", "kmh", "v_kmh"),
    "hour_start": ("hour_start", "timme_start", "hour", "timme", "period_start"),
    "count": ("count", "antal", "passes", "volume", "flöde", "flode", "n"),
    "mean": ("mean_kmh", "mean_speed", "medelhastighet", "avg_kmh", "mean", "medel"),
    "p85": ("p85_kmh", "v85_kmh", "p85", "v85", "v85_kmh"),
    "lat": ("lat", "latitude", "latitud"),
    "lon": ("lon", "lng", "longitude", "longitud"),
    "segment_id": ("segment_id", "segment", "road_id", "link_id", "way_id"),
    "direction": ("direction", "riktning", "heading", "bearing", "kurs"),
}


@dataclass
class Measurements:
    """Speed measurements read from a file, not yet matched to segments.

    Attributes
    ----------
    frame
        One row an accepted input row: ``file`` and ``row`` (as the user sees them), ``kind``
        (``pass``/``hour``), ``time`` (local, timezone-aware: the pass or the start of the hour), ``count``
        (1 for a pass), ``speed_kmh`` (the pass; NaN for aggregates), ``mean_kmh``, ``p85_kmh``,
        ``segment_id`` (when given), ``direction_deg`` (NaN unless given), and Point geometry in the
        segments' CRS (empty when only a ``segment_id`` was given).
    kind
        ``passes`` or ``hourly``.
    rejects
        ``file,row,field,reason,status,value``.
    tz
        The local zone of the times.
    file
        The file's name as given.
    """

    frame: gpd.GeoDataFrame
    kind: str
    rejects: pd.DataFrame
    tz: str
    file: str


def read_measurements(
    path: str | Path,
    *,
    crs: pyproj.CRS | str,
    tz: str | None = None,
    now: pd.Timestamp | None = None,
) -> Measurements:
    """Read speed measurements: individual passes or per-hour aggregates.

    CRS rule: ``lat``/``lon`` columns are WGS84; the geometry of a vector file is read in the file's CRS (a
    vector file without a CRS has its geometry ignored: positions then come from ``lat``/``lon`` or
    ``segment_id``). Positions are always returned in `crs`.
    Time-zone rule: times with an offset are converted to `tz`; naive times are local times in `tz`; a local
    time that does not exist (the spring change) is rejected.

    Parameters
    ----------
    path
        CSV (also ``.csv.gz``), GeoPackage, GeoJSON, Shapefile or GeoParquet.
    crs
        The segments' metric CRS (positions are projected into it).
    tz
        IANA zone of the times; when ``None``, the zone at the data's median position (or at the centre of
        `crs`'s area of use when only segment ids are given).
    now
        Times after this are rejected (default: no check).

    Returns
    -------
    measurements
        Accepted rows, the kind and the rejection table.

    Raises
    ------
    InputError
        If the file cannot be read, has neither layout, no position, or no row is usable.
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError("file not found", path=name)
    raw, rows, geometry = _read_table(path)
    cols = list(raw.columns)
    found = {k: pick_column(cols, v) for k, v in _MEASURE_CANDIDATES.items()}
    kind = _layout(found, cols, name)
    if not ((found["lat"] and found["lon"]) or found["segment_id"] or geometry is not None):
        raise InputError(
            f"no position: give 'lat'/'lon' (WGS84) or 'segment_id' columns; the file has {cols}",
            path=name,
        )
    log = RejectLog(name)
    pos, bad = position_fields(raw, found, geometry, rows, log)
    usable = pos.has_ll & ~pos.outside
    tz = tz or _zone_of(pos.lat[usable], pos.lon[usable], crs)
    time_col = str(found["time"] if kind == "passes" else found["hour_start"])
    times, bad = time_field(raw[time_col], tz=tz, rows=rows, bad=bad, log=log, now=now)
    if kind == "passes":
        values, bad = pass_fields(raw[str(found["speed"])], rows=rows, bad=bad, log=log)
    else:
        values, bad = hour_fields(raw, found, rows=rows, bad=bad, log=log)
    values["direction_deg"] = direction_field(raw, found["direction"], rows=rows, bad=bad, log=log)
    out = _frame(name, kind, rows, times, values, pos, keep=~bad, crs=crs)
    if out.empty:
        rej = log.frame()
        first = rej.iloc[0] if len(rej) else None
        detail = (
            f" (first problem: row {first['row']}, '{first['field']}': {first['reason']})"
            if first is not None
            else ""
        )
        raise InputError(f"no usable measurement among {len(raw)} rows{detail}", path=name)
    return Measurements(out, kind, log.frame(), tz, name)


def _read_table(path: Path) -> tuple[pd.DataFrame, np.ndarray, gpd.GeoSeries | None]:
    """Return the raw columns, the row numbers a user sees, and the geometry of a vector file with a CRS."""
    from geo.io.tabular import read_csv_raw

    low = path.name.lower()
    if low.endswith((".csv", ".csv.gz", ".txt", ".tsv", ".gz")):
        raw, rows, _, _ = read_csv_raw(path)
        return raw, rows, None
    try:
        frame = (
            gpd.read_parquet(path)
            if low.endswith((".parquet", ".geoparquet"))
            else gpd.read_file(path, engine="pyogrio")
        )
    except Exception as err:  # noqa: BLE001 - driver failure is the user's file problem
        raise InputError(f"cannot read measurements: {err}", path=str(path)) from err
    geometry = frame.geometry if frame.crs is not None else None
    raw = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return raw, np.arange(1, len(raw) + 1, dtype="int64"), geometry


def _layout(found: dict[str, str | None], cols: list[str], name: str) -> str:
    """Return ``passes`` or ``hourly`` by the columns found (a ``time`` column may be the ``hour_start``)."""
    if found["speed"] and found["time"] and not (found["count"] and found["mean"]):
        return "passes"
    if found["hour_start"] and found["count"] and found["mean"]:
        return "hourly"
    if found["time"] and found["count"] and found["mean"]:
        found["hour_start"] = found["time"]
        return "hourly"
    raise InputError(
        "cannot tell the measurement layout: individual passes need 'measured_at' and 'speed_kmh'; "
        f"per-hour aggregates need 'hour_start', 'count' and 'mean_kmh'; the file has {cols}",
        path=name,
    )


def _zone_of(lat: np.ndarray, lon: np.ndarray, crs: pyproj.CRS | str) -> str:
    if lat.size:
        return choose_tz(float(np.median(lon)), float(np.median(lat)))
    # positions only by segment id: use the CRS's area of use
    aou = pyproj.CRS(crs).area_of_use
    if aou is None:
        return "UTC"
    return choose_tz((aou.west + aou.east) / 2, (aou.south + aou.north) / 2)


def _frame(
    name: str,
    kind: str,
    rows: np.ndarray,
    times: pd.Series,
    values: dict[str, np.ndarray],
    pos: Positions,
    *,
    keep: np.ndarray,
    crs: pyproj.CRS | str,
) -> gpd.GeoDataFrame:
    """Return the accepted rows as a frame, positions projected into `crs`."""
    lon = np.where(pos.has_ll, pos.lon, np.nan)[keep]
    lat = np.where(pos.has_ll, pos.lat, np.nan)[keep]
    pts = gpd.GeoSeries.from_xy(lon, lat, crs="EPSG:4326").where(pos.has_ll[keep], None).to_crs(crs)
    segment_id = pos.segment_id.astype(object)
    segment_id[~pos.has_seg] = None
    return gpd.GeoDataFrame(
        {
            "file": name,
            "row": rows[keep],
            "kind": "pass" if kind == "passes" else "hour",
            "time": times[keep].reset_index(drop=True),
            "count": values["count"][keep],
            "speed_kmh": values["speed_kmh"][keep],
            "mean_kmh": values["mean_kmh"][keep],
            "p85_kmh": values["p85_kmh"][keep],
            "segment_id": pd.array(segment_id[keep], dtype="string"),
            "direction_deg": values["direction_deg"][keep],
        },
        geometry=pts.reset_index(drop=True),
        crs=crs,
    )
