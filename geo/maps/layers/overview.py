"""Overview layers of the internal map: kernel-density contours and Getis-Ord Gi* cells."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo import i18n
from geo.i18n import gettext
from geo.maps.aggregate import feature_collection
from geo.maps.elements import DataLayer
from geo.maps.registry import LeanMap
from geo.maps.style import (
    DENSITY_COLORS,
    GISTAR_COLORS,
    GISTAR_WORDS,
    popup_html,
    popup_template,
    require_columns,
    require_geo,
    swatch_legend,
)

__all__ = ["GISTAR_MAX_CELLS", "add_density", "add_gistar", "gistar_feature_count"]


def add_density(m: LeanMap, contours: gpd.GeoDataFrame, *, lang: str = "sv", show: bool = True) -> LeanMap:
    """Draw kernel-density contours (computed in metres by :mod:`geo.hotspots.kde`) as filled polygons.

    Parameters
    ----------
    m
        The map.
    contours
        Polygons with ``share`` (0..1: the share of all reports inside) and ``level``.
    lang
        Language.
    show
        Visible on opening.
    """
    contours = require_geo(contours, "density")
    require_columns(contours, ["share"], "density")
    order = contours.sort_values("share", ascending=False)
    shares = sorted({round(float(s), 4) for s in order["share"]})
    styles, items = [], []
    for i, s in enumerate(shares):
        color = DENSITY_COLORS[min(i, len(DENSITY_COLORS) - 1)]
        styles.append({"color": color, "weight": 1, "fillColor": color, "fillOpacity": 0.22})
        items.append((color, f"{i18n.pct(s, lang, decimals=0)} {gettext('av rapporterna', lang)}"))
    props = []
    for _, row in order.iterrows():
        s = round(float(row["share"]), 4)
        label = f"{i18n.pct(s, lang, decimals=0)} {gettext('av rapporterna', lang)}"
        rows = [(gettext("andel", lang), label)]
        if "level" in row.index and pd.notna(row["level"]):
            rows.append((gettext("täthet", lang), f"{float(row['level']):.3g}"))
        props.append(
            {"_k": shares.index(s), "_p": popup_html(gettext("Täthet (KDE)", lang), rows), "_t": label}
        )
    fc = feature_collection(order, props, decimals=5)
    legend = swatch_legend(
        gettext("Områden som rymmer en andel av alla rapporter (tätast först)", lang), items
    )
    DataLayer("density", gettext("Täthet (KDE)", lang), fc, styles=styles, show=show, legend=legend).add_to(m)
    return m


GISTAR_MAX_CELLS = 5000
"""Above this many significant cells the Gi* layer is drawn as one merged shape per class."""


def gistar_feature_count(cells: gpd.GeoDataFrame, *, max_cells: int = GISTAR_MAX_CELLS) -> int:
    """Features :func:`add_gistar` draws: significant cells, or one shape per class above `max_cells`."""
    sig = cells["class"].astype(str).isin(list(GISTAR_COLORS))
    n = int(sig.sum())
    return n if n <= max_cells else int(cells.loc[sig, "class"].astype(str).nunique())


def add_gistar(
    m: LeanMap,
    cells: gpd.GeoDataFrame,
    *,
    lang: str = "sv",
    show: bool = False,
    max_cells: int = GISTAR_MAX_CELLS,
) -> LeanMap:
    """Draw Getis-Ord Gi* cells by class; ``ns`` (not significant) cells are left out.

    Each cell has a popup with its count, z-score and FDR-adjusted p. With more than `max_cells`
    significant cells (a million reports on 50 m cells), the cells of each class are merged into one shape
    whose popup gives the class and its number of cells, which keeps the page small and quick.

    Parameters
    ----------
    m
        The map.
    cells
        From :func:`geo.hotspots.gistar_cells`: ``count``, ``z``, ``p``, ``p_fdr``, ``class``.
    lang
        Language.
    show
        Visible on opening (default off).
    max_cells
        See above.
    """
    cells = require_geo(cells, "gistar")
    require_columns(cells, ["class", "z"], "gistar")
    sig = cells[cells["class"].astype(str).isin(list(GISTAR_COLORS))]
    keys = list(GISTAR_COLORS)
    styles = [
        {"color": GISTAR_COLORS[c], "weight": 0.3, "fillColor": GISTAR_COLORS[c], "fillOpacity": 0.55}
        for c in keys
    ]
    if len(sig) > max_cells:
        fc, template = _merged_classes(sig, keys, lang=lang)
    else:
        fc, template = _cells(sig, keys, lang=lang)
    legend = swatch_legend(
        gettext("Getis-Ord Gi* (FDR-korrigerat)", lang),
        [(GISTAR_COLORS[c], gettext(GISTAR_WORDS[c], lang)) for c in keys],
    )
    DataLayer(
        "gistar",
        gettext("Gi*-rutor", lang),
        fc,
        styles=styles,
        show=show,
        legend=legend,
        canvas=True,
        popup_template=template,
    ).add_to(m)
    return m


def _merged_classes(sig: gpd.GeoDataFrame, keys: list[str], *, lang: str) -> tuple[dict[str, Any], str]:
    """Merge the significant cells of each class into one shape: its features and popup template."""
    classes = sig["class"].astype(str)
    rows = []
    for c in keys:
        part = sig[classes == c]
        if len(part):
            geom = shapely.union_all(part.geometry.to_numpy(), grid_size=0.01)
            rows.append((geom, {"_k": keys.index(c), "l": gettext(GISTAR_WORDS[c], lang), "n": len(part)}))
    merged = gpd.GeoDataFrame(geometry=[g for g, _ in rows], crs=sig.crs)
    template = popup_template("\x00l\x01", [(gettext("rutor", lang), "\x00n\x01")])
    return feature_collection(merged, [p for _, p in rows], decimals=5), template


def _cells(sig: gpd.GeoDataFrame, keys: list[str], *, lang: str) -> tuple[dict[str, Any], str]:
    """One feature per significant cell (count, z, FDR p): the features and their popup template."""
    props = []
    for _, row in sig.iterrows():
        c = str(row["class"])
        p: dict[str, Any] = {
            "_k": keys.index(c),
            "l": gettext(GISTAR_WORDS[c], lang),
            "z": round(float(row["z"]), 2),
        }
        p["n"] = int(row["count"]) if "count" in row.index else "–"
        p["q"] = float(f"{float(row['p_fdr']):.3g}") if "p_fdr" in row.index else "–"
        props.append(p)
    rows = [(gettext("antal", lang), "\x00n\x01"), ("Gi* z", "\x00z\x01"), ("p (FDR)", "\x00q\x01")]
    return feature_collection(sig, props, decimals=5), popup_template("\x00l\x01", rows)
