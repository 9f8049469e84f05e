"""The lägesbild map: self-contained Leaflet HTML (internal and public), its GeoPackage and the EST summary.

Typical use::

    from geo.maps import build_map, save_map
    m = build_map(reports, hotspots=hs, public=False, lang="sv", tiles="osm", title="Lägesbild Värnamo")
    save_map(m, "maps/lagesbild-varnamo-2024-w05.html")

:func:`build_map` = :func:`prepare_layers` (pure; public-safe aggregation when ``public=True``) +
:func:`draw_map`. The ``add_*`` functions in :mod:`geo.maps.layers` each draw one layer on a map.
"""

from __future__ import annotations

from pathlib import Path

from geo.maps.base import LeanMap, base_map, parse_tiles
from geo.maps.build import MapLayers, build_map, draw_map, feed_trend, prepare_layers, render_html

__all__ = [
    "LeanMap",
    "MapLayers",
    "base_map",
    "build_map",
    "draw_map",
    "feed_trend",
    "parse_tiles",
    "prepare_layers",
    "render_html",
    "save_map",
]


def save_map(m: LeanMap, path: str | Path) -> Path:
    """Write the map's self-contained HTML atomically (through :func:`geo.io.export.write_text`)."""
    from geo.io.export import write_text

    return write_text(render_html(m), path)
