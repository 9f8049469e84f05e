"""The patrol layer: the week's planned visits by place, and each shift's route."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString

from geo.maps.aggregate import feature_collection
from geo.maps.elements import DataLayer
from geo.maps.registry import LeanMap
from geo.maps.style import as_points, pct, popup_html, require_columns, swatch_legend
from geo.maps.texts import text

__all__ = ["add_patrol", "shifts_of"]


def shifts_of(visits: pd.DataFrame) -> np.ndarray:
    """Give each visit of a patrol plan its shift number (new date, or an order that does not increase).

    Uses a ``shift`` column when the plan has one.
    """
    if "shift" in visits.columns:
        keys = visits["date"].astype(str) + "|" + visits["shift"].astype(str)
        return pd.factorize(keys)[0]
    out = np.zeros(len(visits), dtype=int)
    prev_date, prev_order, n = None, None, -1
    for i, (d, o) in enumerate(zip(visits["date"].astype(str), pd.to_numeric(visits["order"]), strict=True)):
        if d != prev_date or prev_order is None or o <= prev_order:
            n += 1
        out[i] = n
        prev_date, prev_order = d, o
    return out


def add_patrol(m: LeanMap, visits: pd.DataFrame, *, lang: str = "sv", show: bool = False) -> LeanMap:
    """Draw the patrol plan.

    One badge per place (number = visits there) listing day, time window and order, and each shift's route
    as a line in visit order.

    Parameters
    ----------
    m
        The map.
    visits
        ``patrol_plan.csv`` rows (:data:`geo.plan.patrol.PATROL_COLUMNS`) or a plan's ``visits`` frame.
    lang
        Language.
    show
        Visible on opening.
    """
    from geo.plan.patrol import PATROL_COLUMNS

    require_columns(visits, list(PATROL_COLUMNS[:9]), "patrol plan")
    pts = as_points(visits, "patrol plan").reset_index(drop=True)
    pts["_shift"] = shifts_of(pts)
    rows = _route_features(pts) + _place_features(pts, lang=lang)
    frame = gpd.GeoDataFrame(geometry=[g for g, _ in rows], crs="EPSG:4326")
    fc = feature_collection(frame, [p for _, p in rows])
    styles: list[dict[str, Any]] = [
        {"color": "#006d2c", "fillColor": "#006d2c"},
        {"color": "#31a354", "weight": 2, "opacity": 0.7, "dashArray": "5,4"},
    ]
    legend = swatch_legend(text("layer_patrol", lang), [("#006d2c", text("patrol_legend", lang))])
    DataLayer("patrol", text("layer_patrol", lang), fc, styles=styles, show=show, legend=legend).add_to(m)
    return m


def _place_features(pts: gpd.GeoDataFrame, *, lang: str) -> list[tuple[Any, dict[str, Any]]]:
    """Return one badge per place (number = its visits) whose popup lists day, time window and order."""
    out = []
    for pid, grp in pts.groupby("place_id", sort=False):
        first = grp.iloc[0]
        lines = [
            (
                f"{r['weekday']} {r['date']}",
                f"{r['start']}–{r['end']} · {text('order', lang)} {int(r['order'])}",
            )
            for _, r in grp.iterrows()
        ]
        share = (
            pd.to_numeric(grp["expected_share"], errors="coerce").sum() if "expected_share" in grp else np.nan
        )
        lines.append((text("expected_share", lang), pct(share, lang)))
        popup = popup_html(str(first["place"]), lines, subtitle=str(pid))
        out.append((first.geometry, {"_k": 0, "_n": len(grp), "_p": popup}))
    return out


def _route_features(pts: gpd.GeoDataFrame) -> list[tuple[Any, dict[str, Any]]]:
    """Return each shift's route (two visits or more) as a line through its visits in order."""
    out = []
    for _shift, grp in pts.groupby("_shift", sort=True):
        grp = grp.sort_values("order")
        if len(grp) >= 2:
            first = grp.iloc[0]
            tip = f"{first['weekday']} {first['date']} {first['start']}–{grp.iloc[-1]['end']}"
            out.append((LineString([(p.x, p.y) for p in grp.geometry]), {"_k": 1, "_t": tip}))
    return out
