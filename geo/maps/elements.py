"""The page elements a map is made of: base-map tiles, GeoJSON layers, clustered points and fixed panels.

Each element registers itself in the page's layer registry (:mod:`geo.maps.registry`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from branca.element import MacroElement
from offlinefolium.elements import JSCSSMixin
from offlinefolium.template import Template

from geo.maps.escape import as_html, safe_properties
from geo.maps.registry import js_dumps

__all__ = ["ClusterLayer", "DataLayer", "HtmlPanel", "StreetBase", "TileBase"]


class TileBase(MacroElement):
    """One base map (tiles, or an empty neutral layer when `url` is ``None``) in the base-map switcher."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "LB.base({{ this.label }}, {{ this.layer_js }}, {{ this.active }});"
        "{% endmacro %}"
    )

    def __init__(self, label: str, url: str | None, *, attribution: str = "", active: bool = False) -> None:
        super().__init__()
        self._name = "TileBase"
        self.label = js_dumps(label)
        self.active = "true" if active else "false"
        if url is None:
            self.layer_js = "L.layerGroup()"
        else:
            opts = {"attribution": attribution, "maxZoom": 19, "subdomains": "abcd", "r": ""}
            self.layer_js = f"L.tileLayer({js_dumps(url)}, {js_dumps(opts)})"


class StreetBase(MacroElement):
    """An offline base map: street lines kept in the page, each with its name as tooltip.

    Registered as a base map of kind ``offline``: the page switches to it by itself when the tiles cannot
    be loaded (no internet), and offers it in the base-map switcher beside the tiles.

    Parameters
    ----------
    label
        Name in the base-map switcher.
    geojson
        Lines in WGS84; properties ``n`` (name, may be missing) and ``w`` (line weight in pixels).
    active
        Shown on opening.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function () {"
        "function esc(s) { return String(s).replace(/[&<>\"']/g,"
        " function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }"
        "var layer = L.geoJSON({{ this.data }}, {"
        "style: function (f) { return {color: '#ffffff', weight: (f.properties.w || 2) + 2, opacity: 1}; },"
        "interactive: false});"
        "var top = L.geoJSON({{ this.data }}, {"
        "style: function (f) { return {color: '#9a958a', weight: f.properties.w || 2, opacity: 1}; },"
        "onEachFeature: function (f, l) { if (f.properties.n) {"
        " l.bindTooltip(esc(f.properties.n), {sticky: true, direction: 'top'}); } }});"
        "LB.base({{ this.label }}, L.layerGroup([layer, top]), {{ this.active }}, 'offline');"
        "})();"
        "{% endmacro %}"
    )

    def __init__(self, label: str, geojson: dict[str, Any], *, active: bool = False) -> None:
        super().__init__()
        self._name = "StreetBase"
        self.label = js_dumps(label)
        self.data = js_dumps(geojson)
        self.active = "true" if active else "false"


class DataLayer(MacroElement):
    """A GeoJSON overlay registered in the page's layer registry.

    Features carry their style as an index ``_k`` into `styles`, their popup in ``_p`` (HTML when a
    :class:`~markupsafe.Markup`, else escaped as text), a tooltip in ``_t`` (always text, escaped here)
    and, for points, an optional number label ``_n`` (rank or visit order) drawn as a round badge.

    Parameters
    ----------
    key
        Registry key (``"hotspots"``, ``"grid"``, ...); tests and legends refer to layers by it.
    name
        Label in the layer control.
    geojson
        A FeatureCollection in WGS84 (already rounded; see :mod:`geo.maps.aggregate`).
    styles
        Leaflet path options, indexed by each feature's ``_k``.
    show
        Whether the layer is visible when the map opens.
    legend
        Shown under the map while the layer is visible (HTML when a :class:`~markupsafe.Markup`, else text).
    canvas
        Draw with Leaflet's canvas renderer (fast for thousands of polygons) instead of SVG.
    point_radius
        Radius in pixels of circle markers for point features without a number label.
    popup_template
        Popup HTML (a :class:`~markupsafe.Markup`) with ``{property}`` placeholders, filled (HTML-escaped)
        in the browser from each feature's properties when it has no ``_p``; keeps thousands of similar
        popups out of the page.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function () {"
        "var S = {{ this.styles }}, T = {{ this.template }};"
        "var opts = {"
        "style: function (f) { return S[f.properties._k || 0]; },"
        "pointToLayer: function (f, ll) {"
        "  var s = S[f.properties._k || 0];"
        "  if (f.properties._n !== undefined) {"
        "    return L.marker(ll, {icon: L.divIcon({className: 'lb-num', iconSize: [22, 22],"
        "      html: '<span style=\"background:' + s.fillColor + '\">' + f.properties._n + '</span>'})});"
        "  }"
        "  return L.circleMarker(ll, L.extend({radius: {{ this.point_radius }}}, s));"
        "},"
        "onEachFeature: function (f, l) {"
        "  if (f.properties._p) { l.bindPopup(f.properties._p, {maxWidth: 400}); }"
        "  else if (T) { l.bindPopup(function () { return T.replace(/\\{(\\w+)\\}/g, function (m, k) {"
        "    return String(f.properties[k]).replace(/[&<>\"']/g,"
        " function (c) { return '&#' + c.charCodeAt(0) + ';'; });"
        "  }); }, {maxWidth: 400}); }"
        "  if (f.properties._t) { l.bindTooltip(f.properties._t); }"
        "}};"
        "{% if this.canvas %}opts.renderer = L.canvas({padding: 0.2});{% endif %}"
        "var layer = L.geoJSON({{ this.data }}, opts);"
        "LB.register({{ this.key }}, layer, {{ this.opts }});"
        "})();"
        "{% endmacro %}"
    )

    def __init__(
        self,
        key: str,
        name: str,
        geojson: dict[str, Any],
        *,
        styles: Sequence[dict[str, Any]],
        show: bool = True,
        legend: str = "",
        canvas: bool = False,
        point_radius: float = 6.0,
        popup_template: str | None = None,
    ) -> None:
        super().__init__()
        self._name = "DataLayer"
        self.template = js_dumps(None if popup_template is None else str(as_html(popup_template)))
        self.key = js_dumps(key)
        self.data = js_dumps(safe_properties(geojson))
        self.styles = js_dumps(list(styles))
        self.opts = js_dumps({"name": str(as_html(name)), "show": bool(show), "legend": str(as_html(legend))})
        self.canvas = canvas
        self.point_radius = float(point_radius)


class ClusterLayer(JSCSSMixin, MacroElement):
    """Points in a Leaflet.markercluster group, built in the browser only when the layer is switched on.

    The rows are kept as compact arrays; markers and their popups are created on the layer's first
    ``add``, so a hidden layer costs the page nothing but its data.

    Parameters
    ----------
    key, name, show, legend
        As for :class:`DataLayer`.
    rows
        ``[lat, lon, category index, local time in minutes since 1970 (naive), id suffix, description, week
        index]`` per point; text is HTML-escaped in the browser. The legend's ``.lb-f-cat`` and
        ``.lb-f-week`` selects (category and week index, ``-1`` for all) filter the points;
        ``LB.filterPoints(category, week)`` does the same and returns how many are shown.
    categories
        Category names, indexed by the rows' category index.
    colors
        Circle colour per category index.
    id_prefix
        Common prefix of the ids (stored once).
    """

    default_js = [
        (
            "markerclusterjs",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js",
        )
    ]
    default_css = [
        (
            "markerclustercss",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css",
        ),
        (
            "markerclusterdefaultcss",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css",
        ),
    ]

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function () {"
        "var D = {{ this.rows }}, C = {{ this.colors }}, N = {{ this.categories }}, P = {{ this.prefix }};"
        "function esc(s) { return String(s).replace(/[&<>\"']/g,"
        " function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }"
        "function pop(r) { var t = new Date(r[3] * 60000).toISOString().slice(0, 16).replace('T', ' ');"
        "  return '<div class=\"lb-pop\"><h4>' + esc(N[r[2]]) + '</h4>' + t"
        " + '<br><span style=\"color:#666\">'"
        "    + esc(P + r[4]) + '</span>' + (r[5] ? '<br>' + esc(r[5]) : '') + '</div>'; }"
        "var g = L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false,"
        " maxClusterRadius: 50});"
        "g._lbCount = D.length; var filled = false, ms = null, cat = -1, week = -1;"
        "function keep(i) { return (cat < 0 || D[i][2] === cat) && (week < 0 || D[i][6] === week); }"
        "function apply() { if (!ms) { return; } var on = [];"
        "  for (var i = 0; i < D.length; i++) { if (keep(i)) { on.push(ms[i]); } }"
        "  g.clearLayers(); g.addLayers(on); g._lbCount = on.length;"
        "  document.querySelectorAll('.lb-f-count').forEach(function (e) {"
        "    e.textContent = on.length.toLocaleString('sv-SE'); }); return on.length; }"
        "LB.filterPoints = function (c, w) { cat = c; week = w; return apply(); };"
        "document.addEventListener('change', function (e) { var t = e.target;"
        "  if (!t.classList || !(t.classList.contains('lb-f-cat') || t.classList.contains('lb-f-week'))) {"
        "    return; }"
        "  cat = parseInt(document.querySelector('.lb-f-cat').value, 10);"
        "  week = parseInt(document.querySelector('.lb-f-week').value, 10); apply(); });"
        "g.on('add', function () { if (filled) { return; } filled = true; ms = new Array(D.length);"
        "  for (var i = 0; i < D.length; i++) { var r = D[i];"
        "    var m = L.circleMarker([r[0], r[1]], {radius: 5, color: '#fff', weight: 1, fillColor: C[r[2]],"
        "      fillOpacity: 0.9});"
        "    m.bindPopup(pop.bind(null, r)); ms[i] = m; }"
        "  apply(); });"
        "LB.register({{ this.key }}, g, {{ this.opts }});"
        "})();"
        "{% endmacro %}"
    )

    def __init__(
        self,
        key: str,
        name: str,
        rows: Sequence[Sequence[Any]],
        *,
        categories: Sequence[str],
        colors: Sequence[str],
        id_prefix: str = "",
        show: bool = False,
        legend: str = "",
    ) -> None:
        super().__init__()
        self._name = "ClusterLayer"
        self.categories = js_dumps(list(categories))
        self.prefix = js_dumps(id_prefix)
        self.key = js_dumps(key)
        self.rows = js_dumps([list(r) for r in rows])
        self.colors = js_dumps(list(colors))
        self.opts = js_dumps({"name": str(as_html(name)), "show": bool(show), "legend": str(as_html(legend))})


class HtmlPanel(MacroElement):
    """A fixed box on the map (title, footer, a trend panel) holding trusted, already escaped HTML.

    Parameters
    ----------
    html
        The content.
    position
        Leaflet control corner: ``topleft``, ``topright``, ``bottomleft`` or ``bottomright``.
    css_class
        CSS classes of the box.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "LB.panels.push([{{ this.position }}, {{ this.html }}, {{ this.cls }}]);"
        "{% endmacro %}"
    )

    def __init__(self, html: str, *, position: str = "bottomleft", css_class: str = "lb-panel") -> None:
        super().__init__()
        self._name = "HtmlPanel"
        if position not in {"topleft", "topright", "bottomleft", "bottomright"}:
            raise ValueError(f"position must be a Leaflet corner, got '{position}'")
        self.position = js_dumps(position)
        self.html = js_dumps(str(as_html(html)))
        self.cls = js_dumps(css_class)
