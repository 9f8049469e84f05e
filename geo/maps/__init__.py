"""The lägesbild map: self-contained Leaflet HTML (internal and public), its GeoPackage and the EST summary.

Typical use (the map stage, :func:`geo.stages.maps.map_stage`, does this and the GeoPackage and summary)::

    from geo.maps import build_map, render_html
    from geo.stages.maps import MapInputs
    m = build_map(reports, MapInputs(hotspots=hs), public=False, lang="sv", title="Lägesbild Värnamo")
    html = render_html(m)

:func:`build_map` = :func:`prepare_layers` (pure; public-safe aggregation when ``public=True``) +
:func:`draw_map`. The ``add_*`` functions in :mod:`geo.maps.layers` each draw one layer on a map. Nothing
here writes a file: :func:`geo.io.outputs.maps.write_map` does.
"""

from __future__ import annotations

from geo.maps.base import base_map, parse_tiles
from geo.maps.draw import build_map, draw_map, render_html, view_bounds
from geo.maps.layers.feed import feed_trend
from geo.maps.prepare import MapLayers, prepare_layers
from geo.maps.registry import LeanMap

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
    "view_bounds",
]
