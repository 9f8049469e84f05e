"""The hot-spot layer: areas coloured by trend, with a popup answering the first questions."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.i18n import gettext, number
from geo.maps.aggregate import feature_collection
from geo.maps.elements import DataLayer
from geo.maps.registry import LeanMap
from geo.maps.style import (
    TREND_COLORS,
    fmt_num,
    pct,
    popup_html,
    require_columns,
    require_geo,
    swatch_legend,
    trend_word,
)
from geo.maps.svg import block_profile, hour_week_svg

__all__ = ["add_hotspots"]


METHOD_NAMES = {"dbscan": "DBSCAN", "hdbscan": "HDBSCAN", "kde": "KDE", "gistar": "Getis-Ord Gi*"}
"""The hot-spot methods by their names (a popup says "metod DBSCAN", not the option's value)."""


def _profile(value: Any) -> np.ndarray | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    arr = np.asarray(json.loads(value) if isinstance(value, str) else value, dtype=float)
    return arr if arr.shape == (168,) else None


def _blocks(value: Any) -> np.ndarray | None:
    """Public three-hour blocks: 56 values (weekday-major, -1 = suppressed) as a (7, 8) array."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    arr = np.asarray(json.loads(value) if isinstance(value, str) else value, dtype=float)
    return arr.reshape(7, 8) if arr.size == 56 else None


def _mix(value: Any) -> dict[str, float]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return {}
    data = json.loads(value) if isinstance(value, str) else dict(value)
    return {str(k): float(v) for k, v in data.items()}


def _mix_text(mix: dict[str, float], *, k: int | None, lang: str, top: int = 4) -> str:
    items = sorted(mix.items(), key=lambda kv: -kv[1])
    if k is not None:
        shown = [(c, v) for c, v in items if v >= k]
        rest = sum(v for c, v in items if v < k)
        parts = [f"{c} {number(v, lang)}" for c, v in shown[:top]]
        rest += sum(v for _, v in shown[top:])
        if rest >= k:
            parts.append(f"{gettext('övrigt', lang)} {number(rest, lang)}")
        return ", ".join(parts)
    parts = [f"{c} {number(v, lang)}" for c, v in items[:top]]
    rest = sum(v for _, v in items[top:])
    if rest:
        parts.append(f"{gettext('övrigt', lang)} {number(rest, lang)}")
    return ", ".join(parts)


def _area_text(area_m2: Any, lang: str) -> str:
    if area_m2 is None or pd.isna(area_m2):
        return "–"
    a = float(area_m2)
    return (
        f"{number(a / 1e6, lang, decimals=2)} km²" if a >= 1e6 else f"{number(a / 1e4, lang, decimals=1)} ha"
    )


def add_hotspots(
    m: LeanMap,
    hotspots: gpd.GeoDataFrame,
    *,
    public: bool = False,
    k: int = 5,
    lang: str = "sv",
    show: bool = True,
    trend_text: str = "",
) -> LeanMap:
    """Draw hot-spot areas with a popup answering the first questions.

    The internal popup shows the stable id, label, count and share, area and density, category mix, share
    in darkness, peak windows, trend, method and the hour × weekday chart. The public popup (for the
    generalised areas from :func:`geo.maps.build.prepare_layers`) shows the count and share, categories with
    at least `k` incidents, peak windows, trend and a chart of three-hour blocks with blocks under `k`
    left blank.

    Parameters
    ----------
    m
        The map.
    hotspots
        The hot-spots frame (``hotspot_id``, ``n_reports``, ``share``, ...), or its public version.
    public
        Public popups and wording.
    k
        Suppression threshold for the public popups.
    lang
        Language.
    show
        Visible on opening.
    """
    hotspots = require_geo(hotspots, "hotspots")
    require_columns(hotspots, ["hotspot_id", "n_reports"], "hotspots")
    trends = [
        str(t) if "trend" in hotspots.columns and pd.notna(t) else "none"
        for t in (hotspots["trend"] if "trend" in hotspots.columns else [None] * len(hotspots))
    ]
    keys = list(TREND_COLORS)
    styles = [
        {"color": TREND_COLORS[t], "weight": 2.5, "fillColor": TREND_COLORS[t], "fillOpacity": 0.12}
        for t in keys
    ]
    props = []
    for i, (_, row) in enumerate(hotspots.iterrows()):
        trend = trends[i] if trends[i] in TREND_COLORS else "none"
        hid = str(row["hotspot_id"])
        has_label = "label" in row.index and pd.notna(row["label"]) and str(row["label"])
        label = str(row["label"]) if has_label else hid
        rows = _popup_rows(row, trend=trend, public=public, k=k, lang=lang)
        chart = _chart(row, public=public, k=k, lang=lang)
        html = popup_html(label, rows, extra=chart, subtitle=f"{gettext('id', lang)} {hid}")
        props.append(
            {
                "_k": keys.index(trend),
                "_p": html,
                "_t": f"{label} ({int(row['n_reports'])})",
                "hotspot_id": hid,
                "n_reports": int(row["n_reports"]),
            }
        )
    fc = feature_collection(hotspots, props, public=public, decimals=5)
    present = [t for t in keys if t in set(trends)]
    legend = swatch_legend(
        (gettext("Brottstäta områden", lang) if public else gettext("Hot-spots", lang)),
        [(TREND_COLORS[t], trend_word(t, lang)) for t in present],
        note=(
            gettext("Generaliserat område (rutor) med minst %(k)s händelser", lang, k=k)
            if public
            else gettext("Hot-spot-område; färg efter trend", lang)
        )
        + (f" ({trend_text})" if trend_text else ""),
    )
    name = gettext("Brottstäta områden", lang) if public else gettext("Hot-spots", lang)
    DataLayer("hotspots", name, fc, styles=styles, show=show, legend=legend).add_to(m)
    return m


def _popup_rows(row: pd.Series, *, trend: str, public: bool, k: int, lang: str) -> list[tuple[str, str]]:
    """Return the label/value rows of a hot-spot's popup (public: no area, darkness or method)."""
    unit = gettext("händelser", lang) if public else gettext("rapporter", lang)
    rows: list[tuple[str, str]] = [(gettext("antal", lang), f"{int(row['n_reports'])} {unit}")]
    if "share" in row.index:
        rows.append((gettext("andel av alla", lang), pct(row["share"], lang)))
    if not public:
        if "area_m2" in row.index:
            rows.append((gettext("yta", lang), _area_text(row["area_m2"], lang)))
        if "density_km2" in row.index:
            rows.append(
                (gettext("täthet", lang), f"{fmt_num(row['density_km2'], lang)} {gettext('per km²', lang)}")
            )
    if "category_mix" in row.index:
        mix = _mix(row["category_mix"])
        if mix:
            rows.append((gettext("kategorier", lang), _mix_text(mix, k=k if public else None, lang=lang)))
    if "dark_share" in row.index and not public:
        rows.append((gettext("i mörker", lang), pct(row["dark_share"], lang)))
    if "peak_windows" in row.index and pd.notna(row["peak_windows"]):
        rows.append((gettext("mest aktiv", lang), str(row["peak_windows"])))
    rows.append((gettext("trend", lang), trend_word(trend, lang)))
    if "method" in row.index and not public and pd.notna(row["method"]):
        method = str(row["method"])
        rows.append((gettext("metod", lang), METHOD_NAMES.get(method, method)))
    return rows


def _chart(row: pd.Series, *, public: bool, k: int, lang: str) -> str:
    """Return the hour × weekday chart of a hot-spot (public: three-hour blocks, those under `k` blank)."""
    prof = _profile(row["profile"]) if "profile" in row.index else None
    blocks = _blocks(row["profile_3h"]) if "profile_3h" in row.index else None
    if public and blocks is None and prof is not None:
        blocks = block_profile(prof, block_h=3)
    if public and blocks is not None:
        return hour_week_svg(
            blocks,
            lang=lang,
            suppress_below=k,
            title=gettext(
                "Händelser per veckodag och tretimmarsblock (block med färre än %(k)s tomma)", lang, k=k
            ),
        )
    if not public and prof is not None:
        return hour_week_svg(prof, lang=lang, title=gettext("Händelser per timme och veckodag", lang))
    return ""
