/* lagesbild: the moderation page (/moderera). */
(function(){
  "use strict";
  var cfg = JSON.parse(document.getElementById("lb-config").textContent), T = cfg.texts;
  function $(id){ return document.getElementById(id); }
  var KEY = "lb-mod-token", m = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
  if (m) { sessionStorage.setItem(KEY, decodeURIComponent(m[1])); history.replaceState(null, "", location.pathname + location.search); }
  function token(){ return sessionStorage.getItem(KEY) || ""; }
  var map = L.map("map").setView(cfg.center, 12);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {maxZoom: 19, attribution: T.attribution}).addTo(map);
  var outline = L.geoJSON(cfg.area, {style: {color: "#00538a", weight: 2, fillOpacity: 0.03}}).addTo(map);
  map.fitBounds(outline.getBounds());
  var layer = L.layerGroup().addTo(map), items = [], sel = -1, target = null, markers = {};
  function msg(t, ok){ $("msg").textContent = t; $("msg").style.color = ok ? "#2e7d32" : "#c62828"; }
  function api(path, opts){
    opts = opts || {}; opts.headers = Object.assign({"Authorization": "Bearer " + token()}, opts.headers || {});
    return fetch(path, opts).then(function(r){
      if (r.status === 401 || r.status === 403) { $("login").hidden = false; throw new Error("token"); }
      return r.json().then(function(j){ return {status: r.status, body: j}; });
    });
  }
  function label(c){ return (cfg.labels[c] || c); }
  function when(p){ return p.occurred_at.slice(0, 16).replace("T", " ") + (p.occurred_to ? " – " + p.occurred_to.slice(0, 16).replace("T", " ") : ""); }
  function load(){
    if (!token()) { $("login").hidden = false; return; }
    api("/api/reports?limit=500&status=" + $("status").value).then(function(res){
      $("login").hidden = true; items = res.body.features; draw(); select(items.length ? 0 : -1);
      msg((items.length === 1 ? T.one : T.many).replace("{n}", items.length), true);
    }, function(e){ if (e.message !== "token") { msg(T.unreachable, false); } });
  }
  function draw(){
    var q = $("queue"); q.textContent = ""; layer.clearLayers(); markers = {};
    items.forEach(function(f, i){
      var p = f.properties, li = document.createElement("li");
      li.textContent = label(p.category); li.dataset.i = i;
      var s = document.createElement("small"); s.textContent = when(p) + " · " + p.source + (p.duplicate_candidates && p.duplicate_candidates.length ? " · " + T.maybedup : "");
      li.appendChild(s); li.addEventListener("click", function(){ select(i); }); q.appendChild(li);
      var c = f.geometry.coordinates;
      markers[f.id] = L.circleMarker([c[1], c[0]], {radius: 7, color: "#00538a"}).addTo(layer).on("click", function(){ select(i); });
    });
  }
  function select(i){
    sel = i; target = null;
    document.querySelectorAll("#queue li").forEach(function(li){ li.classList.toggle("sel", +li.dataset.i === i); });
    Object.keys(markers).forEach(function(k){ markers[k].setStyle({color: "#00538a", radius: 7}); });
    var d = $("detail-body"); d.textContent = "";
    if (i < 0 || !items[i]) { d.textContent = T.empty; return; }
    var f = items[i], p = f.properties, c = f.geometry.coordinates;
    document.querySelector("#queue li.sel").scrollIntoView({block: "nearest"});
    markers[f.id].setStyle({color: "#c62828", radius: 11});
    var dl = document.createElement("dl");
    [[T.category, label(p.category)], [T.when, when(p)], [T.source, p.source + (p.org ? " (" + p.org + ")" : "")],
     [T.people, p.people == null ? "–" : String(p.people)], [T.status, cfg.statuses[p.status] || p.status], [T.id, p.id]].forEach(function(row){
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = row[0]; dd.textContent = row[1]; dl.appendChild(dt); dl.appendChild(dd);
    });
    d.appendChild(dl);
    var text = document.createElement("p"); text.id = "text"; text.textContent = p.description || T.notext; d.appendChild(text);
    var cands = p.duplicate_candidates || [];
    if (cands.length) {
      var h = document.createElement("p"); h.textContent = T.candidates; d.appendChild(h);
      cands.forEach(function(id, k){
        var b = document.createElement("button"); b.type = "button"; b.className = "cand"; b.textContent = id;
        var other = items.filter(function(o){ return o.id === id; })[0];
        b.dataset.id = id;
        b.textContent = other ? label(other.properties.category) + ", " + when(other.properties) : id;
        b.addEventListener("click", function(){ pick(id); }); d.appendChild(b); if (k === 0) { pick(id); }
      });
    }
    map.invalidateSize(); map.setView([c[1], c[0]], Math.max(map.getZoom(), 16));
  }
  function pick(id){
    target = id;
    document.querySelectorAll(".cand").forEach(function(b){ b.classList.toggle("sel", b.dataset.id === id); });
  }
  function decide(status){
    if (sel < 0 || !items[sel]) { return; }
    var f = items[sel], body = {status: status, note: $("note").value.trim()};
    if (status === "duplicate") {
      if (!target) { msg(T.nocandidate, false); return; }
      body.duplicate_of = target;
    }
    api("/api/reports/" + encodeURIComponent(f.id), {method: "PATCH", headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body)}).then(function(res){
      if (res.status !== 200) { msg(T.failed + " " + JSON.stringify(res.body.detail), false); return; }
      msg(label(f.properties.category) + ": " + cfg.statuses[status], true);
      $("note").value = "";
      if ($("status").value !== status) { items.splice(sel, 1); draw(); select(Math.min(sel, items.length - 1)); }
    });
  }
  $("approve").addEventListener("click", function(){ decide("approved"); });
  $("reject").addEventListener("click", function(){ decide("rejected"); });
  $("duplicate").addEventListener("click", function(){ decide("duplicate"); });
  $("status").addEventListener("change", load);
  $("save-token").addEventListener("click", function(){ sessionStorage.setItem(KEY, $("token").value.trim()); load(); });
  document.addEventListener("keydown", function(e){
    var typing = /INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName);
    if (e.key === "Escape") { document.activeElement.blur(); return; }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var k = e.key.toLowerCase();
    if (k === "j" || e.key === "ArrowDown") { e.preventDefault(); select(Math.min(sel + 1, items.length - 1)); }
    else if (k === "k" || e.key === "ArrowUp") { e.preventDefault(); select(Math.max(sel - 1, 0)); }
    else if (k === "a") { decide("approved"); }
    else if (k === "r") { decide("rejected"); }
    else if (k === "d") { decide("duplicate"); }
    else if (k === "n") { e.preventDefault(); $("note").focus(); }
  });
  load();
})();
