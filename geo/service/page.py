"""The public report page (``templates/report.html``, Swedish or English): a map, what feels unsafe, when.

Leaflet's JavaScript and CSS come from the assets the ``folium-offline`` package embeds and are inlined, so
the page loads no script or style from any other server. Map tiles are OpenStreetMap's when reachable; the
study area's outline is drawn from the page itself, so the map is usable without tiles. Everything works with
the keyboard: the map takes focus, arrow keys pan, Enter places the marker at the centre (the cross), and
the position can also be typed or taken from the phone's location.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.i18n import gettext
from geo.service.categories import CATEGORIES
from geo.service.templating import inline, render

__all__ = ["area_view", "leaflet_assets", "report_page"]

_LEAFLET_JS = "npm/leaflet@1.9.3/dist/leaflet.js"
_LEAFLET_CSS = "npm/leaflet@1.9.3/dist/leaflet.css"


def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS as embedded by ``offlinefolium`` (no network).

    Raises
    ------
    RuntimeError
        If the installed ``folium-offline`` does not embed Leaflet.
    """
    import offlinefolium.elements as ofe

    resources: dict[str, str] = getattr(ofe, "_res", {})
    js = next((v for k, v in resources.items() if k.endswith(_LEAFLET_JS)), None)
    css = next((v for k, v in resources.items() if k.endswith(_LEAFLET_CSS)), None)
    if js is None or css is None:
        raise RuntimeError(
            "folium-offline does not embed Leaflet 1.9.3 (leaflet.js/leaflet.css); reinstall it"
        )
    return js, css


def area_view(area_wgs84: BaseGeometry) -> dict[str, Any]:
    """Return a page map's ``center`` (a point inside the area) and ``area`` outline (simplified GeoJSON)."""
    import shapely

    area = shapely.simplify(area_wgs84, 0.0005)
    c = area.representative_point()
    return {"center": [round(c.y, 5), round(c.x, 5)], "area": json.loads(shapely.to_geojson(area))}


_ASSETS = Path(__file__).with_name("assets")

LANG_NAMES = {"sv": "Svenska", "en": "English"}
"""Each language's name in itself (the link to the other language)."""


def _texts(lang: str) -> dict[str, str]:
    """Texts of the page's script (``{id}`` is the report's number)."""
    return {
        "attribution": gettext("© OpenStreetMap-bidragsgivare", lang),
        "chosen": gettext("Vald plats:", lang),
        "click": gettext("klick på kartan", lang),
        "centre": gettext("kartans mitt", lang),
        "gps": gettext("din position", lang),
        "typed": gettext("inskriven", lang),
        "nogps": gettext("Kunde inte hämta din position. Klicka i kartan i stället.", lang),
        "needplace": gettext(
            "Välj en plats: klicka i kartan, tryck Enter på kartan eller skriv in läget.", lang
        ),
        "needcat": gettext("Välj vad som känns otryggt.", lang),
        "sending": gettext("Skickar …", lang),
        "thanks": gettext("Tack! Din rapport är mottagen (nummer %(id)s).", lang, id="{id}"),
        "noplace": gettext("Ingen plats vald ännu.", lang),
        "toomany": gettext("Du har skickat många rapporter på kort tid. Försök igen om en stund.", lang),
        "refused": gettext("Rapporten kunde inte tas emot.", lang),
        "offline": gettext("Ingen kontakt med servern. Försök igen – rapporten sparas bara en gång.", lang),
    }


def _search_texts(lang: str) -> dict[str, str]:
    """Texts of the address search's script."""
    return {
        "street": gettext("(gata)", lang),
        "count": gettext("Förslag:", lang),
        "none": gettext("Ingen adress hittades. Klicka i kartan i stället.", lang),
        "chosen": gettext("Vald adress:", lang),
        "busy": gettext("För många sökningar just nu. Vänta en stund.", lang),
        "failed": gettext("Adressökningen svarar inte. Klicka i kartan i stället.", lang),
    }


def report_page(
    *,
    area_name: str,
    area_wgs84: BaseGeometry,
    lang: str = "sv",
    endpoint: str = "/api/reports",
    search_endpoint: str | None = None,
) -> str:
    """Build the report page's HTML (template ``report.html``).

    Parameters
    ----------
    area_name
        The municipality or area name shown.
    area_wgs84
        The study polygon (outline on the map, initial view).
    lang
        ``"sv"`` or ``"en"``.
    endpoint
        Where the form posts.
    search_endpoint
        The address search (``/api/address``); ``None``: the page has no address search.
    """
    js, css = leaflet_assets()
    config: dict[str, Any] = {**area_view(area_wgs84), "endpoint": endpoint, "texts": _texts(lang)}
    if search_endpoint is not None:
        config |= {"search": search_endpoint, "search_texts": _search_texts(lang)}
    other = "en" if lang == "sv" else "sv"
    return render(
        "report.html",
        lang,
        area_name=area_name,
        other_lang=other,
        other_lang_name=LANG_NAMES[other],
        search=search_endpoint is not None,
        categories=[(code, sv if lang == "sv" else en) for code, (sv, en, _group) in CATEGORIES.items()],
        config=inline(json.dumps(config, ensure_ascii=False)),
        leaflet_css=inline(css),
        leaflet_js=inline(js),
        page_js=inline((_ASSETS / "report.js").read_text(encoding="utf-8")),
        search_js=inline((_ASSETS / "address_search.js").read_text(encoding="utf-8")),
    )
