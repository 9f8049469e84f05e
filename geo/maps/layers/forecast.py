"""The forecast layer: the grid cells with the highest risk for the coming days (internal map)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.i18n import gettext
from geo.maps.aggregate import feature_collection
from geo.maps.elements import DataLayer
from geo.maps.registry import LeanMap
from geo.maps.style import fmt_num, popup_html, require_columns, require_geo, swatch_legend

__all__ = ["FORECAST_COLORS", "FORECAST_RANKS", "add_forecast"]

FORECAST_COLORS = ("#67000d", "#cb181d", "#fb6a4a", "#fcbba1")
"""Cell colour by rank class, best first."""

FORECAST_RANKS = (1, 6, 16, 31)
"""Lowest rank of each colour class (ranks 1–5, 6–15, 16–30, 31 and later)."""


def add_forecast(m: LeanMap, cells: gpd.GeoDataFrame, *, lang: str = "sv", show: bool = False) -> LeanMap:
    """Draw the forecast's highest-risk cells, coloured by rank, with rank, risk and method in the popup.

    Parameters
    ----------
    m
        The map.
    cells
        Cell squares with a CRS: ``rank`` and ``risk``; ``cell_id``, ``method``, ``as_of`` and
        ``horizon_days`` are shown when present (``forecast.gpkg`` layer ``forecast_top``).
    lang
        Language.
    show
        Visible on opening (default off).
    """
    cells = require_geo(cells, "forecast")
    require_columns(cells, ["rank", "risk"], "forecast")
    ranks = pd.to_numeric(cells["rank"]).to_numpy()
    klass = np.searchsorted(np.asarray(FORECAST_RANKS), ranks, side="right") - 1
    props = []
    for i, (_, row) in enumerate(cells.iterrows()):
        rows = [
            (gettext("rang", lang), str(int(row["rank"]))),
            (gettext("risk (förväntade händelser)", lang), fmt_num(row["risk"], lang, decimals=2)),
        ]
        if "method" in row.index and pd.notna(row["method"]):
            rows.append((gettext("metod", lang), str(row["method"])))
        if "as_of" in row.index and pd.notna(row["as_of"]):
            days = f" + {int(row['horizon_days'])} d" if pd.notna(row.get("horizon_days")) else ""
            rows.append((gettext("prognos från", lang), f"{str(row['as_of'])[:10]}{days}"))
        title = f"{gettext('Prognos: högst risk', lang)} #{int(row['rank'])}"
        props.append({"_k": int(max(klass[i], 0)), "_p": popup_html(title, rows)})
    styles = [{"color": c, "weight": 1, "fillColor": c, "fillOpacity": 0.45} for c in FORECAST_COLORS]
    bounds = [*FORECAST_RANKS[1:], None]
    items = [
        (c, gettext("rang %(lo)s–%(hi)s", lang, lo=lo, hi=hi - 1 if hi else "…"))
        for c, lo, hi in zip(FORECAST_COLORS, FORECAST_RANKS, bounds, strict=True)
    ]
    legend = swatch_legend(gettext("Prognos: högst risk", lang), items)
    fc = feature_collection(cells, props, decimals=5)
    DataLayer(
        "forecast", gettext("Prognos: högst risk", lang), fc, styles=styles, show=show, legend=legend
    ).add_to(m)
    return m
