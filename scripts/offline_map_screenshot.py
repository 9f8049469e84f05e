"""Screenshot of the demo's internal map with no internet (every tile request refused): docs/offline-map.png.

Usage: python scripts/offline_map_screenshot.py MAP.html [OUT.png]
(MAP.html from `geo demo --out DIR`; the map switches to the streets drawn from the run's streets file.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from geo.maps.browser import launch, open_map, screenshot


def main(map_html: str, out: str = "docs/offline-map.png") -> None:
    """Open `map_html` offline, hover a street for its name and save the screenshot to `out`."""
    with launch() as browser, open_map(browser, map_html, tiles="abort") as (page, report):
        page.wait_for_function("() => LB.offline === true", timeout=30_000)
        named = page.evaluate(  # show one street's name as the user sees it on hover
            "() => { var found = null; LB.bases.forEach(function (b) { if (b[3] !== 'offline') { return; }"
            " b[1].eachLayer(function (g) { g.eachLayer(function (l) {"
            "  var t = l.getTooltip && l.getTooltip();"
            "  if (t && !found && LB.map.getBounds().contains(l.getCenter())) { found = l; } }); }); });"
            " if (found) { found.openTooltip(found.getCenter()); return found.getTooltip().getContent(); }"
            " return null; }"
        )
        print(f"street name shown: {named}")
        page.wait_for_timeout(300)
        info = page.evaluate(
            "() => ({offline: LB.offline, scale: document.querySelector('.leaflet-control-scale').innerText,"
            " tiles: document.querySelectorAll('.leaflet-tile-loaded').length})"
        )
        print(info, f"tile requests refused: {len(report.tile_requests)}")
        screenshot(page, out)
        print(f"wrote {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
