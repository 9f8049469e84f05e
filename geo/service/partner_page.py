"""The partner reporting page ``/rapportera/partner`` (``templates/partner.html``, Swedish or English).

The EST checklist on a phone.

A partner (an organisation's designated reporter: a housing company, a security firm, a school, the
fritidsgård) opens a personal link ``/rapportera/partner#token=...`` (the token stays in the browser: a URL
fragment is never sent to a server) and reports what it saw against the checklist: what (the checklist's
categories, from ``[partner]`` of the run TOML), where (map tap, GPS, address search or typed), when (a
moment or a window), how many people, and free text. The page holds no report; its script is
``assets/partner.js`` (draft and outbox in ``localStorage``, sent when online, idempotent).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.config_partner import ChecklistItem
from geo.i18n import N_, gettext, ngettext
from geo.service.page import LANG_NAMES, area_view, leaflet_assets
from geo.service.templating import inline, render

__all__ = ["GEOCODER_URL", "partner_page", "partner_texts"]

GEOCODER_URL = "https://nominatim.openstreetmap.org/search"
"""Address search (OpenStreetMap Nominatim), asked by the partner's browser when online and the service has no
gazetteer of its own (``geo serve --geocode``)."""

_TEXTS: dict[str, str] = {
    "title": N_("Rapportera till lägesbilden"),
    "intro": N_("Rapportera det ni har sett enligt checklistan. Rapporten räknas som granskad."),
    "what": N_("1. Vad har ni sett?"),
    "where": N_("2. Var?"),
    "search": N_("Sök adress eller plats"),
    "searchbtn": N_("Sök"),
    "gps": N_("Använd min position"),
    "maphelp": N_("Tryck i kartan där det hände, sök en adress eller använd din position."),
    "lat": N_("Latitud"),
    "lon": N_("Longitud"),
    "when": N_("3. När?"),
    "at": N_("Vid en tidpunkt"),
    "window": N_("Under en tidsperiod"),
    "time": N_("Datum och tid"),
    "from": N_("Från"),
    "to": N_("Till"),
    "people": N_("4. Hur många personer? (frivilligt)"),
    "peoplelabel": N_("Antal personer"),
    "more": N_("5. Beskriv (frivilligt)"),
    "desc": N_("Beskrivning"),
    "privacy": N_(
        "Skriv inte namn eller personnummer. Texten läses bara av kommunens och polisens personal."
    ),
    "send": N_("Spara och skicka"),
    "mine": N_("Era senaste rapporter"),
    "tokenlabel": N_("Din personliga kod (token)"),
    "savetoken": N_("Spara koden"),
    "noplace": N_("Ingen plats vald ännu."),
    "chosen": N_("Vald plats:"),
    "tap": N_("tryck i kartan"),
    "centre": N_("kartans mitt"),
    "typed": N_("inskriven"),
    "draft": N_("sparat utkast"),
    "nogps": N_("Kunde inte hämta din position. Tryck i kartan i stället."),
    "nothing": N_("Hittade ingen sådan adress i området."),
    "nosearch": N_("Adressökningen nås inte just nu. Tryck i kartan i stället."),
    "needcat": N_("Välj vad ni har sett."),
    "needplace": N_("Välj en plats i kartan, med sökning eller din position."),
    "needtime": N_("Ange när det hände."),
    "sending": N_("Sparad. Skickar …"),
    "offline": N_(
        "Ingen anslutning. Rapporten är sparad i telefonen och skickas när anslutningen kommer tillbaka."
    ),
    "sent": N_("Tack! Rapporten är mottagen."),
    "later": N_("Servern svarar inte just nu. Rapporten är sparad och skickas igen om en stund."),
    "refused": N_("Rapporten togs inte emot; rätta och skicka igen."),
    "notoken": N_("Öppna din personliga länk eller ange din kod för att kunna skicka."),
    "reportingfor": N_("Rapporterar för"),
    "attribution": N_("© OpenStreetMap-bidragsgivare"),
    "emergency": N_("Akut fara? Ring 112. Annat till polisen: 114 14."),
}
"""The page's texts by key (Swedish message ids of the catalogue); :func:`partner_texts` translates them."""


def partner_texts(lang: str) -> dict[str, str]:
    """Return every text of the page in `lang` (``waiting``/``waiting1``: ``{n}`` reports still to send)."""
    out = {k: gettext(v, lang) for k, v in _TEXTS.items()}
    for key, n in (("waiting1", 1), ("waiting", 2)):
        out[key] = ngettext(
            "%(num)s rapport väntar på att skickas.",
            "%(num)s rapporter väntar på att skickas.",
            n,
            lang,
            num="{n}",
        )
    return out


_ASSETS = Path(__file__).with_name("assets")


def partner_page(
    *,
    area_name: str,
    area_wgs84: BaseGeometry,
    checklist: tuple[ChecklistItem, ...],
    lang: str = "sv",
    endpoint: str = "/api/reports",
    mine: str = "/api/partner/reports",
    search_endpoint: str | None = None,
) -> str:
    """Build the partner page's HTML.

    Parameters
    ----------
    area_name
        The municipality or area name shown.
    area_wgs84
        The study polygon (outline on the map, initial view, bounds of the address search).
    checklist
        The categories partners report against.
    lang
        ``"sv"`` or ``"en"``.
    endpoint, mine
        Where reports are sent, and where the partner's own reports are listed.
    search_endpoint
        The service's address search (``/api/address``); ``None``: the browser asks :data:`GEOCODER_URL`.
    """
    js, css = leaflet_assets()
    texts = partner_texts(lang)
    config: dict[str, Any] = {
        **area_view(area_wgs84),
        "endpoint": endpoint,
        "mine": mine,
        "geocoder": None if search_endpoint else GEOCODER_URL,
        "search": search_endpoint,
        "texts": texts,
    }
    other = "en" if lang == "sv" else "sv"
    return render(
        "partner.html",
        lang,
        t=texts,
        area_name=area_name,
        other_lang=other,
        other_lang_name=LANG_NAMES[other],
        categories=[(item.code, item.sv if lang == "sv" else item.en) for item in checklist],
        config=inline(json.dumps(config, ensure_ascii=False)),
        leaflet_css=inline(css),
        page_css=inline((_ASSETS / "partner.css").read_text(encoding="utf-8")),
        leaflet_js=inline(js),
        page_js=inline((_ASSETS / "partner.js").read_text(encoding="utf-8")),
    )
