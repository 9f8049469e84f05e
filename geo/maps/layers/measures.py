"""The measures layer (åtgärder): each measure's place, its buffer ring, status and verdict (internal map)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.i18n import N_, gettext
from geo.maps.aggregate import feature_collection
from geo.maps.elements import DataLayer
from geo.maps.escape import Markup, escape
from geo.maps.registry import LeanMap
from geo.maps.style import popup_html, require_columns, require_geo, swatch_legend

__all__ = ["MEASURE_COLORS", "add_measures"]

MEASURE_COLORS: dict[str, str] = {
    "decrease": "#1a9850",
    "increase": "#d73027",
    "no_clear_effect": "#878787",
    "too_early": "#74add1",
    "": "#8073ac",
}
"""Outline colour by verdict (``""``: not evaluated, e.g. proposed or decided)."""

_VERDICTS = {
    "decrease": N_("minskning"),
    "increase": N_("ökning"),
    "no_clear_effect": N_("ingen tydlig effekt"),
    "too_early": N_("för tidigt att säga"),
    "": N_("ej utvärderad"),
}

_TEXT = {
    "layer": N_("Åtgärder"),
    "ring": N_("omgivning"),
    "kind": N_("Typ"),
    "status": N_("Status"),
    "period": N_("Period"),
    "hours": N_("Tider"),
    "focus": N_("Fokus"),
    "effect": N_("Effekt"),
    "note": N_("Streckad ring: omgivningen där förflyttning mäts"),
}


def add_measures(m: LeanMap, measures: gpd.GeoDataFrame, *, lang: str = "sv", show: bool = True) -> LeanMap:
    """Draw the measures: the treated area coloured by verdict and the buffer ring dashed, popup with all.

    Parameters
    ----------
    m
        The map.
    measures
        From :meth:`geo.stages.evaluate.EvaluateResult.map_frame`: treated-area polygons with a CRS,
        ``measure_id``, ``kind``, ``status``, ``verdict`` and ``buffer_m``; ``name``, ``start``, ``end``,
        ``hours``, ``focus``, ``effect`` and ``note`` are shown when present.
    lang
        Language.
    show
        Visible on opening.
    """
    measures = require_geo(measures, "measures")
    require_columns(measures, ["measure_id", "kind", "status", "verdict", "buffer_m"], "measures")
    t = {key: gettext(message, lang) for key, message in _TEXT.items()}
    verdicts = {key: gettext(message, lang) for key, message in _VERDICTS.items()}
    keys = list(MEASURE_COLORS)
    rings = measures.geometry.buffer(pd.to_numeric(measures["buffer_m"]).to_numpy()).difference(
        measures.geometry
    )
    both = pd.concat([measures.geometry, rings], ignore_index=True)
    frame = gpd.GeoDataFrame(geometry=both, crs=measures.crs)
    props = []
    for ring in (False, True):
        for _, r in measures.iterrows():
            verdict = str(r.get("verdict") or "")
            title = f"{r['measure_id']} · {r.get('name') or r['kind']}" + (f" ({t['ring']})" if ring else "")
            rows = [(t["kind"], str(r["kind"])), (t["status"], str(r["status"] or "–"))]
            period = f"{r.get('start', '')}–{r.get('end', '') or ''}"
            rows.append((t["period"], period))
            if r.get("hours"):
                rows.append((t["hours"], str(r["hours"])))
            if r.get("focus"):
                rows.append((t["focus"], str(r["focus"])))
            rows.append((t["effect"], str(r.get("effect") or verdicts.get(verdict, verdict))))
            extra = (
                Markup(f"<p style='max-width:22em'>{escape(str(r.get('note') or ''))}</p>")
                if lang == "sv"
                else ""
            )
            k = keys.index(verdict) if verdict in keys else len(keys) - 1
            props.append({"_k": k + (len(keys) if ring else 0), "_p": popup_html(title, rows, extra=extra)})
    styles = [{"color": c, "weight": 3, "fillColor": c, "fillOpacity": 0.3} for c in MEASURE_COLORS.values()]
    styles += [
        {"color": c, "weight": 1.5, "dashArray": "5,5", "fillOpacity": 0.04, "fillColor": c}
        for c in MEASURE_COLORS.values()
    ]
    items = [(c, verdicts[v]) for v, c in MEASURE_COLORS.items()]
    legend = swatch_legend(t["layer"], items, note=t["note"])
    fc = feature_collection(frame, props, decimals=6)
    DataLayer("measures", t["layer"], fc, styles=styles, show=show, legend=legend).add_to(m)
    return m
