"""Frames already in the report model (written by ``geo ingest``, or a PostGIS table of them), read back."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyproj

from geo.crs import choose_tz
from geo.model import DERIVED_COLUMNS, REPORT_COLUMNS, Reports, validate_reports
from geo.time.profile import add_time_parts

__all__ = ["from_canonical", "is_canonical"]


def is_canonical(frame: pd.DataFrame) -> bool:
    """Tell whether a frame already has the report model's core columns."""
    return {"report_id", "occurred_at", "category", "source", "location_precision"} <= set(frame.columns)


def _zone_of_times(out: gpd.GeoDataFrame) -> str:
    """Parse text times (GeoPackage stores ISO text) in place; return their zone, else the data's zone."""
    tzs: list[str] = []
    for c in ("occurred_at", "occurred_to"):
        if c in out.columns and not isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = pd.to_datetime(out[c], utc=True, errors="coerce", format="ISO8601")
        elif c in out.columns:
            tzs.append(str(out[c].dt.tz))
    if tzs:
        return tzs[0]
    if not len(out):
        return "UTC"
    wgs = out.to_crs("EPSG:4326").geometry
    return choose_tz(float(wgs.x.median()), float(wgs.y.median()))


def from_canonical(frame: gpd.GeoDataFrame, *, file: str, crs: pyproj.CRS | str | None) -> Reports:
    """Re-validate a frame already in the report model.

    Parameters
    ----------
    frame
        The frame as read (times may be ISO text).
    file
        Its name, for messages.
    crs
        Metric CRS to reproject to; as read when ``None``.
    """
    out = frame.copy()
    tz = _zone_of_times(out)
    for c in ("occurred_at", "occurred_to"):
        if c in out.columns:
            out[c] = out[c].dt.tz_convert(tz).astype(f"datetime64[ns, {tz}]")
    if "occurred_to" not in out.columns:
        out["occurred_to"] = pd.Series(pd.NaT, index=out.index, dtype=f"datetime64[ns, {tz}]")
    for c, kind in REPORT_COLUMNS.items():
        if c not in out.columns:
            out[c] = pd.NA if kind != "float64" else 1.0
        if kind == "string":
            out[c] = out[c].astype("string")
    out["source_row"] = pd.to_numeric(out["source_row"], errors="coerce").astype("Int64")
    out["weight"] = pd.to_numeric(out["weight"], errors="coerce").fillna(1.0).astype("float64")
    if crs is not None:
        out = out.to_crs(crs)
    if any(c not in out.columns for c in DERIVED_COLUMNS):
        wgs = out.to_crs("EPSG:4326").geometry
        out = add_time_parts(out, lat=wgs.y.to_numpy(), lon=wgs.x.to_numpy())
    return validate_reports(gpd.GeoDataFrame(out, geometry=out.geometry.name, crs=out.crs), what=file)
