"""The partner reporting page ``/rapportera/partner`` (Swedish, with English): the EST checklist on a phone.

A partner (an organisation's designated reporter: a housing company, a security firm, a school, the
fritidsgård) opens a personal link ``/rapportera/partner#token=...`` (the token stays in the browser: a URL
fragment is never sent to a server) and reports what it saw against the checklist: what (the checklist's
categories, from ``[partner]`` of the run TOML), where (map tap, GPS, address search or typed), when (a
moment or a window), how many people, and free text. The page holds no report; its script is
``assets/partner.js`` (draft and outbox in ``localStorage``, sent when online, idempotent).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.config_partner import ChecklistItem
from geo.service.page import area_view, leaflet_assets

__all__ = ["GEOCODER_URL", "PARTNER_TEXTS", "partner_page"]

GEOCODER_URL = "https://nominatim.openstreetmap.org/search"
"""Address search (OpenStreetMap Nominatim), asked by the partner's browser when online."""

PARTNER_TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Rapportera till lägesbilden",
        "intro": "Rapportera det ni har sett enligt checklistan. Rapporten räknas som granskad.",
        "what": "1. Vad har ni sett?",
        "where": "2. Var?",
        "search": "Sök adress eller plats",
        "searchbtn": "Sök",
        "gps": "Använd min position",
        "maphelp": "Tryck i kartan där det hände, sök en adress eller använd din position.",
        "lat": "Latitud",
        "lon": "Longitud",
        "when": "3. När?",
        "at": "Vid en tidpunkt",
        "window": "Under en tidsperiod",
        "time": "Datum och tid",
        "from": "Från",
        "to": "Till",
        "people": "4. Hur många personer? (frivilligt)",
        "peoplelabel": "Antal personer",
        "more": "5. Beskriv (frivilligt)",
        "desc": "Beskrivning",
        "privacy": "Skriv inte namn eller personnummer. Texten läses bara av "
        "kommunens och polisens personal.",
        "send": "Spara och skicka",
        "mine": "Era senaste rapporter",
        "tokenlabel": "Din personliga kod (token)",
        "savetoken": "Spara koden",
        "noplace": "Ingen plats vald ännu.",
        "chosen": "Vald plats:",
        "tap": "tryck i kartan",
        "centre": "kartans mitt",
        "typed": "inskriven",
        "draft": "sparat utkast",
        "nogps": "Kunde inte hämta din position. Tryck i kartan i stället.",
        "nothing": "Hittade ingen sådan adress i området.",
        "nosearch": "Adressökningen nås inte just nu. Tryck i kartan i stället.",
        "needcat": "Välj vad ni har sett.",
        "needplace": "Välj en plats i kartan, med sökning eller din position.",
        "needtime": "Ange när det hände.",
        "sending": "Sparad. Skickar …",
        "offline": "Ingen anslutning. Rapporten är sparad i telefonen och skickas när anslutningen kommer "
        "tillbaka.",
        "sent": "Tack! Rapporten är mottagen.",
        "later": "Servern svarar inte just nu. Rapporten är sparad och skickas igen om en stund.",
        "refused": "Rapporten togs inte emot; rätta och skicka igen.",
        "notoken": "Öppna din personliga länk eller ange din kod för att kunna skicka.",
        "waiting": "{n} rapport(er) väntar på att skickas.",
        "reportingfor": "Rapporterar för",
        "emergency": "Akut fara? Ring 112. Annat till polisen: 114 14.",
    },
    "en": {
        "title": "Report to the situation picture",
        "intro": "Report what you have seen against the checklist. Your report counts as reviewed.",
        "what": "1. What did you see?",
        "where": "2. Where?",
        "search": "Search an address or place",
        "searchbtn": "Search",
        "gps": "Use my location",
        "maphelp": "Tap the map where it happened, search an address or use your location.",
        "lat": "Latitude",
        "lon": "Longitude",
        "when": "3. When?",
        "at": "At a moment",
        "window": "During a period",
        "time": "Date and time",
        "from": "From",
        "to": "To",
        "people": "4. How many people? (optional)",
        "peoplelabel": "Number of people",
        "more": "5. Describe (optional)",
        "desc": "Description",
        "privacy": "Do not write names or ID numbers. Only municipal and police staff read the text.",
        "send": "Save and send",
        "mine": "Your latest reports",
        "tokenlabel": "Your personal code (token)",
        "savetoken": "Save the code",
        "noplace": "No place chosen yet.",
        "chosen": "Chosen place:",
        "tap": "map tap",
        "centre": "map centre",
        "typed": "typed",
        "draft": "saved draft",
        "nogps": "Could not get your location. Tap the map instead.",
        "nothing": "No such address found in the area.",
        "nosearch": "The address search cannot be reached now. Tap the map instead.",
        "needcat": "Choose what you saw.",
        "needplace": "Choose a place on the map, by search or your location.",
        "needtime": "Say when it happened.",
        "sending": "Saved. Sending …",
        "offline": "No connection. The report is saved on this phone and is "
        "sent when the connection is back.",
        "sent": "Thank you! The report has been received.",
        "later": "The server does not answer now. The report is saved and sent again shortly.",
        "refused": "The report was not accepted; correct it and send again.",
        "notoken": "Open your personal link or enter your code to send.",
        "waiting": "{n} report(s) waiting to be sent.",
        "reportingfor": "Reporting for",
        "emergency": "Immediate danger? Call 112. Other police matters: 114 14.",
    },
}
"""Every text of the page in Swedish and English (switched in the page, or with ``?lang=en``)."""

_ASSETS = Path(__file__).with_name("assets")


def _script_safe(text: str) -> str:
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def partner_page(
    *,
    area_name: str,
    area_wgs84: BaseGeometry,
    checklist: tuple[ChecklistItem, ...],
    endpoint: str = "/api/reports",
    mine: str = "/api/partner/reports",
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
    endpoint, mine
        Where reports are sent, and where the partner's own reports are listed.
    """
    js, css = leaflet_assets()
    config: dict[str, Any] = {
        **area_view(area_wgs84),
        "endpoint": endpoint,
        "mine": mine,
        "geocoder": GEOCODER_URL,
        "checklist": [item.model_dump() for item in checklist],
        "texts": PARTNER_TEXTS,
    }
    name = html.escape(area_name)
    choices = "\n".join(
        f'<label><input type="radio" name="category" value="{html.escape(item.code)}"> '
        f'<span data-cat="{i}">{html.escape(item.sv)}</span></label>'
        for i, item in enumerate(checklist)
    )
    sv = PARTNER_TEXTS["sv"]

    def tx(key: str, tag: str = "span", attrs: str = "") -> str:
        return f'<{tag} data-t="{key}"{attrs}>{html.escape(sv[key])}</{tag}>'

    return f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partnerrapport – {name}</title>
<style>{_script_safe(css)}</style>
<style>{_script_safe((_ASSETS / "partner.css").read_text(encoding="utf-8"))}</style>
</head>
<body>
<header><div>{tx("title", "h1")}<p>{name} · {tx("intro")}</p><p id="who"></p></div>
<button type="button" id="lang">English</button></header>
<main>
<div id="token-box" hidden><label for="token">{tx("tokenlabel")}</label>
<input type="text" id="token" autocomplete="off">
<button type="button" id="save-token">{tx("savetoken")}</button></div>
<form id="partner-form" novalidate>
<fieldset class="choices"><legend>{tx("what")}</legend>
{choices}
</fieldset>
<fieldset><legend>{tx("where")}</legend>
<label for="search">{tx("search")}</label><input type="search" id="search" autocomplete="street-address">
<button type="button" id="search-btn">{tx("searchbtn")}</button>
<button type="button" id="use-gps">{tx("gps")}</button>
<ul id="search-results" aria-live="polite"></ul>
<p id="map-help" class="hint">{tx("maphelp")}</p>
<div id="map" tabindex="0" role="application" aria-label="Karta över {name}"
aria-describedby="map-help"></div>
<p id="where" aria-live="polite">{html.escape(sv["noplace"])}</p>
<div class="row">
<label for="lat">{tx("lat")}<input type="number" id="lat" step="any" inputmode="decimal"></label>
<label for="lon">{tx("lon")}<input type="number" id="lon" step="any" inputmode="decimal"></label></div>
</fieldset>
<fieldset><legend>{tx("when")}</legend>
<label><input type="radio" name="kind" value="at" checked> {tx("at")}</label>
<label><input type="radio" name="kind" value="window"> {tx("window")}</label>
<div id="at-box"><label for="when">{tx("time")}<input type="datetime-local" id="when"></label></div>
<div id="window-box" class="row" hidden>
<label for="from">{tx("from")}<input type="datetime-local" id="from"></label>
<label for="to">{tx("to")}<input type="datetime-local" id="to"></label></div>
</fieldset>
<fieldset><legend>{tx("people")}</legend>
<label for="people">{tx("peoplelabel")}<input type="number" id="people" min="0" max="10000"
inputmode="numeric">
</label></fieldset>
<fieldset><legend>{tx("more")}</legend>
<label for="description">{tx("desc")}</label>
<textarea id="description" maxlength="2000" aria-describedby="privacy"></textarea>
<p id="privacy" class="hint">{tx("privacy")}</p>
</fieldset>
<button type="submit" id="send" class="primary">{tx("send")}</button>
<div id="status" role="status" aria-live="polite"></div>
<p id="outbox" class="hint" aria-live="polite"></p>
</form>
<h2>{tx("mine")}</h2><ul id="mine"></ul>
<p class="hint">{tx("emergency")}</p>
</main>
<script id="lb-config" type="application/json">{_script_safe(json.dumps(config, ensure_ascii=False))}</script>
<script>{_script_safe(js)}</script>
<script>{_script_safe((_ASSETS / "partner.js").read_text(encoding="utf-8"))}</script>
</body>
</html>
"""
