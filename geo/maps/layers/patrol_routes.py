"""One patrol route at a time: the shift (and unit) chosen from a list, its stops numbered in visit order.

Drawing every shift's route at once hides them all; this layer holds one small GeoJSON per route and shows
the one chosen in the ``<select>`` of its legend. A route follows the streets when the plan was made with
streets (the visits' ``path`` column), else it is a straight line between the stops.
"""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from offlinefolium.template import Template
from shapely.geometry import LineString

from geo.i18n import gettext, ngettext, number
from geo.maps.aggregate import feature_collection
from geo.maps.escape import escape
from geo.maps.registry import LeanMap, js_dumps
from geo.maps.style import popup_html
from geo.texts import WEEKDAYS

__all__ = ["ShiftRoutes", "add_patrol_routes", "route_groups"]

_COLOR = "#08519c"


class ShiftRoutes(MacroElement):
    """A layer of routes of which one is shown, chosen in a select list in the layer's legend.

    Parameters
    ----------
    key, name, show
        As for :class:`geo.maps.elements.DataLayer`.
    labels
        The list's entries, one per route.
    routes
        One GeoJSON FeatureCollection per route (WGS84): the line (``_k`` 1) and the stops (``_k`` 0, with
        the order ``_n`` and popup ``_p``).
    legend
        Legend HTML; a ``<select class="lb-route-select">`` is put first.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function () {"
        "var R = {{ this.routes }}, N = {{ this.labels }}, key = {{ this.key }};"
        "var S = [{color: '" + _COLOR + "', fillColor: '" + _COLOR + "'},"
        " {color: '" + _COLOR + "', weight: 4, opacity: 0.8}];"
        "var g = L.layerGroup(); g._lbCount = R.length;"
        "function layerOf(fc) { return L.geoJSON(fc, {"
        "  style: function (f) { return S[f.properties._k || 0]; },"
        "  pointToLayer: function (f, ll) { return L.marker(ll, {icon: L.divIcon({className: 'lb-num',"
        "    iconSize: [22, 22], html: '<span style=\"background:" + _COLOR + "\">' + f.properties._n"
        "    + '</span>'})}); },"
        "  onEachFeature: function (f, l) { if (f.properties._p) { l.bindPopup(f.properties._p,"
        " {maxWidth: 400}); } if (f.properties._t) { l.bindTooltip(f.properties._t); } } }); }"
        "function show(i) { g.clearLayers(); if (R[i]) { g.addLayer(layerOf(R[i])); } }"
        "function fill() { var sel = document.querySelector('select.lb-route-select');"
        "  if (!sel || sel.options.length) { return; }"
        "  N.forEach(function (n, i) { var o = document.createElement('option'); o.value = i;"
        "    o.textContent = n; sel.appendChild(o); });"
        "  sel.addEventListener('change', function () { show(parseInt(sel.value, 10)); });"
        "  L.DomEvent.disableClickPropagation(sel); }"
        "g.on('add', function () { fill(); if (!g.getLayers().length) { show(0); } });"
        "document.addEventListener('DOMContentLoaded', fill); setTimeout(fill, 0);"
        "LB.register(key, g, {{ this.opts }});"
        "})();"
        "{% endmacro %}"
    )

    def __init__(
        self,
        key: str,
        name: str,
        labels: list[str],
        routes: list[dict[str, Any]],
        *,
        show: bool = False,
        legend: str = "",
    ) -> None:
        super().__init__()
        self._name = "ShiftRoutes"
        self.key = js_dumps(key)
        self.labels = js_dumps(labels)
        self.routes = js_dumps(routes)
        self.opts = js_dumps({"name": name, "show": bool(show), "legend": legend})


def _weekday_words(text: str, lang: str) -> str:
    """Translate the Swedish day names in `text` ("fredag 23:00–07:00") into `lang`."""
    for sv, other in zip(WEEKDAYS["sv"], WEEKDAYS[lang], strict=True):
        text = text.replace(sv, other)
    return text


def route_groups(pts: gpd.GeoDataFrame, *, lang: str = "sv") -> list[tuple[str, gpd.GeoDataFrame]]:
    """Return ``(label, visits in order)`` per route: shift (and unit when several) in `lang`, time order."""
    units = pts["unit"] if "unit" in pts.columns else pd.Series(1, index=pts.index)
    multi = units.nunique() > 1
    out = []
    for (_, unit), g in pts.assign(_unit=units).groupby(["_shift", "_unit"], sort=True):
        g = g.sort_values("order")
        first = g.iloc[0]
        shift = str(first["shift"]) if "shift" in g.columns else f"{first['weekday']} {first['date']}"
        visits = ngettext("%(num)s besök", "%(num)s besök", len(g), lang)
        label = f"{_weekday_words(shift, lang)} · {visits}"
        if multi:
            label += " · " + gettext("enhet %(unit)s", lang, unit=int(unit))
        out.append((label, g))
    return out


def _line(g: gpd.GeoDataFrame) -> LineString | None:
    coords: list[tuple[float, float]] = []
    for k, (_, r) in enumerate(g.iterrows()):
        path = str(r.get("path", "") or "") if k > 0 else ""
        if path and path != "nan":
            coords.extend((float(x), float(y)) for x, y in json.loads(path))
        coords.append((r.geometry.x, r.geometry.y))
    return LineString(coords) if len(coords) >= 2 else None


def _route(g: gpd.GeoDataFrame, *, lang: str) -> dict[str, Any]:
    geoms: list[Any] = []
    props: list[dict[str, Any]] = []
    line = _line(g)
    if line is not None:
        geoms.append(line)
        props.append({"_k": 1, "_t": f"{g.iloc[0]['start']}–{g.iloc[-1]['end']}"})
    # one badge per place of the route, numbered with its visits' orders ("1, 3, 5" when it is revisited)
    for _, stops in g.groupby("place_id", sort=False):
        rows = []
        for _, r in stops.iterrows():
            value = f"{r['start']}–{r['end']}"
            if "expected_incidents" in g.columns and pd.notna(r["expected_incidents"]):
                expected = number(r["expected_incidents"], lang, decimals=2)
                value += f" · {gettext('förväntade händelser', lang)} {expected}"
            rows.append((f"{gettext('ordning', lang)} {int(r['order'])}", value))
        orders = ", ".join(str(int(o)) for o in stops["order"])
        geoms.append(stops.geometry.iloc[0])
        props.append({"_k": 0, "_n": orders, "_p": popup_html(str(stops["place"].iloc[0]), rows)})
    frame = gpd.GeoDataFrame(geometry=geoms, crs="EPSG:4326")
    return feature_collection(frame, props)


def add_patrol_routes(m: LeanMap, pts: gpd.GeoDataFrame, *, lang: str = "sv", show: bool = False) -> LeanMap:
    """Add the one-route-at-a-time layer for visits `pts` (WGS84 points with ``_shift``) to the map."""
    groups = route_groups(pts, lang=lang)
    if not groups:
        return m
    help_text = gettext(
        "Välj pass i listan. Siffran är besökets ordning i passet; linjen är rutten (längs gatorna när "
        "planen gjordes med gator).",
        lang,
    )
    name = gettext("Patrullrutt (ett pass i taget)", lang)
    legend = (
        f'<select class="lb-route-select" aria-label="{escape(gettext("pass", lang))}"></select><br>'
        f"<b>{escape(name)}</b><br>{escape(help_text)}"
    )
    ShiftRoutes(
        "patrol_route",
        name,
        [label for label, _ in groups],
        [_route(g, lang=lang) for _, g in groups],
        show=show,
        legend=legend,
    ).add_to(m)
    return m
