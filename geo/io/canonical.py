"""Frames already in the report model (written by ``geo ingest``, or a PostGIS table of them), read back."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.crs import choose_tz
from geo.io.area import StudyArea
from geo.model import DERIVED_COLUMNS, REPORT_COLUMNS, Reports, validate_reports
from geo.rejects import REJECT_COLUMNS, RejectLog
from geo.time.profile import add_time_parts

__all__ = ["from_canonical", "is_canonical", "keep_in_area"]


def is_canonical(frame: pd.DataFrame) -> bool:
    """Tell whether a frame already has the report model's core columns."""
    return {"report_id", "occurred_at", "category", "source", "location_precision"} <= set(frame.columns)


def _zone_of_times(out: gpd.GeoDataFrame) -> str:
    """Parse text times (ISO text) in place; return their zone, else the data's zone.

    UTC, as a GeoPackage stores times, counts as no zone: the data's own zone is used then.
    """
    tzs: list[str] = []
    for c in ("occurred_at", "occurred_to"):
        if c in out.columns and not isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = pd.to_datetime(out[c], utc=True, errors="coerce", format="ISO8601")
        elif c in out.columns:
            tzs.append(str(out[c].dt.tz))
    if tzs and tzs[0] != "UTC":  # a GeoPackage stores UTC: then the zone is the data's
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


_COARSE = ("municipality", "county")


def keep_in_area(reports: Reports, area: StudyArea | None, *, file: str) -> tuple[Reports, pd.DataFrame]:
    """Keep the reports of an already ingested file that lie in the study area; reject the others.

    The same rule as for raw files (:func:`geo.io.coords.check_area`): a report placed only at a
    municipality or county point belongs to the area only when its ``place`` is the area.

    Parameters
    ----------
    reports
        Reports read back (``geo ingest`` output, a PostGIS table of reports).
    area
        The study area; ``None`` keeps every report.
    file
        The file's name, for the rejection table (rows are the file's rows, from 1).

    Returns
    -------
    reports, rejects
        The reports inside, and a rejection table row per report outside.
    """
    if area is None or not len(reports):
        return reports, pd.DataFrame(columns=REJECT_COLUMNS)
    wgs = reports.geometry.to_crs("EPSG:4326")
    inside = shapely.contains_xy(area.geometry, wgs.x.to_numpy(), wgs.y.to_numpy())
    coarse = reports["location_precision"].isin(_COARSE).fillna(False).to_numpy(dtype=bool)
    if coarse.any():
        place = reports["place"].astype("string") if "place" in reports.columns else None
        named = (
            (place.str.casefold() == area.name.casefold()).fillna(False).to_numpy(dtype=bool)
            if place is not None
            else np.zeros(len(reports), dtype=bool)
        )
        inside = np.where(coarse, named, inside)
    log = RejectLog(file)
    rows = np.flatnonzero(~inside) + 1
    values = [f"{y:.5f},{x:.5f}" for y, x in zip(wgs.y[~inside], wgs.x[~inside], strict=True)]
    log.add(rows, field="geometry", reason=f"position outside the study area ({area.name})", value=values)
    kept = reports[inside].reset_index(drop=True)
    return Reports(gpd.GeoDataFrame(kept, geometry=kept.geometry.name, crs=reports.crs)), log.frame()
