"""The patrol layers: the week's planned visits by place, and one shift's route at a time."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.i18n import gettext, number
from geo.maps.aggregate import feature_collection
from geo.maps.elements import DataLayer
from geo.maps.layers.patrol_routes import add_patrol_routes
from geo.maps.registry import LeanMap
from geo.maps.style import as_points, pct, popup_html, require_columns, swatch_legend

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
    """Draw the patrol plan: the places, and one shift's route at a time.

    Layer ``patrol``: one badge per place, the number being how many visits the place has in the week (the
    legend says so), whose popup lists day, time window and order in its shift. Layer ``patrol_route``
    (:mod:`geo.maps.layers.patrol_routes`): one route at a time, chosen from a list of shifts, its stops
    numbered in visit order.

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
    rows = _place_features(pts, lang=lang)
    frame = gpd.GeoDataFrame(geometry=[g for g, _ in rows], crs="EPSG:4326")
    fc = feature_collection(frame, [p for _, p in rows])
    styles: list[dict[str, Any]] = [{"color": "#006d2c", "fillColor": "#006d2c"}]
    note = ""
    if "expected_incidents" in pts.columns:
        total = float(pd.to_numeric(pts["expected_incidents"], errors="coerce").sum())
        note = gettext(
            "Besöken täcker ungefär %(total)s av veckans förväntade händelser.",
            lang,
            total=number(total, lang, decimals=1),
        )
    legend = swatch_legend(
        gettext("Patrullplan (besök)", lang),
        [
            (
                "#006d2c",
                gettext(
                    "Siffran är antalet planerade besök på platsen under veckan (klicka för tiderna).", lang
                ),
            )
        ],
        note=note,
    )
    DataLayer(
        "patrol", gettext("Patrullplan (besök)", lang), fc, styles=styles, show=show, legend=legend
    ).add_to(m)
    return add_patrol_routes(m, pts, lang=lang, show=show)


def _place_features(pts: gpd.GeoDataFrame, *, lang: str) -> list[tuple[Any, dict[str, Any]]]:
    """Return one badge per place (number = its visits in the week) whose popup lists the visits."""
    out = []
    for pid, grp in pts.groupby("place_id", sort=False):
        first = grp.iloc[0]
        lines = [
            (
                f"{r['weekday']} {r['date']}",
                f"{r['start']}–{r['end']} · {gettext('ordning', lang)} {int(r['order'])}",
            )
            for _, r in grp.iterrows()
        ]
        if "expected_incidents" in grp.columns:
            n = pd.to_numeric(grp["expected_incidents"], errors="coerce").sum()
            lines.append((gettext("förväntade händelser", lang), number(n, lang, decimals=2)))
        share = (
            pd.to_numeric(grp["expected_share"], errors="coerce").sum() if "expected_share" in grp else np.nan
        )
        lines.append((gettext("förväntad andel", lang), pct(share, lang)))
        popup = popup_html(str(first["place"]), lines, subtitle=str(pid))
        out.append((first.geometry, {"_k": 0, "_n": len(grp), "_p": popup}))
    return out
