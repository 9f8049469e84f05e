"""Priority areas (prioriterade områden): each named polygon's figures for one run, and its weekly series.

Pure functions on the report model: :func:`area_figures` counts the reports in each area (by category and
source, residents' reports, share in darkness) and compares the count with the previous period of equal
length; :func:`area_weeks` gives each area's count per ISO week of the period, which the run store keeps so
that ``geo history --area NAME`` can draw the series across runs.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo import i18n
from geo.i18n import N_

__all__ = ["AREA_COLUMNS", "area_figures", "area_lines", "area_weeks"]

AREA_COLUMNS = [
    "area",
    "n_reports",
    "n_previous",
    "change_pct",
    "n_residents",
    "dark_share",
    "by_category",
    "by_source",
    "caveat",
]
"""Columns of ``areas.csv``."""


_FEW = N_("få händelser: en skillnad på några stycken kan vara slump")


def _inside(reports: gpd.GeoDataFrame, polygon: BaseGeometry) -> gpd.GeoDataFrame:
    pts = reports[reports.geometry.notna() & ~reports.geometry.is_empty]
    return pts[pts.geometry.within(polygon)]


def _mix(values: pd.Series) -> str:
    counts = values.astype(str).value_counts()
    return "; ".join(f"{k} {v}" for k, v in counts.items())


def area_figures(
    reports: gpd.GeoDataFrame, areas: dict[str, BaseGeometry], *, start: pd.Timestamp, end: pd.Timestamp
) -> pd.DataFrame:
    """Return one row per priority area (:data:`AREA_COLUMNS`).

    Parameters
    ----------
    reports
        Every report read (not cut to the period), point geometries in the areas' CRS.
    areas
        Name -> polygon in the reports' CRS.
    start, end
        The period (end exclusive); the previous period has the same length and ends at `start`.
    """
    from geo.rhythm.changes import covers

    t = reports["occurred_at"]
    now = reports[(t >= start) & (t < end)]
    before = reports[(t >= start - (end - start)) & (t < start)]
    known = covers(reports, start - (end - start))  # else the previous count is unknown, not 0
    rows = []
    for name, polygon in areas.items():
        a, b = _inside(now, polygon), _inside(before, polygon)
        n, p = len(a), (len(b) if known else None)
        dark = float(a["is_dark"].astype(float).mean()) if n and "is_dark" in a.columns else np.nan
        rows.append(
            [
                name,
                n,
                p,
                round(100.0 * (n - p) / p, 1) if p else np.nan,  # p None: before the data
                int((a["source"].astype(str) == "resident").sum()),
                round(dark, 3) if not np.isnan(dark) else np.nan,
                _mix(a["category"]),
                _mix(a["source"]),
                N_("få händelser: en skillnad på några stycken kan vara slump")
                if max(n, p or 0) < 10
                else "",
            ]
        )
    return pd.DataFrame(rows, columns=AREA_COLUMNS).astype({"n_previous": "Int64"})


def area_weeks(
    reports: gpd.GeoDataFrame, polygon: BaseGeometry, *, start: pd.Timestamp, end: pd.Timestamp
) -> dict[str, int]:
    """Return the area's report count per ISO week (``2026-W41``) of the period, zero weeks included."""
    t = reports["occurred_at"]
    inside = _inside(reports[(t >= start) & (t < end)], polygon)
    days = pd.date_range(start.normalize(), end, freq="D", inclusive="left")
    out = dict.fromkeys(_week_keys(pd.Series(days)), 0)
    for key, n in _week_keys(inside["occurred_at"]).value_counts().items():
        out[str(key)] = out.get(str(key), 0) + int(n)
    return out


def _week_keys(times: pd.Series) -> pd.Series:
    """Return the ISO week (``2026-W41``) of each time."""
    iso = times.dt.isocalendar()
    return iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)


def area_lines(figures: pd.DataFrame, *, lang: str = "sv") -> list[str]:
    """Say each area's figures in a sentence (in `lang`) for the summary page."""
    lines = []
    for r in figures.itertuples():
        change = "" if pd.isna(r.change_pct) else f" ({r.change_pct:+.0f} %)".replace("-", "−")
        dark = (
            ""
            if pd.isna(r.dark_share)
            else i18n.gettext(", %(share)s i mörker", lang, share=i18n.pct(r.dark_share, lang, decimals=0))
        )
        caveat = f"; {i18n.gettext(r.caveat, lang)}" if r.caveat else ""
        known = not pd.isna(r.n_previous)
        before = i18n.number(r.n_previous, lang) if known else i18n.gettext("saknas i data", lang)
        lines.append(
            i18n.ngettext(
                "%(area)s: %(num)s rapport (perioden före: %(before)s%(change)s), varav %(residents)s från "
                "invånare%(dark)s%(caveat)s.",
                "%(area)s: %(num)s rapporter (perioden före: %(before)s%(change)s), varav %(residents)s från "
                "invånare%(dark)s%(caveat)s.",
                r.n_reports,
                lang,
                area=r.area,
                before=before,
                change=change if known else "",
                residents=i18n.number(r.n_residents, lang),
                dark=dark,
                caveat=caveat,
            )
        )
    return lines
