"""The maps in real headless Chromium (Debian chromium through playwright).

For the internal and the public map of the demo world and of Toronto: no console errors, no request but
tile requests (and none at all with ``--tiles none``), the expected number of features in every layer,
switching a layer off hides it (and its legend), and a hot-spot popup shows the numbers the analysis
computed. A screenshot of each map is saved under tests/artifacts/ on every run.
"""

from __future__ import annotations

import pytest

from geo.maps import draw_map, prepare_layers, render_html
from geo.maps.browser import chromium_path, launch, open_map, screenshot
from geo.maps.style import trend_word
from geo.stages.maps import MapInputs

from .conftest import ci

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if chromium_path() is None:
        if ci():
            pytest.fail("Chromium is missing (CI is set): install it with scripts/setup-system.sh")
        pytest.skip("Chromium is missing; run scripts/setup-system.sh")
    try:
        with launch() as b:
            yield b
    except RuntimeError as err:
        if ci():
            pytest.fail(str(err))
        pytest.skip(str(err))


def _write(tmp_path_factory, name, layers, **kwargs):
    path = tmp_path_factory.mktemp("maps") / f"{name}.html"
    path.write_text(render_html(draw_map(layers, **kwargs)), encoding="utf-8")
    return path


def _popup_text(page, key, hotspot_id):
    return page.evaluate(
        """([key, id]) => {
            var found = null;
            LB.layers[key].eachLayer(function (l) {
                if (l.feature.properties.hotspot_id === id) { found = l; }
            });
            found.fire('click', {latlng: found.getBounds().getCenter()});
            var el = document.querySelector('.leaflet-popup-content');
            return el ? el.innerText : null;
        }""",
        [key, hotspot_id],
    )


def _toggle(page, label):
    box = page.locator("#lb-layer-control label", has_text=label).locator("input")
    box.click()


def _check_clean(report, *, tiles_expected):
    assert report.console_errors == []
    assert report.other_requests == []
    assert report.failed_requests == []
    if not tiles_expected:
        assert report.tile_requests == []


def test_internal_demo_map(browser, tmp_path_factory, artifacts, demo_reports, demo_hotspots, demo_inputs):
    layers = prepare_layers(demo_reports, demo_inputs, area=None)
    path = _write(
        tmp_path_factory, "demo-internal", layers, demo=True, title="Lägesbild Värnamo", tiles="osm"
    )
    with open_map(browser, path) as (page, report):
        _check_clean(report, tiles_expected=True)
        assert report.tile_requests, "the OSM base map asks for tiles"
        expected = layers.feature_counts()
        assert {k: report.counts[k] for k in expected} == expected
        assert report.visible["grid"] and report.visible["hotspots"] and not report.visible["points"]
        screenshot(page, artifacts / "map-demo-internal.png")
        # a hot-spot popup shows what the analysis computed
        top = demo_hotspots.sort_values("n_reports", ascending=False).iloc[0]
        popup = _popup_text(page, "hotspots", top["hotspot_id"])
        assert f"{int(top['n_reports'])} rapporter" in popup
        for share in (top["share"], top["dark_share"]):  # Swedish: decimal comma, no-break space
            assert f"{100 * share:.1f}".replace(".", ",") + "\u00a0%" in popup
        assert top["peak_windows"] in popup and top["hotspot_id"] in popup
        assert trend_word(top["trend"], "sv") in popup
        assert page.locator(".leaflet-popup-content svg.lb-chart").count() == 1
        screenshot(page, artifacts / "map-demo-internal-popup.png")
        # switching the hot-spots off removes their shapes and legend; on again brings them back
        n_paths = page.locator("path.leaflet-interactive").count()
        legend = page.locator('.lb-leg[data-layer="hotspots"]')
        assert legend.is_visible()
        _toggle(page, "Hot-spots")
        assert page.evaluate("() => LB.visible('hotspots')") is False
        assert page.locator("path.leaflet-interactive").count() == n_paths - expected["hotspots"]
        assert not legend.is_visible()
        _toggle(page, "Hot-spots")
        assert page.evaluate("() => LB.visible('hotspots')") is True
        # the clustered points are built only when switched on
        assert page.locator(".marker-cluster").count() == 0
        _toggle(page, "Rapporter (kluster)")
        page.wait_for_selector(".marker-cluster")
        assert page.evaluate("() => LB.layers.points.getLayers().length") == expected["points"]
        _toggle(page, "Rapporter (kluster)")
        assert page.locator(".marker-cluster").count() == 0
        # nothing the layers did on the way asked the network for anything but tiles
        assert report.console_errors == [] and report.other_requests == [] and report.failed_requests == []
        assert all("tile.openstreetmap.org" in u for u in report.tile_requests)


def test_public_demo_map(browser, tmp_path_factory, artifacts, demo_reports, demo_hotspots):
    k = 5
    layers = prepare_layers(demo_reports, MapInputs(hotspots=demo_hotspots), public=True, k=k)
    path = _write(tmp_path_factory, "demo-public", layers, demo=True, title="Lägesbild Värnamo", tiles="none")
    with open_map(browser, path, tiles="abort") as (page, report):
        _check_clean(report, tiles_expected=False)
        assert set(report.counts) == {"grid", "hotspots"}
        assert report.counts == layers.feature_counts()
        screenshot(page, artifacts / "map-demo-public.png")
        hs = layers.frames["hotspots"].sort_values("n_reports", ascending=False).iloc[0]
        popup = _popup_text(page, "hotspots", hs["hotspot_id"])
        assert f"{int(hs['n_reports'])} händelser" in popup
        assert (
            f"{100 * hs['share']:.1f}".replace(".", ",") + "\u00a0%" in popup and hs["peak_windows"] in popup
        )
        assert "i mörker" not in popup and "metod" not in popup
        _toggle(page, "Händelser per ruta")
        assert page.evaluate("() => LB.visible('grid')") is False
        assert not page.locator('.lb-leg[data-layer="grid"]').is_visible()
        assert "SYNTETISKA DEMODATA" in page.locator(".lb-footer").inner_text()


@pytest.mark.slow
def test_toronto_maps(browser, tmp_path_factory, artifacts, toronto, toronto_analysis):
    for public in (False, True):
        inputs = MapInputs.from_results(hotspots=toronto_analysis)
        if public:
            inputs = MapInputs(hotspots=toronto_analysis.hotspots)
        layers = prepare_layers(toronto, inputs, public=public)
        name = "toronto-public" if public else "toronto-internal"
        path = _write(tmp_path_factory, name, layers, lang="en", title="Toronto MCI 2014–2017", tiles="osm")
        assert path.stat().st_size < 5_000_000
        with open_map(browser, path) as (page, report):
            _check_clean(report, tiles_expected=True)
            expected = layers.feature_counts()
            assert {k: report.counts[k] for k in expected} == expected
            screenshot(page, artifacts / f"map-{name}.png")
            top = layers.frames["hotspots"].sort_values("n_reports", ascending=False).iloc[0]
            popup = _popup_text(page, "hotspots", top["hotspot_id"])
            unit = "incidents" if public else "reports"
            assert f"{int(top['n_reports'])} {unit}" in popup
            assert page.locator(".leaflet-popup-content svg.lb-chart").count() == 1
            assert ("three-hour block" in popup) == public
            if not public:
                _toggle(page, "Gi* cells")
                assert page.evaluate("() => LB.visible('gistar')") is True
                assert page.locator('.lb-leg[data-layer="gistar"]').is_visible()


@pytest.mark.parametrize("viewport", [(1280, 720), (1366, 768), (1920, 1080)])
def test_legends_never_cover_the_layer_list(browser, tmp_path_factory, demo_reports, demo_inputs, viewport):
    layers = prepare_layers(demo_reports, demo_inputs, area=None)
    path = _write(tmp_path_factory, "demo-boxes", layers, demo=True, tiles="none")
    with open_map(browser, path, viewport=viewport) as (page, _report):
        for label in ("Rapporter (kluster)", "Mörka platser (rangordnade)", "Patrullplan (besök)"):
            _toggle(page, label)  # more legends than a laptop screen holds
        boxes = page.evaluate(
            """() => ['#lb-layer-control', '#lb-legends', '.lb-footer', '.lb-feed'].map(function (s) {
                var el = document.querySelector(s); if (!el) { return null; }
                var r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];
            })"""
        )
    control, legends, footer, _feed = boxes
    width, height = viewport

    def overlap(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    assert not overlap(control, legends), (control, legends)
    assert not overlap(legends, footer), (legends, footer)
    for box in (control, legends, footer):
        assert box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height, (box, viewport)
