"""Near-repeat alerts: the zone and the days of raised risk after each recent incident, in words.

The risk zone comes from the Knox table: the significant bands (``p_value <= alpha`` and more pairs than
expected) connected, band to neighbouring band, to the first band pair (closest and soonest). Its radius is
the largest ``space_to_m`` and its length the largest ``time_to_days`` of those bands. When the first band
pair is not significant there is no near-repeat pattern and no alert is made.

An alert is made for each incident of the last ``alerts_days`` days whose raised risk has not yet ended at
the end of the data. A zone is drawn round the centre of the 50 m grid cell holding the incident, never
round the incident's own position (which may be a home).
"""

from __future__ import annotations

import math
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.grid import cell_index

__all__ = ["ALERT_COLUMNS", "ZONE_CELL_M", "RiskZone", "alert_zones", "near_repeat_alerts", "risk_zone"]

ALERT_COLUMNS: tuple[str, ...] = (
    "alert_id",
    "report_id",
    "category",
    "place",
    "occurred_on",
    "risk_until",
    "radius_m",
    "days",
    "text_sv",
    "text_en",
)
"""Columns of the alerts table (``alerts.csv``), in this order."""

ZONE_CELL_M = 50.0
"""Zones are centred on the centre of the grid cell of this side holding the incident."""

_PLACE_COLUMNS = ("place", "plats", "label", "street", "gata", "address", "adress")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class RiskZone:
    """The raised-risk zone of a near-repeat pattern.

    Attributes
    ----------
    radius_m
        Distance from an incident within which risk is raised, in metres.
    days
        Days after an incident during which risk is raised.
    bands
        The Knox table's rows (positions) the zone was made from.
    """

    def __init__(self, radius_m: float, days: float, bands: list[int]) -> None:
        self.radius_m = float(radius_m)
        self.days = float(days)
        self.bands = bands

    def __repr__(self) -> str:
        return f"RiskZone(radius_m={self.radius_m:g}, days={self.days:g})"


def risk_zone(knox: pd.DataFrame, *, alpha: float = 0.05) -> RiskZone | None:
    """Return the raised-risk zone of a Knox table, or ``None`` when the closest, soonest band is not raised.

    Parameters
    ----------
    knox
        From :func:`geo.nearrepeat.knox.knox_test` (space bands outer, time bands inner).
    alpha
        A band is raised when ``p_value <= alpha`` and ``ratio > 1``.
    """
    if not len(knox):
        return None
    s_vals = np.sort(knox["space_from_m"].unique())
    t_vals = np.sort(knox["time_from_days"].unique())
    s_idx = np.searchsorted(s_vals, knox["space_from_m"].to_numpy())
    t_idx = np.searchsorted(t_vals, knox["time_from_days"].to_numpy())
    raised = (knox["p_value"].to_numpy() <= alpha) & (knox["ratio"].fillna(0).to_numpy() > 1)
    where = {(int(s), int(t)): k for k, (s, t) in enumerate(zip(s_idx, t_idx, strict=True))}
    if not raised[where[(0, 0)]]:
        return None
    seen, todo = {(0, 0)}, [(0, 0)]
    while todo:  # bands connected to the first one, side by side
        s, t = todo.pop()
        for nb in ((s + 1, t), (s - 1, t), (s, t + 1), (s, t - 1)):
            if nb in where and nb not in seen and raised[where[nb]]:
                seen.add(nb)
                todo.append(nb)
    rows = sorted(where[c] for c in seen)
    part = knox.iloc[rows]
    return RiskZone(float(part["space_to_m"].max()), float(part["time_to_days"].max()), rows)


def _place(row: pd.Series, columns: list[str]) -> str | None:
    for col in columns:
        value = row.get(col)
        if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
            continue
        head = str(value).split(",")[0].strip()
        street = re.sub(r"\s+\d+\s*[A-Za-z]?(\s*-\s*\d+\s*[A-Za-z]?)?$", "", head).strip()
        if street:
            return street  # never a house number
    return None


def _street_names(
    xy: np.ndarray, streets: gpd.GeoDataFrame | None, *, within_m: float = 60.0
) -> list[str | None]:
    if streets is None or not len(streets) or "name" not in streets.columns or not len(xy):
        return [None] * len(xy)
    named = streets[streets["name"].notna() & (streets["name"].astype(str).str.strip() != "")]
    if not len(named):
        return [None] * len(xy)
    tree = shapely.STRtree(named.geometry.to_numpy())
    idx, dist = tree.query_nearest(
        shapely.points(xy), max_distance=within_m, return_distance=True, all_matches=False
    )
    out: list[str | None] = [None] * len(xy)
    names = named["name"].astype(str).to_numpy()
    for (p, s), _ in zip(idx.T, dist, strict=True):
        out[int(p)] = str(names[int(s)])
    return out


def _texts(
    category: str, place: str | None, day: pd.Timestamp, until: pd.Timestamp, radius_m: float
) -> tuple[str, str]:
    what = category.strip() or "brott"
    sv_where = f" på {place}" if place else " i området"
    en_where = f" at {place}" if place else " in the area"
    sv = (
        f"{what[:1].upper()}{what[1:]}{sv_where} den {day.day}/{day.month}; förhöjd risk för fler {what} "
        f"inom {radius_m:.0f} m till {until.day}/{until.month} — håll extra uppsikt, lås dörrar och fönster, "
        "ring 112 om något pågår, annars 114 14."
    )
    on, to = f"{day.day} {_MONTHS_EN[day.month - 1]}", f"{until.day} {_MONTHS_EN[until.month - 1]}"
    en = (
        f"{what[:1].upper()}{what[1:]}{en_where} on {on}; raised risk of repeat incidents within "
        f"{radius_m:.0f} m until {to} — keep an eye out, lock doors and windows, call 112 if something is "
        "happening now, otherwise 114 14."
    )
    return sv, en


def near_repeat_alerts(
    reports: gpd.GeoDataFrame,
    zone: RiskZone | None,
    *,
    alerts_days: int,
    end: pd.Timestamp | None = None,
    streets: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Make an alert for each recent incident whose raised near-repeat risk has not ended.

    Parameters
    ----------
    reports
        The point reports of the analysed category, in a metric CRS.
    zone
        From :func:`risk_zone`; ``None`` gives no alerts.
    alerts_days
        Incidents of this many days before `end` get an alert (>= 1).
    end
        End of the data (exclusive); default just after the last incident.
    streets
        Named street lines (reports' CRS): an incident without a place column is named by the nearest
        street within 60 m.

    Returns
    -------
    alerts
        Columns :data:`ALERT_COLUMNS` and the point ``geometry`` of the zone's centre (the centre of the
        incident's 50 m grid cell), newest first; ``occurred_on`` and ``risk_until`` are local dates
        (``risk_until`` is the incident's day plus the zone's days, as in "3/11 ... till 17/11").

    Raises
    ------
    ValueError
        If `alerts_days` < 1.
    """
    if alerts_days < 1:
        raise ValueError(f"alerts_days must be >= 1, got {alerts_days}")
    columns: dict[str, list[object]] = {c: [] for c in ALERT_COLUMNS}
    centres: list[object] = []
    if zone is not None and len(reports):
        times = reports["occurred_at"]
        stop = end if end is not None else times.max() + pd.Timedelta(seconds=1)
        last_day = (stop - pd.Timedelta(seconds=1)).normalize()
        recent = reports[(times >= stop - pd.Timedelta(days=alerts_days)) & (times < stop)]
        recent = recent.sort_values("occurred_at", ascending=False, kind="stable")
        lower = {str(c).casefold(): c for c in recent.columns}
        place_cols = [lower[k] for k in _PLACE_COLUMNS if k in lower]
        xy = (
            np.column_stack([recent.geometry.x.to_numpy(), recent.geometry.y.to_numpy()])
            if len(recent)
            else np.zeros((0, 2))
        )
        near = _street_names(xy, streets)
        i, j = cell_index(xy[:, 0], xy[:, 1], cell_m=ZONE_CELL_M)
        n = 0
        for k, (_, row) in enumerate(recent.iterrows()):
            day = row["occurred_at"].normalize()
            until = day + pd.Timedelta(days=math.ceil(zone.days))
            if until < last_day:
                continue  # the raised risk has ended
            n += 1
            place = _place(row, place_cols) or near[k]
            sv, en = _texts(str(row["category"]), place, day, until, zone.radius_m)
            values = {
                "alert_id": f"NR-{n:04d}",
                "report_id": str(row["report_id"]),
                "category": str(row["category"]),
                "place": place or "",
                "occurred_on": day.date().isoformat(),
                "risk_until": until.date().isoformat(),
                "radius_m": zone.radius_m,
                "days": zone.days,
                "text_sv": sv,
                "text_en": en,
            }
            for c in ALERT_COLUMNS:
                columns[c].append(values[c])
            centres.append(shapely.Point((i[k] + 0.5) * ZONE_CELL_M, (j[k] + 0.5) * ZONE_CELL_M))
    frame = pd.DataFrame(columns)
    for c in ("radius_m", "days"):
        frame[c] = frame[c].astype("float64")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(centres, crs=reports.crs), crs=reports.crs)


def alert_zones(alerts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the alerts with their zone (a circle of ``radius_m`` round the centre) as geometry."""
    zones = alerts.copy()
    if len(zones):
        zones = zones.set_geometry(zones.geometry.buffer(zones["radius_m"].to_numpy(), quad_segs=16))
    return zones
