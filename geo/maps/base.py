"""The base map: a lean, self-contained Leaflet page with base layers, a layer registry, legends and panels.

Leaflet and its plugins come embedded from the ``folium-offline`` package (import ``offlinefolium``), which
ships their JavaScript and CSS (icons as data URIs) inside the package: the page makes no request but tile
requests. Only what the map uses is embedded (Leaflet itself, and Leaflet.markercluster when a clustered
layer is present); jQuery, Bootstrap and the icon fonts that folium adds by default are left out.

Layers do not use folium's ``LayerControl``. Each layer registers itself in a small page-level registry
(``window.LB``) with its name, whether it shows on opening and its legend; when the page has been parsed the
registry builds one layer control, shows the default layers, wires each legend to its layer and finally sets
``LB.ready`` (and ``LB.readyMs``, milliseconds since navigation start). Tests and the benchmark wait for it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from typing import Any

from branca.element import Element, MacroElement
from offlinefolium import Map as OfflineMap
from offlinefolium.elements import JSCSSMixin
from offlinefolium.template import Template

from geo.maps.aggregate import public_coord
from geo.maps.texts import text

__all__ = [
    "BASE_TILES",
    "ClusterLayer",
    "DataLayer",
    "HtmlPanel",
    "LeanMap",
    "TileBase",
    "add_base_layers",
    "base_map",
    "js_dumps",
    "parse_tiles",
]

LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
"""Keys of the embedded Leaflet resources in ``offlinefolium`` (no request is made to these addresses)."""

BASE_TILES: dict[str, tuple[str, str]] = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ),
    "light": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors &copy; '
        '<a href="https://carto.com/attributions">CARTO</a>',
    ),
    "dark": (
        "https://{s}.basemaps.cartocdn.com/dark_all/{z}/{x}/{y}{r}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors &copy; '
        '<a href="https://carto.com/attributions">CARTO</a>',
    ),
}
"""Named base maps: tile URL template and attribution."""

NEUTRAL_BACKGROUND = "#eceae4"
"""Map background when no tiles are shown (or before they load)."""


def js_dumps(obj: Any) -> str:
    r"""Serialise `obj` as compact JSON that is safe inside an inline ``<script>``.

    ``<``, ``>``, ``&`` and ``'`` are written as ``\\uXXXX`` escapes, so no text (a report's description,
    say) can close the script element or start markup in the page source.
    """
    return (
        json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class LeanMap(OfflineMap):
    """An ``offlinefolium.Map`` that embeds only Leaflet (no jQuery, Bootstrap or icon fonts)."""

    default_js = [("leaflet", LEAFLET_JS)]
    default_css = [("leaflet_css", LEAFLET_CSS)]


_REGISTRY_JS = """
<style>
.leaflet-container { background: %(bg)s; font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.lb-panel { background: rgba(255,255,255,0.94); padding: 6px 9px; border-radius: 5px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); max-width: 340px; }
.lb-panel h3 { margin: 0 0 3px 0; font-size: 15px; }
.lb-footer { font-size: 11px; max-width: 520px; }
.lb-demo { color: #fff; background: #b2182b; font-weight: bold; padding: 2px 6px; border-radius: 3px;
  display: inline-block; margin: 2px 0; }
.lb-legend { font-size: 12px; }
.lb-legend .lb-leg { margin-bottom: 6px; }
.lb-legend .lb-leg b { display: block; }
.lb-sw { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: middle;
  border: 1px solid #555; }
.lb-num span { display: inline-block; min-width: 18px; height: 18px; line-height: 18px; border-radius: 9px;
  color: #fff; font: bold 11px sans-serif; text-align: center; border: 2px solid #fff;
  box-shadow: 0 0 2px #000; }
.lb-pop table { border-collapse: collapse; font-size: 12px; }
.lb-pop td { padding: 1px 6px 1px 0; vertical-align: top; }
.lb-pop td:first-child { color: #555; }
.lb-pop h4 { margin: 0 0 4px 0; font-size: 14px; }
</style>
<script>
window.LB = {
  map: null, layers: {}, order: [], bases: [], legends: {}, panels: [], ready: false, readyMs: null,
  bounds: null, counts: {},
  register: function (key, layer, opts) {
    this.layers[key] = layer; this.order.push(key);
    layer._lbKey = key; layer._lbOpts = opts;
  },
  base: function (name, layer, active) { this.bases.push([name, layer, active]); },
  featureCount: function (key) {
    var l = this.layers[key]; if (!l) { return null; }
    if (l._lbCount !== undefined) { return l._lbCount; }
    return l.getLayers ? l.getLayers().length : null;
  },
  visible: function (key) { var l = this.layers[key]; return !!(l && this.map && this.map.hasLayer(l)); },
  init: function (map) {
    var self = this; self.map = map;
    var baseMap = {}, overlays = {};
    self.bases.forEach(function (b) { baseMap[b[0]] = b[1]; if (b[2]) { b[1].addTo(map); } });
    var legendBox = L.DomUtil.create('div', 'lb-panel lb-legend');
    self.order.forEach(function (key) {
      var layer = self.layers[key], o = layer._lbOpts || {};
      overlays[o.name || key] = layer;
      if (o.legend) {
        var d = L.DomUtil.create('div', 'lb-leg', legendBox);
        d.setAttribute('data-layer', key); d.innerHTML = o.legend; d.style.display = 'none';
        self.legends[key] = d;
      }
      if (o.show) { layer.addTo(map); if (self.legends[key]) { self.legends[key].style.display = ''; } }
    });
    var ctl = L.control.layers(baseMap, overlays, {collapsed: false, position: 'topright'}).addTo(map);
    ctl.getContainer().setAttribute('id', 'lb-layer-control');
    var legend = L.control({position: 'bottomright'});
    legend.onAdd = function () { L.DomEvent.disableClickPropagation(legendBox); return legendBox; };
    legend.addTo(map);
    map.on('overlayadd overlayremove', function (e) {
      var d = self.legends[e.layer._lbKey];
      if (d) { d.style.display = e.type === 'overlayadd' ? '' : 'none'; }
    });
    self.panels.forEach(function (p) {
      var c = L.control({position: p[0]});
      c.onAdd = function () {
        var div = L.DomUtil.create('div', p[2]); div.innerHTML = p[1];
        L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div); return div;
      };
      c.addTo(map);
    });
    if (self.bounds) { map.fitBounds(self.bounds, {animate: false}); }
    requestAnimationFrame(function () { requestAnimationFrame(function () {
      self.ready = true; self.readyMs = performance.now();
      document.body.setAttribute('data-lb-ready', '1');
    }); });
  }
};
</script>
"""


class _Registry(MacroElement):
    """Page header: the layer registry script and the map's shared styles."""

    _template = Template("{% macro header(this, kwargs) %}{{ this.code }}{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = "LagesbildRegistry"
        self.code = _REGISTRY_JS % {"bg": NEUTRAL_BACKGROUND}


class _Init(MacroElement):
    """Runs ``LB.init(map)`` once the whole page (every layer script) has been parsed."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "LB.bounds = {{ this.bounds }};"
        "document.addEventListener('DOMContentLoaded', function () { LB.init({{ this.map_name }}); });"
        "{% endmacro %}"
    )

    def __init__(self, map_name: str, bounds: Sequence[Sequence[float]] | None) -> None:
        super().__init__()
        self._name = "LagesbildInit"
        self.map_name = map_name
        self.bounds = js_dumps([list(b) for b in bounds]) if bounds else "null"


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


class DataLayer(MacroElement):
    """A GeoJSON overlay registered in the page's layer registry.

    Features carry their style as an index ``_k`` into `styles`, their popup HTML in ``_p``, a tooltip in
    ``_t`` and, for points, an optional number label ``_n`` (rank or visit order) drawn as a round badge.

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
        HTML shown under the map while the layer is visible.
    canvas
        Draw with Leaflet's canvas renderer (fast for thousands of polygons) instead of SVG.
    point_radius
        Radius in pixels of circle markers for point features without a number label.
    popup_template
        Trusted popup HTML with ``{property}`` placeholders, filled (HTML-escaped) in the browser from each
        feature's properties when it has no ``_p``; keeps thousands of similar popups out of the page.
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
        "    return String(f.properties[k]).replace(/[&<>\"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });"
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
        self.template = js_dumps(popup_template)
        self.key = js_dumps(key)
        self.data = js_dumps(geojson)
        self.styles = js_dumps(list(styles))
        self.opts = js_dumps({"name": name, "show": bool(show), "legend": legend})
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
        ``[lat, lon, category index, local time in minutes since 1970 (naive), id suffix, description]`` per
        point; text is HTML-escaped in the browser.
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
        "function esc(s) { return String(s).replace(/[&<>\"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }"
        "function pop(r) { var t = new Date(r[3] * 60000).toISOString().slice(0, 16).replace('T', ' ');"
        "  return '<div class=\"lb-pop\"><h4>' + esc(N[r[2]]) + '</h4>' + t + '<br><span style=\"color:#666\">'"
        "    + esc(P + r[4]) + '</span>' + (r[5] ? '<br>' + esc(r[5]) : '') + '</div>'; }"
        "var g = L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50});"
        "g._lbCount = D.length; var filled = false;"
        "g.on('add', function () { if (filled) { return; } filled = true; var ms = new Array(D.length);"
        "  for (var i = 0; i < D.length; i++) { var r = D[i];"
        "    var m = L.circleMarker([r[0], r[1]], {radius: 5, color: '#fff', weight: 1, fillColor: C[r[2]],"
        "      fillOpacity: 0.9});"
        "    m.bindPopup(pop.bind(null, r)); ms[i] = m; }"
        "  g.addLayers(ms); });"
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
        self.opts = js_dumps({"name": name, "show": bool(show), "legend": legend})


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
        "{% macro script(this, kwargs) %}LB.panels.push([{{ this.position }}, {{ this.html }}, {{ this.cls }}]);"
        "{% endmacro %}"
    )

    def __init__(self, html: str, *, position: str = "bottomleft", css_class: str = "lb-panel") -> None:
        super().__init__()
        self._name = "HtmlPanel"
        if position not in {"topleft", "topright", "bottomleft", "bottomright"}:
            raise ValueError(f"position must be a Leaflet corner, got '{position}'")
        self.position = js_dumps(position)
        self.html = js_dumps(html)
        self.cls = js_dumps(css_class)


def parse_tiles(tiles: str) -> str | None:
    """Check a ``--tiles`` value: ``osm``, ``light``, ``dark``, ``none`` or a tile URL template.

    Parameters
    ----------
    tiles
        The value; a URL must contain ``{z}``, ``{x}`` and ``{y}`` (a local tile server is fine, e.g.
        ``http://tiles.local/{z}/{x}/{y}.png``).

    Returns
    -------
    tiles
        The named base map, the URL, or ``None`` for no tiles.

    Raises
    ------
    ValueError
        For anything else, naming the allowed values.
    """
    value = tiles.strip()
    if value.lower() in {"none", "ingen", ""}:
        return None
    if value.lower() in BASE_TILES:
        return value.lower()
    if all(p in value for p in ("{z}", "{x}", "{y}")):
        return value
    raise ValueError(
        f"--tiles must be osm, light, dark, none or a tile URL with {{z}}/{{x}}/{{y}}, got '{tiles}'"
    )


def add_base_layers(m: LeanMap, tiles: str = "osm", *, lang: str = "sv") -> LeanMap:
    """Add the base-map switcher: OpenStreetMap, light, dark (or a custom URL) and a neutral no-tile base.

    Parameters
    ----------
    m
        The map.
    tiles
        What shows on opening: ``osm`` (default), ``light``, ``dark``, ``none`` (no tiles at all: the page
        then makes no request whatsoever) or a tile URL template (a local tile server). With a URL the
        named internet base maps are left out, so an offline network is never asked for them.
    lang
        Language of the labels.
    """
    choice = parse_tiles(tiles)
    if choice is None:
        TileBase(text("base_none", lang), None, active=True).add_to(m)
        return m
    if choice in BASE_TILES:
        for name in ("osm", "light", "dark"):
            url, attribution = BASE_TILES[name]
            TileBase(text(f"base_{name}", lang), url, attribution=attribution, active=name == choice).add_to(
                m
            )
    else:
        TileBase(text("base_custom", lang), choice, attribution="", active=True).add_to(m)
    TileBase(text("base_none", lang), None, active=False).add_to(m)
    return m


def base_map(
    bounds: Sequence[Sequence[float]] | None,
    *,
    tiles: str = "osm",
    lang: str = "sv",
    title: str | None = None,
) -> LeanMap:
    """Create an empty lägesbild map fitted to `bounds`, with base layers and the layer registry.

    Parameters
    ----------
    bounds
        ``[[south, west], [north, east]]`` in degrees, or ``None`` for the whole world.
    tiles
        See :func:`add_base_layers`.
    lang
        Language of the labels.
    title
        Page title (the browser tab).

    Returns
    -------
    m
        The map; add layers with the ``add_*`` functions of :mod:`geo.maps.layers`, then render it with
        :func:`geo.maps.render_html`.
    """
    if bounds:
        (s, w), (n, e) = bounds
        center = [public_coord(round((s + n) / 2, 3)), public_coord(round((w + e) / 2, 3))]
    else:
        center = [0.0, 0.0]
    m = LeanMap(location=center, zoom_start=12 if bounds else 2, tiles=None, control_scale=True)
    root = m.get_root()
    if title:
        root.title = escape(title)
    root.header.add_child(Element('<meta name="generator" content="lagesbild">'), name="lb_generator")
    _Registry().add_to(m)
    _Init(m.get_name(), bounds).add_to(m)
    add_base_layers(m, tiles, lang=lang)
    return m
