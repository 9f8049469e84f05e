(function(){
  "use strict";
  var cfg = JSON.parse(document.getElementById("lb-config").textContent), T = cfg.texts;
  var map = L.map("map", {keyboard: true, zoomControl: true}).setView(cfg.center, 12);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    {maxZoom: 19, attribution: T.attribution}).addTo(map);
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
    where.textContent = T.chosen + " " + lat.toFixed(5) + ", " + lon.toFixed(5)
      + (how ? " (" + how + ")" : "");
  }
  map.on("click", function(e){ place(e.latlng, T.click); });
  document.addEventListener("lb:address", function(e){
    var ll = L.latLng(e.detail.lat, e.detail.lon);
    map.setView(ll, e.detail.precision === "street" ? 16 : 18); place(ll, e.detail.label);
  });
  document.getElementById("map").addEventListener("keydown", function(e){
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); place(map.getCenter(), T.centre); }
  });
  document.getElementById("use-center").addEventListener("click", function(){
    place(map.getCenter(), T.centre);
  });
  var geoBtn = document.getElementById("use-gps");
  if (!("geolocation" in navigator)) { geoBtn.hidden = true; }
  geoBtn.addEventListener("click", function(){
    navigator.geolocation.getCurrentPosition(function(p){
      var ll = L.latLng(p.coords.latitude, p.coords.longitude);
      map.setView(ll, 16); place(ll, T.gps);
    }, function(){
      show(T.nogps, false);
    }, {timeout: 10000});
  });
  function typed(){
    var lat = parseFloat(latIn.value), lon = parseFloat(lonIn.value);
    if (isFinite(lat) && isFinite(lon)) { place(L.latLng(lat, lon), T.typed); map.panTo([lat, lon]); }
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
      show(T.needplace, false);
      document.getElementById("map").focus(); return;
    }
    if (!cat) {
      show(T.needcat, false);
      form.querySelector("input[name=category]").focus(); return;
    }
    var body = {lat: parseFloat(latIn.value), lon: parseFloat(lonIn.value), category: cat.value,
                occurred_at: when.value, source: "resident"};
    var text = document.getElementById("description").value.trim();
    if (text) { body.description = text; }
    var button = document.getElementById("send"); button.disabled = true;
    show(T.sending, true);
    var headers = {"Content-Type": "application/json", "Idempotency-Key": key};
    fetch(cfg.endpoint, {method: "POST", headers: headers, body: JSON.stringify(body)})
      .then(function(r){
        return r.json().then(function(j){ return {status: r.status, body: j}; },
                             function(){ return {status: r.status, body: {}}; });
      })
      .then(function(res){
        button.disabled = false;
        if (res.status === 201) {
          show(T.thanks.replace("{id}", res.body.id), true);
          form.reset(); when.value = localNow(); key = newKey();
          if (marker) { map.removeLayer(marker); marker = null; }
          where.textContent = T.noplace;
        } else if (res.status === 429) {
          show(T.toomany, false);
        } else {
          var d = res.body && res.body.detail, msg = "";
          if (d && d.problems) {
            msg = Object.keys(d.problems).map(function(k){ return d.problems[k]; }).join(" ");
          }
          else if (typeof d === "string") { msg = d; }
          show(T.refused + " " + msg, false);
        }
      }, function(){
        button.disabled = false;
        show(T.offline, false);
      });
  });
})();
