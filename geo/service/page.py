"""The public report page (Swedish): a map to click, what feels unsafe, when, and send.

Leaflet's JavaScript and CSS come from the assets the ``folium-offline`` package embeds and are inlined, so
the page loads no script or style from any other server. Map tiles are OpenStreetMap's when reachable; the
study area's outline is drawn from the page itself, so the map is usable without tiles. Everything works with
the keyboard: the map takes focus, arrow keys pan, Enter places the marker at the centre (the cross), and
the position can also be typed or taken from the phone's location.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.i18n import gettext
from geo.service.categories import CATEGORIES

__all__ = ["area_view", "leaflet_assets", "report_page"]

_LEAFLET_JS = "npm/leaflet@1.9.3/dist/leaflet.js"
_LEAFLET_CSS = "npm/leaflet@1.9.3/dist/leaflet.css"


def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS as embedded by ``offlinefolium`` (no network).

    Raises
    ------
    RuntimeError
        If the installed ``folium-offline`` does not embed Leaflet.
    """
    import offlinefolium.elements as ofe

    resources: dict[str, str] = getattr(ofe, "_res", {})
    js = next((v for k, v in resources.items() if k.endswith(_LEAFLET_JS)), None)
    css = next((v for k, v in resources.items() if k.endswith(_LEAFLET_CSS)), None)
    if js is None or css is None:
        raise RuntimeError(
            "folium-offline does not embed Leaflet 1.9.3 (leaflet.js/leaflet.css); reinstall it"
        )
    return js, css


def area_view(area_wgs84: BaseGeometry) -> dict[str, Any]:
    """Return a page map's ``center`` (a point inside the area) and ``area`` outline (simplified GeoJSON)."""
    import shapely

    area = shapely.simplify(area_wgs84, 0.0005)
    c = area.representative_point()
    return {"center": [round(c.y, 5), round(c.x, 5)], "area": json.loads(shapely.to_geojson(area))}


def _script_safe(text: str) -> str:
    """Make text safe inside an inline <script> or <style> (no closing tag, no HTML comment start)."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


_CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;
  background:#fafafa}
header{background:#00538a;color:#fff;padding:.75rem 1rem}
header h1{margin:0;font-size:1.25rem}
header p{margin:.25rem 0 0;font-size:.95rem}
main{max-width:960px;margin:0 auto;padding:.75rem}
#map{height:55vh;min-height:260px;border:2px solid #555;border-radius:6px;position:relative}
#map:focus{outline:4px solid #ffbf47;outline-offset:2px}
.cross{position:absolute;left:50%;top:50%;width:26px;height:26px;margin:-13px 0 0 -13px;z-index:500;
  pointer-events:none;border:2px solid #00538a;border-radius:50%}
.cross::before,.cross::after{content:"";position:absolute;background:#00538a}
.cross::before{left:11px;top:-8px;width:2px;height:38px}.cross::after{top:11px;left:-8px;height:2px;width:38px}
fieldset{border:1px solid #bbb;border-radius:6px;margin:.75rem 0;padding:.5rem .75rem}
legend{font-weight:600;padding:0 .25rem}
label{display:block;margin:.35rem 0}
.choices label{display:flex;align-items:center;gap:.5rem;min-height:44px;padding:.25rem .4rem;
  border-radius:4px}
.choices label:hover{background:#eef4f9}
input[type=radio]{width:1.3rem;height:1.3rem}
input,textarea,button{font:inherit}
input[type=datetime-local],input[type=number],textarea{width:100%;padding:.55rem;border:1px solid #777;
  border-radius:4px}
textarea{min-height:5.5rem}
.row{display:grid;grid-template-columns:1fr 1fr;gap:.75rem}
@media (max-width:560px){.row{grid-template-columns:1fr}#map{height:45vh}}
button{min-height:44px;padding:.6rem 1.1rem;border-radius:6px;border:2px solid #00538a;background:#fff;
  color:#00538a;cursor:pointer;margin:.25rem .25rem .25rem 0}
button.primary{background:#00538a;color:#fff;font-weight:600;width:100%;font-size:1.1rem}
button:focus,input:focus,textarea:focus{outline:3px solid #ffbf47;outline-offset:1px}
.hint{font-size:.9rem;color:#444}
#status{margin:.75rem 0;padding:.6rem;border-radius:6px;min-height:1.5rem}
#status.ok{background:#e3f4e1;border:1px solid #2e7d32}
#status.err{background:#fdecea;border:1px solid #c62828}
.search{position:relative;margin:.25rem 0 .6rem}
input[type=search]{width:100%;padding:.55rem;border:1px solid #777;border-radius:4px}
#address-list{position:absolute;z-index:1100;left:0;right:0;margin:0;padding:0;list-style:none;background:#fff;
  border:1px solid #555;border-radius:0 0 4px 4px;max-height:50vh;overflow-y:auto}
#address-list li{padding:.6rem;min-height:44px;cursor:pointer}
#address-list li.active,#address-list li:hover{background:#dcebf6}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
"""

_JS = """
(function(){
  "use strict";
  var cfg = JSON.parse(document.getElementById("lb-config").textContent);
  var map = L.map("map", {keyboard: true, zoomControl: true}).setView(cfg.center, 12);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    {maxZoom: 19, attribution: "&copy; OpenStreetMap-bidragsgivare"}).addTo(map);
  var outline = L.geoJSON(cfg.area, {style: {color: "#00538a", weight: 2, fillOpacity: 0.04}}).addTo(map);
  map.fitBounds(outline.getBounds());
  var marker = null;
  var latIn = document.getElementById("lat"), lonIn = document.getElementById("lon");
  var where = document.getElementById("where");
  function place(latlng, how){
    var lat = Math.round(latlng.lat * 1e6) / 1e6, lon = Math.round(latlng.lng * 1e6) / 1e6;
    if (marker) { marker.setLatLng([lat, lon]); }
    else {
      marker = L.circleMarker([lat, lon], {radius: 11, color: "#c62828", weight: 3, fillOpacity: 0.5});
      marker.addTo(map);
    }
    latIn.value = lat; lonIn.value = lon;
    where.textContent = "Vald plats: " + lat.toFixed(5) + ", " + lon.toFixed(5)
      + (how ? " (" + how + ")" : "");
  }
  map.on("click", function(e){ place(e.latlng, "klick på kartan"); });
  document.addEventListener("lb:address", function(e){
    var ll = L.latLng(e.detail.lat, e.detail.lon);
    map.setView(ll, e.detail.precision === "street" ? 16 : 18); place(ll, e.detail.label);
  });
  document.getElementById("map").addEventListener("keydown", function(e){
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); place(map.getCenter(), "kartans mitt"); }
  });
  document.getElementById("use-center").addEventListener("click", function(){
    place(map.getCenter(), "kartans mitt");
  });
  var geoBtn = document.getElementById("use-gps");
  if (!("geolocation" in navigator)) { geoBtn.hidden = true; }
  geoBtn.addEventListener("click", function(){
    navigator.geolocation.getCurrentPosition(function(p){
      var ll = L.latLng(p.coords.latitude, p.coords.longitude);
      map.setView(ll, 16); place(ll, "din position");
    }, function(){
      show("Kunde inte hämta din position. Klicka i kartan i stället.", false);
    }, {timeout: 10000});
  });
  function typed(){
    var lat = parseFloat(latIn.value), lon = parseFloat(lonIn.value);
    if (isFinite(lat) && isFinite(lon)) { place(L.latLng(lat, lon), "inskriven"); map.panTo([lat, lon]); }
  }
  latIn.addEventListener("change", typed); lonIn.addEventListener("change", typed);
  function pad(n){ return (n < 10 ? "0" : "") + n; }
  function localNow(){
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate())
      + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  var when = document.getElementById("when"); when.value = localNow(); when.max = localNow();
  var status = document.getElementById("status");
  function show(text, ok){ status.textContent = text; status.className = ok ? "ok" : "err"; }
  function newKey(){
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "k-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  var key = newKey();
  var form = document.getElementById("report-form");
  form.addEventListener("input", function(){ key = newKey(); });
  form.addEventListener("submit", function(e){
    e.preventDefault();
    var cat = form.querySelector("input[name=category]:checked");
    if (!latIn.value || !lonIn.value) {
      show("Välj en plats: klicka i kartan, tryck Enter på kartan eller skriv in läget.", false);
      document.getElementById("map").focus(); return;
    }
    if (!cat) {
      show("Välj vad som känns otryggt.", false);
      form.querySelector("input[name=category]").focus(); return;
    }
    var body = {lat: parseFloat(latIn.value), lon: parseFloat(lonIn.value), category: cat.value,
                occurred_at: when.value, source: "resident"};
    var text = document.getElementById("description").value.trim();
    if (text) { body.description = text; }
    var button = document.getElementById("send"); button.disabled = true;
    show("Skickar …", true);
    var headers = {"Content-Type": "application/json", "Idempotency-Key": key};
    fetch(cfg.endpoint, {method: "POST", headers: headers, body: JSON.stringify(body)})
      .then(function(r){
        return r.json().then(function(j){ return {status: r.status, body: j}; },
                             function(){ return {status: r.status, body: {}}; });
      })
      .then(function(res){
        button.disabled = false;
        if (res.status === 201) {
          show("Tack! Din rapport är mottagen (nummer " + res.body.id + ").", true);
          form.reset(); when.value = localNow(); key = newKey();
          if (marker) { map.removeLayer(marker); marker = null; }
          where.textContent = "Ingen plats vald ännu.";
        } else if (res.status === 429) {
          show("Du har skickat många rapporter på kort tid. Försök igen om en stund.", false);
        } else {
          var d = res.body && res.body.detail, msg = "";
          if (d && d.problems) {
            msg = Object.keys(d.problems).map(function(k){ return d.problems[k]; }).join(" ");
          }
          else if (typeof d === "string") { msg = d; }
          show("Rapporten kunde inte tas emot. " + msg, false);
        }
      }, function(){
        button.disabled = false;
        show("Ingen kontakt med servern. Försök igen – rapporten sparas bara en gång.", false);
      });
  });
})();
"""


_ASSETS = Path(__file__).with_name("assets")


def _search_texts(lang: str) -> dict[str, str]:
    """Texts of the address search's script."""
    return {
        "street": gettext("(gata)", lang),
        "count": gettext("Förslag:", lang),
        "none": gettext("Ingen adress hittades. Klicka i kartan i stället.", lang),
        "chosen": gettext("Vald adress:", lang),
        "busy": gettext("För många sökningar just nu. Vänta en stund.", lang),
        "failed": gettext("Adressökningen svarar inte. Klicka i kartan i stället.", lang),
    }


def _search_field(lang: str) -> str:
    """Return the address search field (a combobox whose list the script fills)."""
    label = html.escape(gettext("Sök en adress", lang))
    listname = html.escape(gettext("Adresser", lang))
    hint = html.escape(
        gettext("Till exempel Storgatan 3. Välj i listan med piltangenterna och Enter, eller klicka.", lang)
    )
    return f"""<div class="search">
<label for="address">{label}</label>
<input type="search" id="address" name="address" maxlength="100" autocomplete="off" spellcheck="false"
 role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="address-list"
 aria-describedby="address-help">
<ul id="address-list" role="listbox" aria-label="{listname}" hidden></ul>
<p id="address-help" class="hint">{hint}</p>
<p id="address-status" class="sr-only" aria-live="polite"></p>
</div>"""


def report_page(
    *,
    area_name: str,
    area_wgs84: BaseGeometry,
    endpoint: str = "/api/reports",
    search_endpoint: str | None = None,
) -> str:
    """Build the report page's HTML.

    Parameters
    ----------
    area_name
        The municipality or area name shown.
    area_wgs84
        The study polygon (outline on the map, initial view).
    endpoint
        Where the form posts.
    search_endpoint
        The address search (``/api/address``); ``None``: the page has no address search.
    """
    js, css = leaflet_assets()
    lang = "sv"
    config: dict[str, Any] = {
        **area_view(area_wgs84),
        "endpoint": endpoint,
    }
    search_field = search_script = ""
    if search_endpoint is not None:
        config |= {"search": search_endpoint, "search_texts": _search_texts(lang)}
        search_field = _search_field(lang)
        search_js = (_ASSETS / "address_search.js").read_text(encoding="utf-8")
        search_script = f"<script>{_script_safe(search_js)}</script>"
    name = html.escape(area_name)
    choices = "\n".join(
        f'<label><input type="radio" name="category" value="{html.escape(code)}" required> '
        f"{html.escape(sv)}</label>"
        for code, (sv, _en, _group) in CATEGORIES.items()
    )
    return f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rapportera en otrygg plats – {name}</title>
<style>{_script_safe(css)}</style>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>Rapportera en otrygg plats i {name}</h1>
<p>Hjälp kommunen och polisen att se var det känns otryggt. Rapporten är anonym.</p>
</header>
<main>
<form id="report-form" novalidate>
<fieldset>
<legend>1. Var?</legend>
<p id="map-help" class="hint">Klicka i kartan där det känns otryggt. Med tangentbordet: gå till kartan
med Tab, flytta den med piltangenterna och tryck Enter för att välja platsen under korset.</p>
{search_field}
<div id="map" tabindex="0" role="application"
 aria-label="Karta över {name}. Tryck Enter för att välja platsen i mitten."
 aria-describedby="map-help"><div class="cross" aria-hidden="true"></div></div>
<p id="where" aria-live="polite">Ingen plats vald ännu.</p>
<button type="button" id="use-center">Välj kartans mittpunkt</button>
<button type="button" id="use-gps">Använd min position</button>
<div class="row">
<label for="lat">Latitud (grader)<input type="number" id="lat" name="lat" step="any" min="-90" max="90"
 inputmode="decimal"></label>
<label for="lon">Longitud (grader)<input type="number" id="lon" name="lon" step="any" min="-180" max="180"
 inputmode="decimal"></label>
</div>
</fieldset>
<fieldset class="choices">
<legend>2. Vad känns otryggt?</legend>
{choices}
</fieldset>
<fieldset>
<legend>3. När?</legend>
<label for="when">Datum och tid<input type="datetime-local" id="when" name="when" required></label>
</fieldset>
<fieldset>
<legend>4. Vill du berätta mer? (frivilligt)</legend>
<label for="description">Beskrivning</label>
<textarea id="description" name="description" maxlength="2000" aria-describedby="privacy"></textarea>
<p id="privacy" class="hint">Skriv inte namn, telefonnummer eller annat som pekar ut en person. Texten läses
bara av kommunens och polisens personal och raderas efter en tid; den visas aldrig offentligt.</p>
</fieldset>
<button type="submit" id="send" class="primary">Skicka rapporten</button>
<div id="status" role="status" aria-live="polite"></div>
</form>
<p class="hint">Akut fara? Ring 112. Annat till polisen: 114 14.</p>
</main>
<script id="lb-config" type="application/json">{_script_safe(json.dumps(config, ensure_ascii=False))}</script>
<script>{_script_safe(js)}</script>
<script>{_JS}</script>
{search_script}
</body>
</html>
"""
