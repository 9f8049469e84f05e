"""The page the map lives in: a lean Leaflet map and the layer registry (``window.LB``) every layer uses.

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
from typing import Any

from branca.element import MacroElement
from offlinefolium import Map as OfflineMap
from offlinefolium.template import Template

__all__ = ["NEUTRAL_BACKGROUND", "LeanMap", "RegistryHeader", "RegistryInit", "js_dumps"]

LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
"""Keys of the embedded Leaflet resources in ``offlinefolium`` (no request is made to these addresses)."""

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
.lb-legend { font-size: 12px; max-height: calc(45vh - 40px); overflow-y: auto; }
.lb-legend > summary { cursor: pointer; font-weight: bold; margin-bottom: 4px; }
#lb-layer-control { max-height: calc(55vh - 30px); overflow-y: auto; }
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
  bounds: null, counts: {}, legendTitle: '',
  register: function (key, layer, opts) {
    this.layers[key] = layer; this.order.push(key);
    layer._lbKey = key; layer._lbOpts = opts;
  },
  base: function (name, layer, active, kind) { this.bases.push([name, layer, active, kind || 'tiles']); },
  offline: false,
  goOffline: function () {
    var self = this, map = self.map, street = null;
    self.bases.forEach(function (b) { if (b[3] === 'offline') { street = b[1]; } });
    if (!street || map.hasLayer(street)) { return; }
    self.bases.forEach(function (b) { if (map.hasLayer(b[1])) { map.removeLayer(b[1]); } });
    street.addTo(map); self.offline = true; document.body.setAttribute('data-lb-offline', '1');
  },
  featureCount: function (key) {
    var l = this.layers[key]; if (!l) { return null; }
    if (l._lbCount !== undefined) { return l._lbCount; }
    return l.getLayers ? l.getLayers().length : null;
  },
  visible: function (key) { var l = this.layers[key]; return !!(l && this.map && this.map.hasLayer(l)); },
  init: function (map) {
    var self = this; self.map = map;
    var baseMap = {}, overlays = {};
    var hasStreets = self.bases.some(function (b) { return b[3] === 'offline'; });
    self.bases.forEach(function (b) {
      baseMap[b[0]] = b[1];
      if (b[3] === 'tiles' && hasStreets && b[1].on) {  // no internet: the streets in the page instead
        var loaded = false;
        b[1].on('tileload', function () { loaded = true; });
        b[1].on('tileerror', function () { if (!loaded && map.hasLayer(b[1])) { self.goOffline(); } });
      }
      if (b[2]) { b[1].addTo(map); }
    });
    if (hasStreets && navigator.onLine === false) { self.goOffline(); }
    L.control.scale({metric: true, imperial: false, maxWidth: 150}).addTo(map);
    // the right column: the layer list at the top, the legends (collapsible) at the bottom, each within its
    // half of the window and scrolled when longer, so they never cover each other on a laptop screen
    var legendBox = L.DomUtil.create('details', 'lb-panel lb-legend');
    legendBox.open = true; legendBox.setAttribute('id', 'lb-legends');
    L.DomUtil.create('summary', '', legendBox).textContent = self.legendTitle;
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
    legend.onAdd = function () {
      L.DomEvent.disableClickPropagation(legendBox); L.DomEvent.disableScrollPropagation(legendBox);
      return legendBox;
    };
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
"""  # noqa: E501 - a CSS rule of the page, kept on one line


class RegistryHeader(MacroElement):
    """Page header: the layer registry script and the map's shared styles."""

    _template = Template("{% macro header(this, kwargs) %}{{ this.code }}{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = "LagesbildRegistry"
        self.code = _REGISTRY_JS % {"bg": NEUTRAL_BACKGROUND}


class RegistryInit(MacroElement):
    """Runs ``LB.init(map)`` once the whole page (every layer script) has been parsed."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "LB.bounds = {{ this.bounds }}; LB.legendTitle = {{ this.legend_title }};"
        "document.addEventListener('DOMContentLoaded', function () { LB.init({{ this.map_name }}); });"
        "{% endmacro %}"
    )

    def __init__(
        self, map_name: str, bounds: Sequence[Sequence[float]] | None, *, legend_title: str = ""
    ) -> None:
        super().__init__()
        self._name = "LagesbildInit"
        self.map_name = map_name
        self.legend_title = js_dumps(legend_title)
        self.bounds = js_dumps([list(b) for b in bounds]) if bounds else "null"
