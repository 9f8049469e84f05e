"""Near-repeat layer: the alert zones (raised risk after a recent incident), for the internal map only."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.i18n import N_, gettext, number
from geo.maps.aggregate import feature_collection
from geo.maps.elements import DataLayer
from geo.maps.registry import LeanMap
from geo.maps.style import popup_html, require_geo, swatch_legend

__all__ = ["NEARREPEAT_TEXTS", "add_nearrepeat_zones"]

NEARREPEAT_TEXTS = {
    "layer": N_("Nära upprepning: förhöjd risk"),
    "legend": N_("Förhöjd risk efter en händelse"),
    "zone": N_("zon med förhöjd risk till sista dagen"),
    "note": N_("Zonen är centrerad på 50 m-rutan, inte på adressen."),
    "occurred_on": N_("händelse"),
    "risk_until": N_("risk till"),
    "radius_m": N_("radie (m)"),
    "place": N_("plats"),
    "text": N_("text att skicka"),
}
"""The layer's texts (Swedish message ids)."""

_COLOR = "#d95f0e"


def _t(key: str, lang: str) -> str:
    return gettext(NEARREPEAT_TEXTS[key], lang)


def add_nearrepeat_zones(
    m: LeanMap, zones: gpd.GeoDataFrame, *, lang: str = "sv", show: bool = False
) -> LeanMap:
    """Draw the near-repeat alert zones (``alert_zones.geojson`` of ``geo nearrepeat``).

    Parameters
    ----------
    m
        The map.
    zones
        Polygons with a CRS; uses ``alert_id``, ``category``, ``place``, ``occurred_on``, ``risk_until``,
        ``radius_m`` and ``text_sv``/``text_en`` when present.
    lang
        Language.
    show
        Visible on opening.
    """
    zones = require_geo(zones, "near-repeat zones")
    props = []
    for _, row in zones.iterrows():
        rows = []
        for col in ("place", "occurred_on", "risk_until", "radius_m"):
            if col in row.index and pd.notna(row[col]) and str(row[col]):
                value = number(row[col], lang) if col == "radius_m" else str(row[col])
                rows.append((_t(col, lang), value))
        text_col = "text_en" if lang == "en" else "text_sv"
        if text_col in row.index and pd.notna(row[text_col]):
            rows.append((_t("text", lang), str(row[text_col])))
        title = " · ".join(
            str(row[c]) for c in ("alert_id", "category") if c in row.index and pd.notna(row[c])
        )
        props.append({"_k": 0, "_p": popup_html(title or _t("layer", lang), rows)})
    fc = feature_collection(zones, props)
    legend = swatch_legend(_t("legend", lang), [(_COLOR, _t("zone", lang))], note=_t("note", lang))
    style = {"color": _COLOR, "weight": 2, "fillColor": _COLOR, "fillOpacity": 0.15, "dashArray": "4 4"}
    DataLayer("nearrepeat", _t("layer", lang), fc, styles=[style], show=show, legend=legend).add_to(m)
    return m
