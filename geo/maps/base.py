"""The base map: an empty lägesbild page fitted to the data, with its base-map switcher.

See :mod:`geo.maps.registry` for the page and its layer registry, :mod:`geo.maps.elements` for what a layer
is made of, and :mod:`geo.maps.layers` for the layers themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from branca.element import Element
from markupsafe import escape

from geo.i18n import N_, gettext
from geo.maps.aggregate import public_coord
from geo.maps.elements import TileBase
from geo.maps.registry import LeanMap, RegistryHeader, RegistryInit

__all__ = ["BASE_TILES", "add_base_layers", "base_map", "parse_tiles"]

BASE_TILES: dict[str, tuple[str, str]] = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ),
    "light": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors &copy; '
        '<a href="https://carto.com/attributions">CARTO</a>',
    ),
    "dark": (
        "https://{s}.basemaps.cartocdn.com/dark_all/{z}/{x}/{y}{r}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors &copy; '
        '<a href="https://carto.com/attributions">CARTO</a>',
    ),
}
"""Named base maps: tile URL template and attribution."""

BASE_NAMES = {"osm": N_("OpenStreetMap"), "light": N_("Ljus karta"), "dark": N_("Mörk karta")}
"""Named base map -> its name in the layer list (a Swedish message id)."""


def parse_tiles(tiles: str) -> str | None:
    """Check a ``--tiles`` value: ``osm``, ``light``, ``dark``, ``none`` or a tile URL template.

    Parameters
    ----------
    tiles
        The value; a URL must contain ``{z}``, ``{x}`` and ``{y}`` (a local tile server is fine, e.g.
        ``http://tiles.local/{z}/{x}/{y}.png``).

    Returns
    -------
    tiles
        The named base map, the URL, or ``None`` for no tiles.

    Raises
    ------
    ValueError
        For anything else, naming the allowed values.
    """
    value = tiles.strip()
    if value.lower() in {"none", "ingen", ""}:
        return None
    if value.lower() in BASE_TILES:
        return value.lower()
    if all(p in value for p in ("{z}", "{x}", "{y}")):
        return value
    raise ValueError(
        f"--tiles must be osm, light, dark, none or a tile URL with {{z}}/{{x}}/{{y}}, got '{tiles}'"
    )


def add_base_layers(m: LeanMap, tiles: str = "osm", *, lang: str = "sv") -> LeanMap:
    """Add the base-map switcher: OpenStreetMap, light, dark (or a custom URL) and a neutral no-tile base.

    Parameters
    ----------
    m
        The map.
    tiles
        What shows on opening: ``osm`` (default), ``light``, ``dark``, ``none`` (no tiles at all: the page
        then makes no request whatsoever) or a tile URL template (a local tile server). With a URL the
        named internet base maps are left out, so an offline network is never asked for them.
    lang
        Language of the labels.
    """
    choice = parse_tiles(tiles)
    if choice is None:
        TileBase(gettext("Ingen bakgrund (neutral)", lang), None, active=True).add_to(m)
        return m
    if choice in BASE_TILES:
        for name in ("osm", "light", "dark"):
            url, attribution = BASE_TILES[name]
            TileBase(
                gettext(BASE_NAMES[name], lang), url, attribution=attribution, active=name == choice
            ).add_to(m)
    else:
        TileBase(gettext("Egen bakgrundskarta", lang), choice, attribution="", active=True).add_to(m)
    TileBase(gettext("Ingen bakgrund (neutral)", lang), None, active=False).add_to(m)
    return m


def base_map(
    bounds: Sequence[Sequence[float]] | None,
    *,
    tiles: str = "osm",
    lang: str = "sv",
    title: str | None = None,
) -> LeanMap:
    """Create an empty lägesbild map fitted to `bounds`, with base layers and the layer registry.

    Parameters
    ----------
    bounds
        ``[[south, west], [north, east]]`` in degrees, or ``None`` for the whole world.
    tiles
        See :func:`add_base_layers`.
    lang
        Language of the labels.
    title
        Page title (the browser tab).

    Returns
    -------
    m
        The map; add layers with the ``add_*`` functions of :mod:`geo.maps.layers`, then render it with
        :func:`geo.maps.render_html`.
    """
    if bounds:
        (s, w), (n, e) = bounds
        center = [public_coord(round((s + n) / 2, 3)), public_coord(round((w + e) / 2, 3))]
    else:
        center = [0.0, 0.0]
    m = LeanMap(location=center, zoom_start=12 if bounds else 2, tiles=None, control_scale=False)
    m.options["maxZoom"] = 19  # the map's own: point clusters need it also on the offline street base map
    root: Any = m.get_root()  # a branca Figure: title and header
    if title:
        root.title = escape(title)
    root.header.add_child(Element('<meta name="generator" content="lagesbild">'), name="lb_generator")
    # the scale bar (metric only) is added by the registry (geo.maps.registry)
    RegistryHeader().add_to(m)
    RegistryInit(m.get_name(), bounds, legend_title=gettext("Teckenförklaring", lang)).add_to(m)
    add_base_layers(m, tiles, lang=lang)
    return m
