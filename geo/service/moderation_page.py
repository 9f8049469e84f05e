"""The moderation page ``/moderera`` (Swedish): the queue as a list and a map, and the decisions.

One report's details with its duplicate candidates; approve / reject / duplicate by button or keyboard.

Keys: ``j``/``k`` (or the arrows) next and previous, ``a`` approve, ``r`` reject, ``d`` duplicate of the
chosen candidate (the nearest unless another is picked), ``n`` the note field, ``Esc`` leaves it. The page
itself holds no report: it asks for a moderator's or staff token (kept for the browser tab only) and reads
the queue through ``GET /api/reports?status=new``.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.service.categories import CATEGORIES
from geo.service.page import area_view, leaflet_assets

__all__ = ["moderation_page"]

_ASSETS = Path(__file__).with_name("assets")


def _script_safe(text: str) -> str:
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def moderation_page(*, area_name: str, area_wgs84: BaseGeometry, labels: dict[str, str]) -> str:
    """Build the moderation page's HTML.

    Parameters
    ----------
    area_name
        The municipality or area name shown.
    area_wgs84
        The study polygon (outline and initial view of the map).
    labels
        Category code -> Swedish label (the public categories and the partners' checklist).
    """
    js, css = leaflet_assets()
    config: dict[str, Any] = {
        **area_view(area_wgs84),
        "labels": {**{k: v[0] for k, v in CATEGORIES.items()}, **labels},
        "statuses": {"approved": "godkänd", "rejected": "avvisad", "duplicate": "dubblett", "new": "ny"},
    }
    name = html.escape(area_name)
    return f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Granska rapporter – {name}</title>
<style>{_script_safe(css)}</style>
<style>{_script_safe((_ASSETS / "moderation.css").read_text(encoding="utf-8"))}</style>
</head>
<body>
<header><h1>Granska rapporter – {name}</h1>
<label>Visa <select id="status"><option value="new">nya</option><option value="approved">godkända</option>
<option value="rejected">avvisade</option><option value="duplicate">dubbletter</option></select></label>
<span class="keys"><kbd>J</kbd>/<kbd>K</kbd> nästa/förra · <kbd>A</kbd> godkänn · <kbd>R</kbd> avvisa ·
<kbd>D</kbd> dubblett · <kbd>N</kbd> anteckning</span></header>
<div id="login" hidden style="padding:.75rem"><label for="token">Token (moderator eller personal)</label>
<input type="password" id="token" autocomplete="off">
<button type="button" id="save-token">Logga in</button></div>
<div id="wrap">
<ul id="queue" aria-label="Kö"></ul>
<div id="side">
<div id="map" role="application" aria-label="Karta över rapporterna"></div>
<section id="detail" aria-live="polite"><div id="detail-body"></div>
<label for="note">Anteckning (sparas i historiken)</label><input type="text" id="note" maxlength="1000">
<div><button type="button" class="ok" id="approve">Godkänn (A)</button>
<button type="button" class="no" id="reject">Avvisa (R)</button>
<button type="button" id="duplicate">Dubblett (D)</button></div>
<p id="msg" role="status"></p></section>
</div>
</div>
<script id="lb-config" type="application/json">{_script_safe(json.dumps(config, ensure_ascii=False))}</script>
<script>{_script_safe(js)}</script>
<script>{_script_safe((_ASSETS / "moderation.js").read_text(encoding="utf-8"))}</script>
</body>
</html>
"""
