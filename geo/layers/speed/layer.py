"""The traffic-speed layer: measurements and traffic reports on road segments, per segment and time window.

Traffic-related reports (residents' "hög hastighet", police traffic offences, Police feed accidents with a
point position) are attached to the nearest segment; a window with complaints but no measurement still
appears in the layer, so a check there can be considered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.layers.speed.matching import match_measurements
from geo.layers.speed.statistics import speed_by_window, summarise_segments, window_groups, window_keys
from geo.model import Reports, point_reports

__all__ = ["TRAFFIC_PATTERN", "SpeedLayer", "attach_reports", "build_speed_layer", "traffic_reports"]

TRAFFIC_PATTERN = (
    r"hastighet|fortkörn|fortkorn|trafik|rattfyll|olovlig körning|vårdslöshet i trafik|speed|traffic|"
    r"reckless driving|drunk driving"
)
"""Categories (case-insensitive regular expression) counted as traffic-related reports."""

_EXCLUDE_TRAFFIC = r"trafikkontroll|kontroll"
"""Police activity, not incidents: ``Trafikkontroll`` is the police checking, not a complaint."""

_WINDOW_KEY = ["segment_id", "weekdays", "start_hour"]


def traffic_reports(reports: Reports, *, pattern: str = TRAFFIC_PATTERN) -> Reports:
    """Select traffic-related reports with a usable (point) position.

    Residents' "hög hastighet", police traffic offences and Police feed accidents match by ``category``
    (and the feed's ``event_type``); police checks (``Trafikkontroll``) are activity, not incidents, and are
    left out. Feed events placed only at a municipality or county centre are dropped by
    :func:`geo.model.point_reports`: they cannot be put on a street.

    Parameters
    ----------
    reports
        Validated reports.
    pattern
        Case-insensitive regular expression on the category.
    """
    pts = point_reports(reports)
    text = pts["category"].astype("string").fillna("")
    if "event_type" in pts.columns:
        text = text + " " + pts["event_type"].astype("string").fillna("")
    hit = text.str.contains(pattern, case=False, regex=True) & ~text.str.contains(
        _EXCLUDE_TRAFFIC, case=False, regex=True
    )
    return Reports(pts.loc[hit.fillna(False).to_numpy(dtype=bool)])


def attach_reports(
    reports: Reports, segments: gpd.GeoDataFrame, *, tolerance_m: float = 50.0
) -> gpd.GeoDataFrame:
    """Attach (traffic) reports to the nearest road segment within `tolerance_m` metres.

    Parameters
    ----------
    reports
        Reports in any CRS (reprojected to the segments'); use :func:`traffic_reports` first.
    segments
        The segments.
    tolerance_m
        Largest distance in metres (inclusive); farther reports are not attached.

    Returns
    -------
    attached
        The reports near a segment: ``report_id``, ``category``, ``source``, ``occurred_at``, ``hour``,
        ``weekday``, ``segment_id``, ``distance_m``, Point geometry. Free text is not carried.
    """
    if not tolerance_m > 0:
        raise ValueError(f"tolerance_m must be > 0, got {tolerance_m}")
    keep = ["report_id", "category", "source", "occurred_at", "hour", "weekday", "source_file", "source_row"]
    if len(reports) == 0 or len(segments) == 0:
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype="object") for c in [*keep, "segment_id", "distance_m"]},
            geometry=gpd.GeoSeries([], crs=segments.crs),
            crs=segments.crs,
        )
    rep = reports.to_crs(segments.crs)
    idx, dist = segments.sindex.nearest(
        rep.geometry.to_numpy(), return_distance=True, return_all=False, max_distance=tolerance_m
    )
    ri, si = idx
    out = gpd.GeoDataFrame(
        rep.iloc[ri][keep].reset_index(drop=True), geometry=rep.geometry.to_numpy()[ri], crs=segments.crs
    )
    out["segment_id"] = pd.array(segments["segment_id"].astype("string").to_numpy()[si], dtype="string")
    out["distance_m"] = dist
    return out


@dataclass
class SpeedLayer:
    """The traffic-speed layer, ready for the enforcement plan and the map.

    Attributes
    ----------
    segments
        Segments with whole-period figures (:func:`geo.layers.speed.statistics.summarise_segments`), metric
        CRS.
    windows
        Per segment × window figures (:func:`geo.layers.speed.statistics.speed_by_window`) with
        ``complaints`` (traffic reports in that window) and ``street``.
    measurements
        Matched measurements.
    reports
        Traffic reports attached to segments (:func:`attach_reports`).
    rejects
        Measurement rows not matched to a segment, and matching warnings, ``file,row,field,reason,status,
        value`` (the readers' own rejects are not included).
    kind
        ``passes`` or ``hourly``.
    band_hours, day_groups
        The windows used.
    """

    segments: gpd.GeoDataFrame
    windows: pd.DataFrame
    measurements: pd.DataFrame
    reports: gpd.GeoDataFrame
    rejects: pd.DataFrame
    kind: str
    band_hours: int
    day_groups: str
    notes: list[str] = field(default_factory=list)


def build_speed_layer(
    segments: gpd.GeoDataFrame,
    measurements: gpd.GeoDataFrame,
    *,
    reports: Reports | None = None,
    tolerance_m: float = 30.0,
    report_tolerance_m: float = 50.0,
    band_hours: int = 2,
    day_groups: str = "weekday_weekend",
    default_cv: float = 0.12,
) -> SpeedLayer:
    """Match measurements and traffic reports to segments and summarise them per segment and window.

    Parameters
    ----------
    segments
        Road segments with limits (:func:`geo.io.segments.read_segments`), metric CRS.
    measurements
        Speed measurements (the ``frame`` of :func:`geo.io.measurements.read_measurements`) in the segments'
        CRS.
    reports
        Any reports; the traffic-related ones with a point position are attached (:func:`traffic_reports`).
    tolerance_m
        Largest distance in metres from a measurement to its segment.
    report_tolerance_m
        Largest distance in metres from a report to its segment.
    band_hours, day_groups, default_cv
        Windows and spread, as in :func:`geo.layers.speed.statistics.speed_by_window`.

    Returns
    -------
    layer
        The speed layer.
    """
    groups, band_hours = window_groups(band_hours, day_groups)
    matched, rejects = match_measurements(measurements, segments, tolerance_m=tolerance_m)
    windows = speed_by_window(
        matched, segments, band_hours=band_hours, day_groups=day_groups, default_cv=default_cv
    )
    if reports is not None:
        attached = attach_reports(traffic_reports(reports), segments, tolerance_m=report_tolerance_m)
    else:
        empty = Reports(gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=segments.crs)))
        attached = attach_reports(empty, segments)
    complaints = pd.Series(dtype="int64")
    if len(attached):
        wd, sh = window_keys(attached["occurred_at"], groups, band_hours)
        complaints = (
            pd.DataFrame({"segment_id": attached["segment_id"].to_numpy(), "weekdays": wd, "start_hour": sh})
            .groupby(_WINDOW_KEY)
            .size()
        )
    windows = _with_complaints(windows, complaints, segments, band_hours=band_hours)
    summary = summarise_segments(segments, matched, windows, attached, default_cv=default_cv)
    notes = [f"{len(matched):,} of {len(measurements):,} measurement rows matched to segments"]
    kind = "hourly" if (measurements["kind"] == "hour").any() else "passes"
    return SpeedLayer(summary, windows, matched, attached, rejects, kind, band_hours, day_groups, notes)


def _with_complaints(
    windows: pd.DataFrame, complaints: pd.Series, segments: gpd.GeoDataFrame, *, band_hours: int
) -> pd.DataFrame:
    """Add ``complaints`` and ``street``; windows with complaints but no measurement are added."""
    if len(complaints):
        extra = complaints.reset_index()[_WINDOW_KEY]
        extra = extra.merge(windows[_WINDOW_KEY], how="left", indicator=True)
        extra = extra[extra["_merge"] == "left_only"].drop(columns="_merge")
        if len(extra):
            lim = dict(zip(segments["segment_id"].astype("string"), segments["limit_kmh"], strict=True))
            extra["end_hour"] = extra["start_hour"] + band_hours
            extra["limit_kmh"] = extra["segment_id"].map(lim)
            extra["passes"] = 0
            extra["hours_observed"] = 0
            extra["estimated"] = False
            windows = pd.concat([windows, extra], ignore_index=True)
    key = pd.MultiIndex.from_frame(windows[_WINDOW_KEY]) if len(windows) else None
    windows["complaints"] = (
        complaints.reindex(key).fillna(0).astype("int64").to_numpy()
        if key is not None
        else pd.Series(dtype="int64")
    )
    names = dict(zip(segments["segment_id"].astype("string"), segments["street"], strict=True))
    windows["street"] = windows["segment_id"].map(names).astype("string")
    return windows
