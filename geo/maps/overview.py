"""The overview page of a many-area run (``overview.html``): a map of the areas and a table (sv or en).

The map (self-contained, as every lägesbild map: Leaflet embedded, no request but tiles) colours each
municipality by reports per km²; its popup gives the figures and links to the area's own maps. The table
below lists every area sorted by what changed (new plus ended hot-spots); failed areas come first, with
their error. The words around the map (heading, counts, popups, table) are the templates
``overview/*.html`` (:mod:`geo.templating`: autoescaped, through the catalogue), numbers by Babel.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element
from folium.utilities import _parse_size

from geo import i18n
from geo.i18n import N_
from geo.maps.base import base_map
from geo.maps.elements import DataLayer
from geo.maps.escape import Markup
from geo.templating import render

__all__ = ["changed", "overview_html"]

_COLOURS = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")
"""Five classes of reports per km², light to dark."""

_HEADERS = (
    ("code", N_("Kod")),
    ("name", N_("Kommun")),
    ("status", N_("Status")),
    ("reports", N_("Rapporter")),
    ("hotspots", N_("Hot-spots")),
    ("new", N_("Nya")),
    ("continuing", N_("Kvarstår")),
    ("ended", N_("Upphört")),
    ("proposals", N_("Förslag")),
    ("measures", N_("Åtgärder")),
    ("verdict_decrease", N_("Minskning")),
    ("verdict_increase", N_("Ökning")),
    ("verdict_no_clear_effect", N_("Ingen tydlig effekt")),
    ("verdict_too_early", N_("För tidigt")),
    ("reports_per_km2", N_("Rapporter per km²")),
    ("reports_per_1000", N_("Per 1 000 invånare")),
)
"""The table's columns (``overview.csv``'s names) and their headings; the first three are not figures."""


def _fmt(value: object, lang: str, digits: int = 0) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return i18n.MISSING
    if isinstance(value, int | np.integer | float | np.floating):
        return i18n.number(value, lang, decimals=digits)
    return str(value)


def _row(row: pd.Series, lang: str) -> dict[str, Any]:
    """Return one area's figures, formatted for `lang` (for the popup and the table)."""
    figures = [_fmt(row[key], lang, 2 if key.startswith("reports_per") else 0) for key, _ in _HEADERS[3:]]
    labels = [i18n.gettext(label, lang) for _, label in _HEADERS[3:]]
    return {
        "code": str(row["code"]),
        "name": str(row["name"]),
        "failed": row["status"] != "ok",
        "error": str(row.get("error") or ""),
        "map": str(row.get("map") or ""),
        "figures": figures,
        "labelled": list(zip(labels, figures, strict=True)),
    }


def _popup(row: pd.Series, lang: str) -> Markup:
    """Return the area's popup: our own HTML from an autoescaped template."""
    return Markup(render("overview/popup.html", lang, row=_row(row, lang)))


def _classes(values: pd.Series) -> list[str]:
    x = pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()
    ok = np.isfinite(x)
    if not ok.any():
        return ["#cccccc"] * len(x)
    edges = np.unique(np.quantile(x[ok], [0.2, 0.4, 0.6, 0.8]))
    cls = np.searchsorted(edges, np.where(ok, x, 0.0), side="right")
    return [_COLOURS[min(int(c), 4)] if good else "#cccccc" for c, good in zip(cls, ok, strict=True)]


def changed(table: pd.DataFrame) -> pd.DataFrame:
    """Return the table sorted by what changed: failed first, then new plus ended hot-spots, reports."""
    change = table["new"].fillna(0).astype(int) + table["ended"].fillna(0).astype(int)
    return (
        table.assign(_change=change, _failed=table["status"] != "ok")
        .sort_values(["_failed", "_change", "hotspots", "reports"], ascending=False, na_position="last")
        .drop(columns=["_change", "_failed"])
    )


def overview_html(
    table: pd.DataFrame,
    areas: gpd.GeoDataFrame,
    *,
    title: str = "Lägesbild",
    outside: dict[str, int] | None = None,
    tiles: str = "osm",
    demo: bool = False,
    lang: str = "sv",
) -> str:
    """Return the overview page: a map of the areas with their figures, and the table sorted by change.

    Parameters
    ----------
    table
        ``overview.csv``'s rows (:data:`geo.region.overview.OVERVIEW_COLUMNS`).
    areas
        The areas' polygons (``code``, WGS84).
    title
        The run's title.
    outside
        Reports in a municipality not chosen (``elsewhere``) and in none (``nowhere``).
    tiles
        The base map (:func:`geo.maps.base.parse_tiles`).
    demo
        Label the page "syntetiska demodata".
    lang
        ``"sv"`` or ``"en"``: every word and number of the page and its map.

    Raises
    ------
    ValueError
        If `lang` is not ``"sv"`` or ``"en"``.
    """
    i18n.check_lang(lang)
    shapes = areas[["code", "geometry"]].merge(table, on="code", how="left")
    shapes = gpd.GeoDataFrame(shapes, geometry="geometry", crs=areas.crs).to_crs("EPSG:4326")
    w, s, e, n = (round(float(v), 4) for v in shapes.total_bounds)
    heading = i18n.gettext("%(title)s – översikt", lang, title=title)
    m = base_map([[s, w], [n, e]], tiles=tiles, lang=lang, title=heading)
    m.height = _parse_size("62vh")
    colours = _classes(shapes["reports_per_km2"])
    styles = [
        {"fillColor": c, "color": "#333", "weight": 1, "fillOpacity": 0.7} for c in (*_COLOURS, "#cccccc")
    ]
    styles.append({"fillColor": "#cccccc", "color": "#c00", "weight": 3, "fillOpacity": 0.7})
    features = []
    for (_, row), colour in zip(shapes.iterrows(), colours, strict=True):
        k = _COLOURS.index(colour) if colour in _COLOURS else len(_COLOURS)
        if row["status"] != "ok":
            k = len(styles) - 1
        reports = i18n.ngettext("%(num)s rapport", "%(num)s rapporter", _count(row["reports"]), lang)
        props = {"_k": k, "_p": _popup(row, lang), "_t": f"{row['name']} ({row['code']}): {reports}"}
        geom = shapely.set_precision(row.geometry.simplify(0.002), 1e-5)
        features.append({"type": "Feature", "properties": props, "geometry": geom.__geo_interface__})
    legend = i18n.gettext("Rapporter per km² (femtedelar); rött: området misslyckades", lang)
    fc = {"type": "FeatureCollection", "features": features}
    DataLayer("areas", i18n.gettext("Kommuner", lang), fc, styles=styles, legend=legend).add_to(m)
    root = m.get_root()
    intro = render(
        "overview/intro.html",
        lang,
        title=title,
        demo=demo,
        counts=_counts(table, outside or {}, lang),
        failed=int((table["status"] != "ok").sum()),
    )
    root.html.add_child(Element(intro), index=0)  # type: ignore[attr-defined]
    page = str(root.render())
    rows = [_row(row, lang) for _, row in changed(table).iterrows()]
    headers = [i18n.gettext(label, lang) for _, label in _HEADERS]
    below = render("overview/table.html", lang, headers=headers, rows=rows)  # under the map
    head, sep, tail = page.rpartition("</body>")
    return f"{head}{below}{sep}{tail}" if sep else page + below


def _count(value: object) -> int:
    return 0 if value is None or value is pd.NA or pd.isna(value) else int(value)  # type: ignore[call-overload]


def _counts(table: pd.DataFrame, outside: dict[str, int], lang: str) -> str:
    """Say the period's reports, in how many areas, and those outside the chosen ones (``outside.csv``)."""
    n = int(table["reports"].fillna(0).sum())
    reports = i18n.ngettext("%(num)s rapport", "%(num)s rapporter", n, lang)
    areas = i18n.ngettext("%(num)s område", "%(num)s områden", len(table), lang)
    return i18n.gettext(
        "%(reports)s i perioden i %(areas)s; %(elsewhere)s i kommuner utanför urvalet och %(nowhere)s utan "
        "kommun (se outside.csv).",
        lang,
        reports=reports,
        areas=areas,
        elsewhere=i18n.number(outside.get("elsewhere", 0), lang),
        nowhere=i18n.number(outside.get("nowhere", 0), lang),
    )
