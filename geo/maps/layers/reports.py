"""Report layers: the study-area outline, report counts per grid cell and the clustered report points."""

from __future__ import annotations

import os
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.i18n import gettext, number
from geo.maps.aggregate import feature_collection
from geo.maps.elements import ClusterLayer, DataLayer
from geo.maps.escape import Markup, escape
from geo.maps.registry import LeanMap
from geo.maps.style import (
    CATEGORY_COLORS,
    GRID_COLORS,
    class_breaks,
    class_of,
    fmt_num,
    legend_classes,
    popup_template,
    require_columns,
    require_geo,
    swatch_legend,
)

__all__ = ["add_area", "add_report_grid", "add_report_points"]


def add_area(m: LeanMap, area: gpd.GeoDataFrame, *, lang: str = "sv") -> LeanMap:
    """Draw the study-area outline (not clickable).

    Parameters
    ----------
    m
        The map.
    area
        One or more polygons with a CRS.
    lang
        Language.
    """
    area = require_geo(area, "area")
    fc = feature_collection(area, [{"_k": 0} for _ in range(len(area))], public=True)
    style = {"color": "#333333", "weight": 2, "fill": False, "dashArray": "6,4", "interactive": False}
    DataLayer("area", gettext("Studieområde", lang), fc, styles=[style], show=True).add_to(m)
    return m


def add_report_grid(
    m: LeanMap,
    cells: gpd.GeoDataFrame,
    *,
    cell_m: float,
    public: bool = False,
    k: int = 5,
    lang: str = "sv",
    show: bool = True,
) -> LeanMap:
    """Draw report counts per grid cell, coloured by count class, with a popup per cell.

    Parameters
    ----------
    m
        The map.
    cells
        From :func:`geo.maps.aggregate.grid_counts` (``count``, optionally ``dark``), already suppressed
        below `k` when `public`.
    cell_m
        Cell side in metres (for the legend).
    public
        Public wording, counts only.
    k
        Suppression threshold (named in the legend when `public`).
    lang
        Language.
    show
        Visible on opening (default).
    """
    cells = require_geo(cells, "grid")
    require_columns(cells, ["count"], "grid")
    counts = cells["count"].to_numpy(dtype=float)
    breaks = class_breaks(counts, floor=k if public else 1)
    klass = class_of(counts, breaks)
    unit = gettext("händelser", lang) if public else gettext("rapporter", lang)
    dark = cells["dark"].to_numpy() if ("dark" in cells.columns and not public) else None
    props: list[dict[str, Any]] = []
    for i, c in enumerate(counts):
        p: dict[str, Any] = {"_k": int(klass[i]), "n": int(c)}
        if dark is not None:
            p["d"] = int(dark[i])
        props.append(p)
    side = number(cell_m, lang)
    title = f"{gettext('ruta', lang).capitalize()} {side} × {side} m"
    rows = [(gettext("antal", lang), f"\x00n\x01 {unit}")]
    if dark is not None:
        rows.append((gettext("i mörker", lang), "\x00d\x01"))
    template = popup_template(title, rows)
    fc = feature_collection(cells, props, public=public, decimals=5)
    styles = [
        {"color": "#7a0177", "weight": 0.3, "fillColor": GRID_COLORS[i], "fillOpacity": 0.6}
        for i in range(len(breaks))
    ]
    cell = number(cell_m, lang)
    title = (
        gettext("Antal händelser per ruta om %(cell)s m (minst %(k)s)", lang, cell=cell, k=k)
        if public
        else gettext("Antal rapporter per ruta om %(cell)s m", lang, cell=cell)
    )
    legend = legend_classes(title, breaks, GRID_COLORS, int(counts.max()) if counts.size else 0)
    if public:
        hidden = gettext("Rutor och områden med färre än %(k)s händelser visas inte.", lang, k=k)
        legend += Markup(f'<div style="color:#555">{escape(hidden)}</div>')
    name = gettext("Händelser per ruta", lang) if public else gettext("Rapporter per ruta", lang)
    DataLayer(
        "grid", name, fc, styles=styles, show=show, legend=legend, canvas=True, popup_template=template
    ).add_to(m)
    return m


def add_report_points(
    m: LeanMap,
    reports: gpd.GeoDataFrame,
    *,
    max_points: int = 20_000,
    total: int | None = None,
    lang: str = "sv",
    show: bool = False,
) -> LeanMap:
    """Draw individual reports as clustered points (internal map only; off by default).

    At most `max_points` reports are embedded, the latest first; the legend says how many of how many
    ("de senaste 20 000 av 114 714") and holds the filters by category and by ISO week.
    Popups show category, local time, id and the free-text description (HTML-escaped).

    Parameters
    ----------
    m
        The map.
    reports
        Point reports (the report model).
    max_points
        Cap on embedded points (each costs about 70 bytes of page).
    total
        How many reports there were before an earlier cap (default: ``len(reports)``).
    lang
        Language.
    show
        Visible on opening (default off: the grid is the overview).
    """
    reports = require_geo(reports, "reports")
    total = max(total or 0, len(reports))
    sel = reports
    if total > max_points:
        order = np.argsort(reports["occurred_at"].to_numpy(), kind="stable")[::-1][:max_points]
        sel = reports.iloc[np.sort(order)]
    wgs = sel.to_crs("EPSG:4326")
    lat = np.round(wgs.geometry.y.to_numpy(), 6)
    lon = np.round(wgs.geometry.x.to_numpy(), 6)
    cats = sel["category"].astype(str).to_numpy()
    names = [str(c) for c in pd.Series(cats).value_counts().index]
    index = {c: i for i, c in enumerate(names)}
    local = sel["occurred_at"].dt.tz_localize(None).to_numpy(dtype="datetime64[m]").astype("int64")
    ids = [str(i) for i in sel["report_id"]]
    prefix = os.path.commonprefix(ids) if len(ids) > 1 else ""
    prefix = prefix[: max(prefix.rfind(":"), prefix.rfind("-"), prefix.rfind("_")) + 1]
    desc = (
        sel["description"].astype("string").fillna("").to_numpy()
        if "description" in sel.columns
        else np.full(len(sel), "")
    )
    iso = sel["occurred_at"].dt.isocalendar()
    week_keys = (iso["year"].astype("int64") * 100 + iso["week"].astype("int64")).to_numpy()
    weeks = sorted({int(w) for w in week_keys}, reverse=True)
    week_index = {w: i for i, w in enumerate(weeks)}
    rows = [
        [
            float(lat[i]),
            float(lon[i]),
            index[cats[i]],
            int(local[i]),
            ids[i][len(prefix) :],
            str(desc[i]),
            week_index[int(week_keys[i])],
        ]
        for i in range(len(sel))
    ]
    colors = [CATEGORY_COLORS[i % len(CATEGORY_COLORS)] for i in range(len(names))]
    note = (
        gettext(
            "Enskilda rapporter, klustrade: de senaste %(shown)s av %(total)s.",
            lang,
            shown=fmt_num(len(sel), lang),
            total=fmt_num(total, lang),
        )
        if total > len(sel)
        else gettext("Enskilda rapporter, klustrade (%(total)s).", lang, total=fmt_num(total, lang))
    )
    legend = swatch_legend(
        gettext("Rapporter (kluster)", lang), list(zip(colors, names, strict=True))[:10], note=note
    )
    legend += _filters(names, weeks, lang=lang, shown=len(sel))
    ClusterLayer(
        "points",
        gettext("Rapporter (kluster)", lang),
        rows,
        categories=names,
        colors=colors,
        id_prefix=prefix,
        show=show,
        legend=legend,
    ).add_to(m)
    return m


def _week_label(week: int, lang: str) -> str:
    """Return ISO week `week` (``YYYYWW``) as "v. 44 (2026)" / "w. 44 (2026)"."""
    return gettext("v. %(week)s (%(year)s)", lang, week=week % 100, year=week // 100)


def _filters(categories: list[str], weeks: list[int], *, lang: str, shown: int) -> Markup:
    """Build the points' filters (in their legend): a category and an ISO week, each "all" by default."""
    cat_opts = "".join(f'<option value="{i}">{escape(c)}</option>' for i, c in enumerate(categories))
    week_opts = "".join(
        f'<option value="{i}">{escape(_week_label(w, lang))}</option>' for i, w in enumerate(weeks)
    )
    all_cats, all_weeks = escape(gettext("alla kategorier", lang)), escape(gettext("alla veckor", lang))
    return Markup(  # every text in it escaped above
        '<div class="lb-filter" style="margin-top:4px">'
        f'<label>{escape(gettext("Kategori", lang))} <select class="lb-f-cat">'
        f'<option value="-1">{all_cats}</option>{cat_opts}</select></label><br>'
        f'<label>{escape(gettext("Vecka", lang))} <select class="lb-f-week">'
        f'<option value="-1">{all_weeks}</option>{week_opts}</select></label><br>'
        f'<span class="lb-f-count">{fmt_num(shown, lang)}</span> {escape(gettext("visas", lang))}</div>'
    )
