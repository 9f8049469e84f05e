"""Speed layers: road segments by share over the limit, and the speed-enforcement plan."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.i18n import N_, gettext
from geo.maps.aggregate import feature_collection
from geo.maps.elements import DataLayer
from geo.maps.registry import LeanMap
from geo.maps.style import (
    add_ranked,
    as_points,
    fmt_num,
    pct,
    popup_html,
    require_columns,
    require_geo,
    swatch_legend,
)

__all__ = ["SPEED_BREAKS", "SPEED_COLORS", "add_enforcement", "add_speed_segments"]

LABELS = {
    "limit_kmh": N_("gräns (km/h)"),
    "passes": N_("passager"),
    "share_over_limit": N_("andel över gränsen"),
    "share_over_limit_10": N_("andel över gränsen + 10"),
}
"""Popup row labels by column (Swedish message ids)."""


SPEED_COLORS = ("#1a9850", "#a6d96a", "#fee08b", "#f46d43", "#a50026")
SPEED_BREAKS = (0.0, 0.1, 0.25, 0.5, 0.75)


def add_speed_segments(
    m: LeanMap, segments: gpd.GeoDataFrame, *, lang: str = "sv", show: bool = False
) -> LeanMap:
    """Draw road segments coloured by the share of vehicles over the limit (grey when not measured).

    Parameters
    ----------
    m
        The map.
    segments
        Lines with a CRS; uses ``share_over_limit``, ``limit_kmh``, ``p85_kmh``, ``street``/``name``,
        ``segment_id`` when present.
    lang
        Language.
    show
        Visible on opening.
    """
    segments = require_geo(segments, "speed segments")
    share = (
        pd.to_numeric(segments["share_over_limit"], errors="coerce").to_numpy()
        if "share_over_limit" in segments.columns
        else np.full(len(segments), np.nan)
    )
    styles = [{"color": c, "weight": 4, "opacity": 0.9} for c in SPEED_COLORS] + [
        {"color": "#969696", "weight": 2, "opacity": 0.6}
    ]
    props = []
    for i, (_, row) in enumerate(segments.iterrows()):
        kcls = (
            len(SPEED_COLORS)
            if np.isnan(share[i])
            else int(np.searchsorted(SPEED_BREAKS, share[i], side="right") - 1)
        )
        rows = []
        for col in ("street", "name"):
            if col in row.index and pd.notna(row[col]):
                rows.append((gettext("gata", lang), str(row[col])))
                break
        if "limit_kmh" in row.index:
            rows.append((gettext("gräns (km/h)", lang), fmt_num(row["limit_kmh"], lang)))
        for col in ("share_over_limit", "share_over_limit_10"):
            if col in row.index:
                rows.append((gettext(LABELS[col], lang), pct(row[col], lang)))
        if "p85_kmh" in row.index:
            rows.append((gettext("85:e percentil (km/h)", lang), fmt_num(row["p85_kmh"], lang, decimals=1)))
        title = (
            str(row["segment_id"]) if "segment_id" in row.index else gettext("Hastighet per vägsträcka", lang)
        )
        props.append({"_k": max(kcls, 0), "_p": popup_html(title, rows)})
    fc = feature_collection(segments, props)
    items = [(SPEED_COLORS[i], f"{pct(b, lang, decimals=0)}+") for i, b in enumerate(SPEED_BREAKS)] + [
        ("#969696", "–")
    ]
    legend = swatch_legend(gettext("Andel fordon över hastighetsgränsen", lang), items, line=True)
    DataLayer(
        "speed", gettext("Hastighet per vägsträcka", lang), fc, styles=styles, show=show, legend=legend
    ).add_to(m)
    return m


def add_enforcement(m: LeanMap, plan: pd.DataFrame, *, lang: str = "sv", show: bool = False) -> LeanMap:
    """Draw the speed-enforcement plan.

    ``enforcement_plan.csv`` (``rank``, ``segment_id``, ``street``,
    ``lat``, ``lon``, ``limit_kmh``, ``weekdays``, ``start``, ``end``, ``passes``, ``share_over_limit``,
    ``share_over_limit_10``, ``p85_kmh``) as numbered sites.

    Parameters
    ----------
    m
        The map.
    plan
        The table or a GeoDataFrame of points.
    lang
        Language.
    show
        Visible on opening.
    """
    require_columns(plan, ["rank"], "enforcement plan")
    pts = as_points(plan, "enforcement plan")
    popups = []
    for _, row in pts.iterrows():
        rows = []
        if "street" in row.index and pd.notna(row["street"]):
            rows.append((gettext("gata", lang), str(row["street"])))
        if {"weekdays", "start", "end"} <= set(row.index):
            rows.append((gettext("tidsfönster", lang), f"{row['weekdays']} {row['start']}–{row['end']}"))
        for col in ("limit_kmh", "passes"):
            if col in row.index and pd.notna(row[col]):
                rows.append((gettext(LABELS[col], lang), fmt_num(row[col], lang)))
        for col in ("share_over_limit", "share_over_limit_10"):
            if col in row.index and pd.notna(row[col]):
                rows.append((gettext(LABELS[col], lang), pct(row[col], lang)))
        if "p85_kmh" in row.index and pd.notna(row["p85_kmh"]):
            rows.append((gettext("85:e percentil (km/h)", lang), fmt_num(row["p85_kmh"], lang, decimals=1)))
        popups.append(rows)
    style = {"color": "#08519c", "fillColor": "#08519c"}
    return add_ranked(
        m,
        "enforcement",
        pts,
        popups,
        style=style,
        name=gettext("Hastighetskontroller (plan)", lang),
        legend=gettext("Kontrollplats (nummer = rang)", lang),
        show=show,
    )
