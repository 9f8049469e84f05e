"""Drawing prepared layers on a new map, with legends, the feed panel and the footer.

:func:`build_map` = :func:`geo.maps.prepare.prepare_layers` + :func:`draw_map`; :func:`render_html` gives the
self-contained page (written by :func:`geo.io.outputs.maps.write_map`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.i18n import LANGS, gettext
from geo.maps.aggregate import wgs84_bounds
from geo.maps.base import base_map, parse_tiles
from geo.maps.elements import HtmlPanel
from geo.maps.escape import Markup, escape
from geo.maps.layers.feed import add_feed_panel
from geo.maps.layers.forecast import add_forecast
from geo.maps.layers.hotspots import add_hotspots
from geo.maps.layers.insecurity import add_insecurity
from geo.maps.layers.lighting import (
    add_dark_places,
    add_dark_stretches,
    add_lamp_proposals,
    add_lit_coverage,
    add_quick_fixes,
)
from geo.maps.layers.measures import add_measures
from geo.maps.layers.nearrepeat import add_nearrepeat_zones
from geo.maps.layers.overview import add_density, add_gistar
from geo.maps.layers.patrol import add_patrol
from geo.maps.layers.reports import add_area, add_report_grid, add_report_points
from geo.maps.layers.speed import add_enforcement, add_speed_segments
from geo.maps.layers.streets import add_offline_streets
from geo.maps.prepare import MapLayers, prepare_layers
from geo.maps.registry import LeanMap

if TYPE_CHECKING:
    from geo.stages.maps import MapInputs

__all__ = ["build_map", "draw_map", "render_html", "view_bounds"]

_PLAN_LAYERS: dict[str, tuple[Callable[..., LeanMap], bool]] = {
    "lit_coverage": (add_lit_coverage, False),
    "dark_stretches": (add_dark_stretches, False),
    "dark_places": (add_dark_places, False),
    "quick_fixes": (add_quick_fixes, False),
    "lamp_proposals": (add_lamp_proposals, True),
    "speed": (add_speed_segments, False),
    "enforcement": (add_enforcement, False),
    "patrol": (add_patrol, False),
    "forecast": (add_forecast, False),
    "measures": (add_measures, True),
    "insecurity": (add_insecurity, False),
    "nearrepeat": (add_nearrepeat_zones, False),
}
"""The internal plan layers in drawing order: layer key -> (drawing function, visible on opening)."""


def _demo_words(lang: str) -> str:
    return gettext("SYNTETISKA DEMODATA – inte verkliga händelser", lang)


def _demo_badge(lang: str) -> Markup:
    return Markup(f'<span class="lb-demo">{escape(_demo_words(lang))}</span>')


def _footer(
    layers: MapLayers,
    *,
    title: str,
    lang: str,
    demo: bool,
    generated_at: pd.Timestamp | None,
    filter_text: str | None,
) -> Markup:
    parts = [f"<b>{escape(title)}</b>"]
    if demo:
        parts.append(_demo_badge(lang))
    facts = []
    if layers.period:
        facts.append(f"{escape(gettext('Period', lang))}: {escape(layers.period)}")
    if filter_text:
        facts.append(f"{escape(gettext('Urval', lang))}: {escape(filter_text)}")
    if layers.sources:
        facts.append(f"{escape(gettext('Källor', lang))}: {escape(', '.join(layers.sources))}")
    if layers.crs_name:
        facts.append(f"{escape(gettext('Analys-CRS', lang))}: {escape(layers.crs_name)}")
    if generated_at is not None:
        facts.append(f"{escape(gettext('Skapad', lang))}: {generated_at:%Y-%m-%d %H:%M %Z}".strip())
    parts.append(" · ".join(facts))
    parts.extend(f"<b>{escape(gettext('Inget att visa', lang))}:</b> {escape(note)}" for note in layers.notes)
    note = (
        gettext("Publik karta: endast sammanställda uppgifter.", lang)
        if layers.public
        else gettext("Intern karta – får inte publiceras.", lang)
    )
    parts.append(f"<i>{escape(note)}</i>")
    return Markup("<br>".join(p for p in parts if p))


def _core_cells(grid: gpd.GeoDataFrame, share: float) -> gpd.GeoDataFrame:
    """Return the densest grid cells that together hold `share` of the reports, in WGS84.

    Scattered reports far out in the countryside each add a cell of one or two; they are what the core
    leaves out, so the map opens on the town where the reports are, not on the whole municipality.
    """
    g = grid.to_crs("EPSG:4326")
    counts = g["count"].to_numpy(dtype=float)
    if not len(g) or counts.sum() <= 0:
        return g
    order = np.argsort(-counts, kind="stable")
    cum = np.cumsum(counts[order])
    k = int(np.searchsorted(cum, share * cum[-1])) + 1
    return g.iloc[np.sort(order[:k])]


def view_bounds(layers: MapLayers, *, core: float = 0.8) -> list[list[float]] | None:
    """Compute the map's opening view: where the reports are.

    The dense core of the report grid (the densest cells holding `core` of the reports), widened to hold
    every hot-spot; the study area only when there is nothing else. Rounded outward (see
    :func:`~geo.maps.aggregate.wgs84_bounds`).

    Parameters
    ----------
    layers
        Prepared layers.
    core
        Share of the reports the opening view holds at least (the densest cells first).
    """
    f = layers.frames
    parts: list[gpd.GeoDataFrame] = []
    if "grid" in f and len(f["grid"]):
        parts.append(_core_cells(f["grid"], core))
    if "hotspots" in f and len(f["hotspots"]) and isinstance(f["hotspots"], gpd.GeoDataFrame):
        parts.append(f["hotspots"].to_crs("EPSG:4326"))
    if not parts and "area" in f and len(f["area"]):
        parts.append(f["area"].to_crs("EPSG:4326"))
    if not parts:
        parts = [
            v.to_crs("EPSG:4326")
            for k, v in f.items()
            if k != "streets" and isinstance(v, gpd.GeoDataFrame) and v.crs is not None and len(v)
        ]
    if not parts:
        return None
    geoms = pd.concat(
        [gpd.GeoSeries(p.geometry.to_numpy(), crs="EPSG:4326") for p in parts], ignore_index=True
    )
    return wgs84_bounds(gpd.GeoDataFrame(geometry=geoms, crs="EPSG:4326"))


def _draw_overview(m: LeanMap, layers: MapLayers, *, lang: str) -> None:
    """Draw the study area, density, report grid, Gi*, hot-spots and report points that `layers` hold."""
    f, public = layers.frames, layers.public
    if "area" in f:
        add_area(m, f["area"], lang=lang)
    if "density" in f:
        add_density(m, f["density"], lang=lang, show="hotspots" not in f)
    if "grid" in f:
        add_report_grid(m, f["grid"], cell_m=layers.cell_m, public=public, k=layers.k, lang=lang)
    if "gistar" in f:
        add_gistar(m, f["gistar"], lang=lang, show=False)
    if "hotspots" in f:
        add_hotspots(m, f["hotspots"], public=public, k=layers.k, lang=lang, trend_text=layers.trend_text)
    if "points" in f:
        total = max(layers.n_reports, len(f["points"]))
        add_report_points(m, f["points"], max_points=len(f["points"]), total=total, lang=lang, show=False)


def draw_map(
    layers: MapLayers,
    *,
    lang: str = "sv",
    tiles: str = "osm",
    title: str | None = None,
    demo: bool = False,
    generated_at: pd.Timestamp | None = None,
    filter_text: str | None = None,
) -> LeanMap:
    """Draw prepared layers on a new map, with legends, the feed panel and the footer.

    Parameters
    ----------
    layers
        From :func:`geo.maps.prepare.prepare_layers`.
    lang
        ``"sv"`` or ``"en"``.
    tiles
        ``osm``, ``light``, ``dark``, ``none`` or a tile URL template.
    title
        Map title (default "Lägesbild").
    demo
        Say "syntetiska demodata" prominently (the demo world).
    generated_at
        Generation time shown in the footer.
    filter_text
        Description of a weekday/hour filter applied to the reports.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be 'sv' or 'en', got '{lang}'")
    title = title or gettext("Lägesbild", lang)
    m = base_map(
        view_bounds(layers),
        tiles=tiles,
        lang=lang,
        title=f"{title} – {_demo_words(lang)}" if demo else title,
    )
    if "streets" in layers.frames and len(layers.frames["streets"]):
        add_offline_streets(m, layers.frames["streets"], lang=lang, active=parse_tiles(tiles) is None)
    _draw_overview(m, layers, lang=lang)
    for key, (add, show) in _PLAN_LAYERS.items():
        if key in layers.frames:
            add(m, layers.frames[key], lang=lang, show=show)
    if layers.feed is not None and len(layers.feed):
        add_feed_panel(m, layers.feed, lang=lang)
    footer = _footer(
        layers, title=title, lang=lang, demo=demo, generated_at=generated_at, filter_text=filter_text
    )
    HtmlPanel(footer, position="bottomleft", css_class="lb-panel lb-footer").add_to(m)
    if demo:
        HtmlPanel(_demo_badge(lang), position="topleft", css_class="lb-panel").add_to(m)
    return m


def build_map(
    reports: gpd.GeoDataFrame | None,
    inputs: MapInputs | None = None,
    *,
    public: bool = False,
    k: int = 5,
    lang: str = "sv",
    tiles: str = "osm",
    title: str | None = None,
    demo: bool = False,
    area: Any = None,
    cell_m: float | None = None,
    max_points: int = 20_000,
    generated_at: pd.Timestamp | None = None,
    filter_text: str | None = None,
) -> LeanMap:
    """Build the lägesbild map, internal (default) or public.

    Parameters are those of :func:`geo.maps.prepare.prepare_layers` and :func:`draw_map`. Render with
    :func:`render_html`; :func:`geo.stages.maps.map_stage` also makes the GeoPackage layers and summary page.

    Returns
    -------
    m
        A self-contained map (``offlinefolium.Map`` subclass).
    """
    layers = prepare_layers(
        reports, inputs, area=area, public=public, k=k, cell_m=cell_m, max_points=max_points, lang=lang
    )
    return draw_map(
        layers,
        lang=lang,
        tiles=tiles,
        title=title,
        demo=demo,
        generated_at=generated_at,
        filter_text=filter_text,
    )


def render_html(m: LeanMap) -> str:
    """Render the map's complete, self-contained HTML page."""
    return m.get_root().render()
