"""The one-page summary for the weekly EST meeting (A4 landscape), from Jinja2 templates.

A map image, what changed since the last lägesbild, the hot-spots in focus with their times, the patrol plan
(the plan's visits, never the naive comparison plan) in plain figures, the top proposals and the measures'
follow-up. The page is ``geo/maps/templates/summary/page.html``; each section is one template
(``summary/<name>.html``) and one context function ``(layers, *, lang, top) -> dict | None`` (``None``: the
section is left out), listed in :data:`SECTIONS` in page order. The map image is a static render
(:func:`geo.maps.static.static_map_png`).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from geo import i18n
from geo.maps.insecurity_summary import insecurity_context
from geo.maps.measures_summary import measures_context
from geo.maps.prepare import MapLayers
from geo.maps.static import static_map_png
from geo.maps.summary_sections import (
    enforcement_context,
    hotspots_context,
    lighting_context,
    patrol_context,
)
from geo.templating import render

__all__ = ["SECTIONS", "Section", "summary_html"]

ContextFn = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Section:
    """One section of the summary page.

    Attributes
    ----------
    template
        Its template under ``geo/maps/templates`` (it reads its context as ``section``).
    context
        ``context(layers, *, lang, top) -> dict | None``: the section's figures, already formatted for
        `lang`; ``None`` leaves the section out (e.g. the stage did not run).
    """

    template: str
    context: ContextFn


SECTIONS: tuple[Section, ...] = (
    Section("summary/hotspots.html", hotspots_context),
    Section("summary/patrol.html", patrol_context),
    Section("summary/lighting.html", lighting_context),
    Section("summary/enforcement.html", enforcement_context),
    Section("summary/measures.html", measures_context),
    Section("summary/insecurity.html", insecurity_context),
)
"""The sections in page order (right-hand columns)."""


def summary_html(
    layers: MapLayers,
    *,
    title: str | None = None,
    lang: str = "sv",
    demo: bool = False,
    generated_at: pd.Timestamp | None = None,
    map_png: bytes | None = None,
    top: int = 6,
) -> str:
    """Build the printable one-page summary for the weekly EST meeting.

    Parameters
    ----------
    layers
        From :func:`geo.maps.prepare.prepare_layers` (internal version); the patrol section reads the
        ``patrol`` layer, the plan's visits.
    title
        Heading (default "Lägesbild" / "Situational picture").
    lang
        ``"sv"`` or ``"en"``: every word, number, share and date of the page.
    demo
        Mark the page "syntetiska demodata".
    generated_at
        Shown under the heading.
    map_png
        Map image (default: :func:`geo.maps.static.static_map_png`).
    top
        Rows per table.

    Returns
    -------
    html
        A complete HTML page with the image embedded (no external resources), one A4 landscape page in print.

    Raises
    ------
    ValueError
        If `lang` is not ``"sv"`` or ``"en"``.
    """
    i18n.check_lang(lang)
    png = map_png if map_png is not None else static_map_png(layers)
    sections = []
    for section in SECTIONS:
        ctx = section.context(layers, lang=lang, top=top)
        if ctx is not None:
            sections.append({"template": section.template, **ctx})
    return render(
        "summary/page.html",
        lang,
        title=title or i18n.gettext("Lägesbild", lang),
        demo=demo,
        period=layers.period,
        generated=i18n.datetime(generated_at, lang) if generated_at is not None else "",
        sources=list(layers.sources),
        map_src=f"data:image/png;base64,{base64.b64encode(png).decode()}",
        since_last=list(layers.since_last),
        area_lines=list(layers.area_lines),
        notes=list(layers.notes),
        sections=sections,
    )
