(function(){
  "use strict";
  // The report page's address search: asks this service (/api/address), never another server.
  var cfg = JSON.parse(document.getElementById("lb-config").textContent);
  var T = cfg.search_texts;
  var input = document.getElementById("address"), list = document.getElementById("address-list");
  var status = document.getElementById("address-status");
  var timer = null, items = [], active = -1, asked = 0;
  function close(){
    list.hidden = true; input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant"); active = -1;
  }
  function mark(i){
    active = i;
    for (var j = 0; j < list.children.length; j++) {
      list.children[j].setAttribute("aria-selected", j === i ? "true" : "false");
      list.children[j].className = j === i ? "active" : "";
    }
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", "address-" + i);
      list.children[i].scrollIntoView({block: "nearest"});
    }
  }
  function choose(i){
    var m = items[i];
    if (!m) { return; }
    input.value = m.label; close();
    status.textContent = T.chosen + " " + m.label;
    document.dispatchEvent(new CustomEvent("lb:address", {detail: m}));
  }
  function open(){ list.hidden = false; input.setAttribute("aria-expanded", "true"); }
  function show(matches){
    items = matches; list.textContent = "";
    matches.forEach(function(m, i){
      var li = document.createElement("li");
      li.id = "address-" + i; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
      li.textContent = m.label + (m.precision === "street" ? " " + T.street : "");
      li.addEventListener("mousedown", function(e){ e.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    if (matches.length) { open(); status.textContent = T.count + " " + matches.length; }
    else { close(); status.textContent = T.none; }
  }
  function ask(){
    var q = input.value.trim().slice(0, 100);
    if (q.length < 2) { items = []; close(); status.textContent = ""; return; }
    var n = ++asked;
    fetch(cfg.search + "?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
      .then(function(r){ if (!r.ok) { throw r.status; } return r.json(); })
      .then(function(j){ if (n === asked) { show(j.matches || []); } },
            function(err){
              if (n === asked) { items = []; close(); status.textContent = err === 429 ? T.busy : T.failed; }
            });
  }
  input.addEventListener("input", function(){ clearTimeout(timer); timer = setTimeout(ask, 250); });
  input.addEventListener("keydown", function(e){
    if (e.key === "ArrowDown" && items.length) {
      e.preventDefault(); open(); mark(Math.min(active + 1, items.length - 1));
    } else if (e.key === "ArrowUp" && items.length) {
      e.preventDefault(); mark(Math.max(active - 1, 0));
    } else if (e.key === "Enter") {
      e.preventDefault();  // never submits the report from the search field
      if (!list.hidden && items.length) { choose(active >= 0 ? active : 0); }
    } else if (e.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function(){ close(); });
})();
