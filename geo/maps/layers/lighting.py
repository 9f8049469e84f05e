"""Lighting layers: lit coverage, dark stretches, ranked dark places, lamp proposals and quick fixes."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.i18n import N_, gettext
from geo.maps.aggregate import feature_collection
from geo.maps.elements import DataLayer
from geo.maps.registry import LeanMap
from geo.maps.style import (
    add_ranked,
    as_points,
    fmt_num,
    popup_html,
    require_columns,
    require_geo,
    swatch_legend,
)

__all__ = [
    "add_dark_places",
    "add_dark_stretches",
    "add_lamp_proposals",
    "add_lit_coverage",
    "add_quick_fixes",
]

LABELS = {
    "street": N_("gata"),
    "length_m": N_("längd (m)"),
    "score": N_("poäng"),
    "dark_reports": N_("rapporter i mörker"),
    "covered_reports": N_("täckta rapporter"),
    "gain": N_("vinst"),
    "reason": N_("motivering"),
    "status": N_("status"),
    "lamp_id": N_("lampa"),
}
"""Popup row labels by column (Swedish message ids)."""

STATUS_WORDS = {"broken": N_("trasig"), "part_night": N_("halvnattsbelysning")}
"""A quick fix's lamp status in words (Swedish message ids; other statuses are shown as they are)."""


def add_lit_coverage(
    m: LeanMap, coverage: gpd.GeoDataFrame, *, lang: str = "sv", show: bool = False
) -> LeanMap:
    """Draw the lit coverage polygons (lamp reach and lit ways).

    Parameters
    ----------
    m
        The map.
    coverage
        Polygons with a CRS.
    lang
        Language.
    show
        Visible on opening.
    """
    coverage = require_geo(coverage, "lit coverage")
    fc = feature_collection(coverage, [{"_k": 0} for _ in range(len(coverage))])
    style = {
        "color": "#e6b800",
        "weight": 0.5,
        "fillColor": "#ffe066",
        "fillOpacity": 0.35,
        "interactive": False,
    }
    legend = swatch_legend(
        gettext("Belyst yta", lang), [("#ffe066", gettext("Yta som nås av gatubelysning", lang))]
    )
    DataLayer(
        "lit_coverage", gettext("Belyst yta", lang), fc, styles=[style], show=show, legend=legend
    ).add_to(m)
    return m


def add_dark_stretches(
    m: LeanMap, stretches: gpd.GeoDataFrame, *, lang: str = "sv", show: bool = True
) -> LeanMap:
    """Draw walkable ways outside lit coverage (lines).

    Parameters
    ----------
    m
        The map.
    stretches
        Lines with a CRS; ``length_m`` and ``name``/``street`` are shown when present.
    lang
        Language.
    show
        Visible on opening.
    """
    stretches = require_geo(stretches, "dark stretches")
    props = []
    for _, row in stretches.iterrows():
        rows = []
        for col in ("street", "name"):
            if col in row.index and pd.notna(row[col]):
                rows.append((gettext("gata", lang), str(row[col])))
                break
        length = row["length_m"] if "length_m" in row.index else row.geometry.length
        rows.append((gettext("längd (m)", lang), fmt_num(length, lang)))
        props.append({"_k": 0, "_p": popup_html(gettext("Mörka sträckor", lang), rows)})
    fc = feature_collection(stretches, props)
    style = {"color": "#252525", "weight": 4, "opacity": 0.8, "dashArray": "4,3"}
    legend = swatch_legend(
        gettext("Mörka sträckor", lang),
        [("#252525", gettext("Gång- och cykelvägar utan belysning", lang))],
        line=True,
    )
    DataLayer(
        "dark_stretches", gettext("Mörka sträckor", lang), fc, styles=[style], show=show, legend=legend
    ).add_to(m)
    return m


def add_dark_places(m: LeanMap, places: pd.DataFrame, *, lang: str = "sv", show: bool = True) -> LeanMap:
    """Draw ranked dark places.

    ``dark_places.csv`` of ``geo lighting`` (``rank``, ``lat``, ``lon``, ``length_m``, ``score``,
    ``dark_reports``), as lines when the frame has line geometry, else as points.

    Parameters
    ----------
    m
        The map.
    places
        The table or a GeoDataFrame.
    lang
        Language.
    show
        Visible on opening.
    """
    require_columns(places, ["rank"], "dark places")
    lines = (
        isinstance(places, gpd.GeoDataFrame)
        and places.crs is not None
        and places.geometry.geom_type.isin(["LineString", "MultiLineString"]).all()
    )
    frame = places if lines else as_points(places, "dark places")
    props = []
    for _, row in frame.iterrows():
        rows = [(gettext("rang", lang), str(int(row["rank"])))]
        for col in ("street", "length_m", "score", "dark_reports"):
            if col in row.index and pd.notna(row[col]):
                val = row[col]
                rows.append(
                    (
                        gettext(LABELS[col], lang),
                        fmt_num(val, lang, decimals=1)
                        if col == "score"
                        else (str(val) if col == "street" else fmt_num(val, lang)),
                    )
                )
        props.append(
            {
                "_k": 0,
                "_p": popup_html(f"{gettext('Mörka platser (rangordnade)', lang)} #{int(row['rank'])}", rows),
                "_n": int(row["rank"]) if not lines else None,
            }
        )
    if lines:
        for p in props:
            p.pop("_n")
    else:
        for p in props:
            if p["_n"] is None:
                p.pop("_n")
    fc = feature_collection(frame, props)
    style = {"color": "#4a1486", "weight": 5, "opacity": 0.9, "fillColor": "#4a1486", "fillOpacity": 0.9}
    legend = swatch_legend(
        gettext("Mörka platser (rangordnade)", lang),
        [("#4a1486", gettext("Mörka sträckor rangordnade efter händelser i mörker", lang))],
    )
    DataLayer(
        "dark_places",
        gettext("Mörka platser (rangordnade)", lang),
        fc,
        styles=[style],
        show=show,
        legend=legend,
    ).add_to(m)
    return m


def add_lamp_proposals(
    m: LeanMap, proposals: pd.DataFrame, *, lang: str = "sv", show: bool = True
) -> LeanMap:
    """Draw proposed lamps.

    ``lighting_proposals.csv`` (``rank``, ``lat``, ``lon``, ``street``, ``covered_reports``, ``gain``,
    ``reason``) as numbered badges with the justification in the popup.

    Parameters
    ----------
    m
        The map.
    proposals
        The table or a GeoDataFrame of points.
    lang
        Language.
    show
        Visible on opening.
    """
    require_columns(proposals, ["rank"], "lighting proposals")
    pts = as_points(proposals, "lighting proposals")
    popups = []
    for _, row in pts.iterrows():
        rows = []
        for col in ("street", "covered_reports", "gain", "reason"):
            if col in row.index and pd.notna(row[col]):
                v = row[col]
                rows.append(
                    (
                        gettext(LABELS[col], lang),
                        fmt_num(v, lang, decimals=1) if col == "gain" and isinstance(v, float) else str(v),
                    )
                )
        popups.append(rows)
    style = {"color": "#b8860b", "fillColor": "#d4a000", "fillOpacity": 1}
    return add_ranked(
        m,
        "lamp_proposals",
        pts,
        popups,
        style=style,
        name=gettext("Förslag: nya lampor", lang),
        legend=gettext("Föreslagen ny lampa (nummer = rang)", lang),
        show=show,
    )


def add_quick_fixes(m: LeanMap, lamps: pd.DataFrame, *, lang: str = "sv", show: bool = True) -> LeanMap:
    """Draw broken or part-night lamps near dark hot-spots (repair before building).

    Parameters
    ----------
    m
        The map.
    lamps
        Points (geometry with CRS, or ``lat``/``lon``); ``status`` and ``reason`` are shown when present.
    lang
        Language.
    show
        Visible on opening.
    """
    pts = as_points(lamps, "quick fixes")
    props = []
    for _, row in pts.iterrows():
        rows = [
            (
                gettext(LABELS[c], lang),
                gettext(STATUS_WORDS.get(str(row[c]), str(row[c])), lang) if c == "status" else str(row[c]),
            )
            for c in ("status", "reason", "lamp_id", "street")
            if c in row.index and pd.notna(row[c])
        ]
        props.append({"_k": 0, "_p": popup_html(gettext("Snabba åtgärder: trasiga lampor", lang), rows)})
    fc = feature_collection(pts, props)
    style = {"color": "#000", "weight": 2, "fillColor": "#ff00ff", "fillOpacity": 0.9}
    legend = swatch_legend(
        gettext("Snabba åtgärder: trasiga lampor", lang),
        [("#ff00ff", gettext("Trasig eller nattsläckt lampa nära mörk hot-spot", lang))],
    )
    DataLayer(
        "quick_fixes",
        gettext("Snabba åtgärder: trasiga lampor", lang),
        fc,
        styles=[style],
        show=show,
        legend=legend,
        point_radius=6,
    ).add_to(m)
    return m
