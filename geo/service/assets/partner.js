/* lagesbild: the partner page (/rapportera/partner). Draft and outbox in localStorage; an item
   leaves the outbox only on the server's 201, so a retry after a lost answer stores nothing twice. */
(function(){
  "use strict";
  var cfg = JSON.parse(document.getElementById("lb-config").textContent);
  var T = cfg.texts;
  var TOKEN = "lb-partner-token", OUTBOX = "lb-partner-outbox", DRAFT = "lb-partner-draft";
  function t(k){ return T[k] || k; }
  function $(id){ return document.getElementById(id); }
  var m = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
  if (m) {
    localStorage.setItem(TOKEN, decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  function token(){ return localStorage.getItem(TOKEN) || ""; }
  var status = $("status");
  function show(text, ok){ status.textContent = text; status.className = ok ? "ok" : "err"; }
  function read(key, empty){ try { return JSON.parse(localStorage.getItem(key) || empty); } catch (e) { return JSON.parse(empty); } }
  function outbox(){ return read(OUTBOX, "[]"); }
  function saveOutbox(list){ localStorage.setItem(OUTBOX, JSON.stringify(list)); showOutbox(); }
  function showOutbox(){
    var n = outbox().length;
    $("outbox").textContent = n ? t(n === 1 ? "waiting1" : "waiting").replace("{n}", n) : "";
  }
  var map = L.map("map", {keyboard: true}).setView(cfg.center, 12);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    {maxZoom: 19, attribution: t("attribution")}).addTo(map);
  var outline = L.geoJSON(cfg.area, {style: {color: "#00538a", weight: 2, fillOpacity: 0.04}}).addTo(map);
  map.fitBounds(outline.getBounds());
  var marker = null, latIn = $("lat"), lonIn = $("lon");
  function place(lat, lon, how){
    lat = Math.round(lat * 1e6) / 1e6; lon = Math.round(lon * 1e6) / 1e6;
    if (marker) { marker.setLatLng([lat, lon]); }
    else { marker = L.circleMarker([lat, lon], {radius: 11, color: "#c62828", weight: 3}).addTo(map); }
    latIn.value = lat; lonIn.value = lon;
    $("where").textContent = t("chosen") + " " + lat.toFixed(5) + ", " + lon.toFixed(5) + (how ? " (" + how + ")" : "");
    saveDraft();
  }
  map.on("click", function(e){ place(e.latlng.lat, e.latlng.lng, t("tap")); });
  $("map").addEventListener("keydown", function(e){
    if (e.key === "Enter") { e.preventDefault(); var c = map.getCenter(); place(c.lat, c.lng, t("centre")); }
  });
  $("use-gps").addEventListener("click", function(){
    if (!("geolocation" in navigator)) { show(t("nogps"), false); return; }
    navigator.geolocation.getCurrentPosition(function(p){
      map.setView([p.coords.latitude, p.coords.longitude], 16);
      place(p.coords.latitude, p.coords.longitude, "GPS");
    }, function(){ show(t("nogps"), false); }, {timeout: 10000});
  });
  function typed(){
    var lat = parseFloat(latIn.value), lon = parseFloat(lonIn.value);
    if (isFinite(lat) && isFinite(lon)) { place(lat, lon, t("typed")); map.panTo([lat, lon]); }
  }
  latIn.addEventListener("change", typed); lonIn.addEventListener("change", typed);
  $("search-btn").addEventListener("click", function(){
    var q = $("search").value.trim(), list = $("search-results");
    list.textContent = "";
    var ll = /^\s*(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(q);
    if (ll) { place(+ll[1], +ll[2], t("typed")); map.setView([+ll[1], +ll[2]], 16); return; }
    if (!q) { return; }
    var b = outline.getBounds(), box = [b.getWest(), b.getNorth(), b.getEast(), b.getSouth()].join(",");
    var asked = cfg.search
      ? fetch(cfg.search + "?q=" + encodeURIComponent(q.slice(0, 100)))  // the service's own gazetteer
          .then(function(r){ if (!r.ok) { throw r.status; } return r.json(); })
          .then(function(j){
            return (j.matches || []).map(function(m){ return {display_name: m.label, lat: m.lat, lon: m.lon}; });
          })
      : fetch(cfg.geocoder + "?format=jsonv2&limit=5&bounded=1&viewbox=" + box + "&q=" + encodeURIComponent(q))
          .then(function(r){ return r.json(); });
    asked.then(function(found){
        if (!found.length) { list.textContent = t("nothing"); return; }
        found.forEach(function(f){
          var li = document.createElement("li"), btn = document.createElement("button");
          btn.type = "button"; btn.textContent = f.display_name;
          btn.addEventListener("click", function(){
            map.setView([+f.lat, +f.lon], 17); place(+f.lat, +f.lon, f.display_name.split(",")[0]);
            list.textContent = "";
          });
          li.appendChild(btn); list.appendChild(li);
        });
      }, function(){ list.textContent = t("nosearch"); });
  });
  function pad(n){ return (n < 10 ? "0" : "") + n; }
  function localNow(){
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  var form = $("partner-form");
  function kind(){ var k = form.querySelector("input[name=kind]:checked"); return k ? k.value : "at"; }
  function showKind(){ $("at-box").hidden = kind() !== "at"; $("window-box").hidden = kind() !== "window"; }
  var FIELDS = ["lat", "lon", "when", "from", "to", "people", "description"];
  function saveDraft(){
    var d = {kind: kind()}, c = form.querySelector("input[name=category]:checked");
    FIELDS.forEach(function(f){ d[f] = $(f).value; });
    d.category = c ? c.value : "";
    localStorage.setItem(DRAFT, JSON.stringify(d));
  }
  function restoreDraft(){
    var d = read(DRAFT, "null");
    $("when").value = localNow();
    if (!d) { return; }
    FIELDS.forEach(function(f){ if (d[f]) { $(f).value = d[f]; } });
    form.querySelectorAll("input[name=category]").forEach(function(r){ r.checked = r.value === d.category; });
    form.querySelectorAll("input[name=kind]").forEach(function(r){ r.checked = r.value === d.kind; });
    if (d.lat && d.lon) { place(+d.lat, +d.lon, t("draft")); }
  }
  form.addEventListener("input", function(){ showKind(); saveDraft(); });
  function newKey(){
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "k-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  form.addEventListener("submit", function(e){
    e.preventDefault();
    var c = form.querySelector("input[name=category]:checked");
    if (!c) { show(t("needcat"), false); return; }
    if (!latIn.value || !lonIn.value) { show(t("needplace"), false); $("map").focus(); return; }
    var body = {lat: parseFloat(latIn.value), lon: parseFloat(lonIn.value), category: c.value};
    if (kind() === "at") { body.occurred_at = $("when").value; }
    else { body.occurred_from = $("from").value; body.occurred_to = $("to").value; }
    if (!body.occurred_at && !(body.occurred_from && body.occurred_to)) { show(t("needtime"), false); return; }
    if ($("people").value !== "") { body.people = parseInt($("people").value, 10); }
    var text = $("description").value.trim();
    if (text) { body.description = text; }
    saveOutbox(outbox().concat([{key: newKey(), body: body, saved: new Date().toISOString()}]));
    localStorage.removeItem(DRAFT);
    form.reset(); $("when").value = localNow(); showKind();
    if (marker) { map.removeLayer(marker); marker = null; }
    $("where").textContent = t("noplace");
    show(navigator.onLine ? t("sending") : t("offline"), true);
    flush();
  });
  var flushing = false;
  function drop(key){ saveOutbox(outbox().filter(function(i){ return i.key !== key; })); }
  function flush(){
    var items = outbox();
    if (flushing || !items.length) { return; }
    if (!navigator.onLine) { show(t("offline"), true); return; }
    if (!token()) { show(t("notoken"), false); return; }
    flushing = true;
    var item = items[0];
    fetch(cfg.endpoint, {method: "POST", body: JSON.stringify(item.body), headers: {
      "Content-Type": "application/json", "Authorization": "Bearer " + token(), "Idempotency-Key": item.key}})
      .then(function(r){
        flushing = false;
        if (r.status === 201) { drop(item.key); show(t("sent"), true); loadMine(); flush(); return; }
        if (r.status === 401 || r.status === 403) { show(t("notoken"), false); return; }
        if (r.status === 422) {
          return r.json().then(function(j){
            var d = j.detail, msg = d && d.problems ? Object.keys(d.problems).map(function(k){ return d.problems[k]; }).join(" ") : "";
            var b = item.body;
            localStorage.setItem(DRAFT, JSON.stringify({kind: b.occurred_at ? "at" : "window",
              lat: String(b.lat), lon: String(b.lon), when: b.occurred_at || "", from: b.occurred_from || "",
              to: b.occurred_to || "", people: b.people == null ? "" : String(b.people),
              description: b.description || "", category: b.category}));
            drop(item.key); restoreDraft(); showKind(); show(t("refused") + " " + msg, false);
          });
        }
        show(t("later"), false);
      }, function(){ flushing = false; show(t("offline"), true); });
  }
  function loadMine(){
    if (!token() || !navigator.onLine) { return; }
    fetch(cfg.mine, {headers: {"Authorization": "Bearer " + token()}}).then(function(r){
      if (r.status !== 200) { $("who").textContent = t("notoken"); $("token-box").hidden = false; return; }
      return r.json().then(function(j){
        $("who").textContent = t("reportingfor") + " " + (j.org || j.user);
        var list = $("mine"); list.textContent = "";
        j.features.slice(-10).reverse().forEach(function(f){
          var li = document.createElement("li"), p = f.properties;
          li.textContent = p.occurred_at.slice(0, 16).replace("T", " ") + " · " + p.category;
          list.appendChild(li);
        });
      });
    }, function(){});
  }
  $("save-token").addEventListener("click", function(){
    localStorage.setItem(TOKEN, $("token").value.trim()); $("token-box").hidden = true; loadMine(); flush();
  });
  window.addEventListener("online", function(){ loadMine(); flush(); });
  window.addEventListener("offline", function(){ show(t("offline"), true); });
  setInterval(flush, 15000);
  $("token-box").hidden = !!token();
  showOutbox(); restoreDraft(); showKind(); loadMine(); flush();
})();
