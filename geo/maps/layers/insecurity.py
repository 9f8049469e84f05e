"""The insecurity layer: cells where felt insecurity and recorded crime differ (or meet), coloured by class.

The internal map shows every finding (``felt_not_recorded``, ``recorded_not_felt``, ``both``) with its
evidence; cells classed ``neither`` are not drawn. The public map gets :func:`public_insecurity`: only cells
whose high counts are at least ``k``, counts under ``k`` written as "färre än k", no p-values, and the
class's advice without counts.
"""

from __future__ import annotations

from html import escape

import geopandas as gpd
import pandas as pd

from geo.i18n import N_, gettext
from geo.insecurity.classes import class_advice, class_name
from geo.maps.aggregate import feature_collection
from geo.maps.elements import DataLayer
from geo.maps.registry import LeanMap
from geo.maps.style import fmt_num, popup_html, require_columns, require_geo, swatch_legend

__all__ = ["INSECURITY_COLORS", "add_insecurity", "public_insecurity"]

INSECURITY_COLORS: dict[str, str] = {
    "felt_not_recorded": "#7b3294",
    "recorded_not_felt": "#e66101",
    "both": "#b2182b",
}
"""Fill colour by class (``neither`` is not drawn)."""

_TEXT = {
    "layer": N_("Otrygghet och brott"),
    "felt": N_("Otrygghetsrapporter"),
    "recorded": N_("Anmälda brott"),
    "expected": N_("väntat"),
    "fewer": N_("färre än"),
    "note": N_("Jämfört med områdets genomsnitt (Poisson, Benjamini–Hochberg)"),
}
"""The layer's words (Swedish message ids)."""


def public_insecurity(cells: gpd.GeoDataFrame, *, k: int) -> gpd.GeoDataFrame:
    """Return the findings that may be published: each high kind with at least `k` reports.

    Parameters
    ----------
    cells
        :attr:`geo.stages.insecurity.InsecurityResult.cells`; not modified.
    k
        Smallest count published; smaller counts become ``"< k"`` in ``felt_text``/``recorded_text``.

    Returns
    -------
    public
        ``class``, ``felt_text``, ``recorded_text``, ``advice`` and ``advice_en`` (no counts) and the
        polygons (grid squares or the user's areas: no report position).
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    cls = cells["class"].astype(str)
    felt = pd.to_numeric(cells["felt"]).to_numpy()
    recorded = pd.to_numeric(cells["recorded"]).to_numpy()
    felt_high = cls.isin(["felt_not_recorded", "both"]).to_numpy()
    rec_high = cls.isin(["recorded_not_felt", "both"]).to_numpy()
    keep = (cls != "neither").to_numpy() & (~felt_high | (felt >= k)) & (~rec_high | (recorded >= k))
    out = cells.loc[keep, ["class"]].copy()
    for col, values in (("felt_text", felt[keep]), ("recorded_text", recorded[keep])):
        out[col] = [str(int(v)) if v >= k else f"< {k}" for v in values]
    out["advice"] = [class_advice(c, lang="sv") for c in out["class"]]
    out["advice_en"] = [class_advice(c, lang="en") for c in out["class"]]
    return gpd.GeoDataFrame(out, geometry=cells.geometry[keep].to_numpy(), crs=cells.crs)


def _rows(r: pd.Series, t: dict[str, str], lang: str) -> list[tuple[str, str]]:
    if "felt_text" in r.index:  # the public version
        return [(t["felt"], str(r["felt_text"])), (t["recorded"], str(r["recorded_text"]))]
    return [
        (t["felt"], f"{int(r['felt'])} ({t['expected']} {fmt_num(r['felt_expected'], lang, decimals=1)})"),
        (
            t["recorded"],
            f"{int(r['recorded'])} ({t['expected']} {fmt_num(r['recorded_expected'], lang, decimals=1)})",
        ),
    ]


def add_insecurity(m: LeanMap, cells: gpd.GeoDataFrame, *, lang: str = "sv", show: bool = False) -> LeanMap:
    """Draw the findings coloured by class, with counts, expected counts and the sentence in the popup.

    Parameters
    ----------
    m
        The map.
    cells
        :attr:`geo.stages.insecurity.InsecurityResult.cells` (internal) or :func:`public_insecurity`.
    lang
        Language.
    show
        Visible on opening.
    """
    cells = require_geo(cells, "insecurity")
    require_columns(cells, ["class"], "insecurity")
    t = {key: gettext(message, lang) for key, message in _TEXT.items()}
    keys = list(INSECURITY_COLORS)
    found = cells[cells["class"].astype(str).isin(keys)]
    public = "felt_text" in found.columns
    props = []
    for _, r in found.iterrows():
        cls = str(r["class"])
        place = str(r.get("place") or r.get("name") or "") if not public else ""
        title = class_name(cls, lang).capitalize() + (f" · {place}" if place else "")
        if public:
            sentence = str(r["advice" if lang == "sv" else "advice_en"])
        else:
            sentence = str(r["sentence" if lang == "sv" else "sentence_en"])
        extra = f"<p style='max-width:24em'>{escape(sentence)}</p>"
        props.append({"_k": keys.index(cls), "_p": popup_html(title, _rows(r, t, lang), extra=extra)})
    styles = [
        {"color": c, "weight": 1.5, "fillColor": c, "fillOpacity": 0.45} for c in INSECURITY_COLORS.values()
    ]
    items = [(c, class_name(k, lang)) for k, c in INSECURITY_COLORS.items()]
    legend = swatch_legend(t["layer"], items, note=t["note"])
    fc = feature_collection(found, props, public=public, decimals=6)
    DataLayer("insecurity", t["layer"], fc, styles=styles, show=show, legend=legend).add_to(m)
    return m
