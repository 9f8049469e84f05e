"""Stored XSS (issue 20, finding 2): a whole ``geo run`` on the demo world whose category names, street names,
descriptions and residents' categories carry markup that runs script if it is ever read as HTML.

In headless Chromium every map and page of the run is opened, every layer switched on and every popup and
tooltip opened (markers hidden in clusters get their popup content rendered the way Leaflet renders it).
No script may run and no request may go to the injected image addresses. Each page is then opened again
with the Content-Security-Policy the service sends for it: the map still works (its own scripts run) and
the browser reports no violation.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from geo.config import load_config
from geo.maps.browser import chromium_path, launch
from geo.pipeline import run
from geo.service.csp import html_csp
from tests.conftest import ROOT

from .conftest import ci

pytestmark = [pytest.mark.browser, pytest.mark.slow]

URL = "http://lagesbild.test/page.html"
PAYLOADS = {
    "category": "<img src=/x1 onerror=window.__xss=1>",
    "street": "<img src=/x2 onerror=window.__xss=2>",
    "description": "<img src=/x3 onerror=window.__xss=3>",
    "resident": "<svg onload=window.__xss=4>",
}

OPEN_ALL = """async () => {
  var opened = 0, box = document.createElement('div');
  document.body.appendChild(box);
  LB.order.forEach(function (k) { if (!LB.map.hasLayer(LB.layers[k])) { LB.layers[k].addTo(LB.map); } });
  function where(x) { return x.getLatLng ? x.getLatLng() : x.getBounds().getCenter(); }
  function visit(x) {
    if (x.getLayers) { x.getLayers().forEach(visit); }
    var p = x.getPopup && x.getPopup();
    if (p) {
      p.options.autoPan = false;
      if (x._map) { x.openPopup(where(x)); x.closePopup(); }
      else { var c = p._content; box.innerHTML = typeof c === 'function' ? c(x) : c; }
      opened++;
    }
    var t = x.getTooltip && x.getTooltip();
    if (t) {
      if (x._map) { x.openTooltip(where(x)); x.closeTooltip(); }
      else { box.innerHTML = t._content; }
      opened++;
    }
  }
  LB.order.forEach(function (k) { visit(LB.layers[k]); });
  await new Promise(function (r) { setTimeout(r, 500); });
  return opened;
}"""


@pytest.fixture(scope="module")
def browser():
    if chromium_path() is None:
        if ci():
            pytest.fail("Chromium is missing (CI is set)")
        pytest.skip("Chromium is missing; run scripts/setup-system.sh")
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo run on demo data whose texts carry markup."""
    data = tmp_path_factory.mktemp("hostile") / "demo"
    shutil.copytree(ROOT / "data" / "demo", data)
    police = data / "polisanmalningar.csv"
    text = police.read_text(encoding="cp1252")
    text = text.replace(";misshandel;", f";misshandel{PAYLOADS['category']};")
    text = text.replace(";Stöld ur bil;", f";Stöld ur bil{PAYLOADS['description']};")
    police.write_text(text, encoding="cp1252")
    streets = data / "gator.geojson"
    streets.write_text(
        streets.read_text(encoding="utf-8").replace('"name":"', f'"name":"{PAYLOADS["street"]}'),
        encoding="utf-8",
    )
    residents = data / "trygghetsrapporter.csv"
    residents.write_text(
        residents.read_text(encoding="utf-8").replace(
            ",otrygg passage,", f",otrygg passage{PAYLOADS['resident']},"
        ),
        encoding="utf-8",
    )
    out = data.parent / "out"
    run(load_config(data / "demo.toml"), out_dir=out)
    return out


def _open(browser: Any, html: str, *, csp: str | None) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    requests: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI); });"
    )

    def route(r: Any) -> None:
        if r.request.url == URL:
            headers = {"content-type": "text/html; charset=utf-8"}
            if csp:
                headers["content-security-policy"] = csp
            r.fulfill(status=200, headers=headers, body=html)
            return
        if not r.request.url.startswith("data:"):
            requests.append(r.request.url)
        r.abort()

    page.route("**/*", route)
    page.goto(URL, wait_until="load")
    return context, page, requests


def test_hostile_texts_never_run(browser: Any, hostile_run: Path) -> None:
    pages = sorted(hostile_run.glob("*.html"))
    maps = [p for p in pages if "LB.register" in p.read_text(encoding="utf-8")]
    assert len(maps) >= 2, pages  # the internal and the public map at least
    internal = next(p for p in maps if "publik" not in p.name)
    total = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        context, page, requests = _open(browser, html, csp=None)
        try:
            if path in maps:
                page.wait_for_function("() => window.LB && window.LB.ready === true", timeout=60_000)
                total += int(page.evaluate(OPEN_ALL))
            page.wait_for_timeout(300)
            assert page.evaluate("() => window.__xss") is None, path.name
            assert not [u for u in requests if "/x1" in u or "/x2" in u or "/x3" in u], (path.name, requests)
        finally:
            context.close()
    assert total > 100  # popups and tooltips really were opened
    # the texts are shown as text: a hot-spot labelled by a hostile street name shows the markup literally
    context, page, _ = _open(browser, internal.read_text(encoding="utf-8"), csp=None)
    try:
        page.wait_for_function("() => window.LB && window.LB.ready === true", timeout=60_000)
        shown = page.evaluate(
            """() => { var out = []; LB.layers.hotspots.eachLayer(function (l) {
              out.push(l.getTooltip() ? l.getTooltip()._content : ''); }); return out; }"""
        )
        texts = page.evaluate(
            "(all) => all.map(function (h) { var d = document.createElement('div'); d.innerHTML = h;"
            " return d.textContent; })",
            shown,
        )
        assert any("<img src=/x2" in t for t in texts), texts
    finally:
        context.close()


def test_maps_work_under_the_service_csp(browser: Any, hostile_run: Path) -> None:
    for path in sorted(hostile_run.glob("*.html")):
        html = path.read_text(encoding="utf-8")
        csp = html_csp(html)
        assert "unsafe-inline" not in csp.split("style-src")[0] and "'unsafe-eval'" not in csp
        context, page, _ = _open(browser, html, csp=csp)
        try:
            if "LB.register" in html:
                page.wait_for_function("() => window.LB && window.LB.ready === true", timeout=60_000)
                assert int(page.evaluate(OPEN_ALL)) > 0
            page.wait_for_timeout(300)
            assert page.evaluate("() => window.__csp || []") == [], path.name
            assert page.evaluate("() => window.__xss") is None
        finally:
            context.close()
