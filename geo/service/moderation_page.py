"""The moderation page ``/moderera`` (``templates/moderation.html``): the queue as a list and a map.

Swedish or English. The queue, the decisions and the map.

One report's details with its duplicate candidates; approve / reject / duplicate by button or keyboard.

Keys: ``j``/``k`` (or the arrows) next and previous, ``a`` approve, ``r`` reject, ``d`` duplicate of the
chosen candidate (the nearest unless another is picked), ``n`` the note field, ``Esc`` leaves it. The page
itself holds no report: it asks for a moderator's or staff token (kept for the browser tab only) and reads
the queue through ``GET /api/reports?status=new``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.i18n import gettext, ngettext
from geo.service.categories import CATEGORIES
from geo.service.page import LANG_NAMES, area_view, leaflet_assets
from geo.service.templating import inline, render

__all__ = ["moderation_page"]

_ASSETS = Path(__file__).with_name("assets")


def _texts(lang: str) -> dict[str, str]:
    """Texts of the page's script (``{n}``: a number of reports)."""
    return {
        "one": ngettext("%(num)s rapport", "%(num)s rapporter", 1, lang, num="{n}"),
        "many": ngettext("%(num)s rapport", "%(num)s rapporter", 2, lang, num="{n}"),
        "unreachable": gettext("Servern nås inte.", lang),
        "maybedup": gettext("möjlig dubblett", lang),
        "empty": gettext("Inga rapporter att granska.", lang),
        "category": gettext("Kategori", lang),
        "when": gettext("När", lang),
        "source": gettext("Källa", lang),
        "people": gettext("Personer", lang),
        "status": gettext("Status", lang),
        "id": gettext("Id", lang),
        "notext": gettext("(ingen fritext)", lang),
        "candidates": gettext("Möjliga dubbletter (närmast först):", lang),
        "nocandidate": gettext("Ingen dubblettkandidat vald.", lang),
        "failed": gettext("Kunde inte ändra:", lang),
        "attribution": gettext("© OpenStreetMap-bidragsgivare", lang),
    }


def moderation_page(
    *, area_name: str, area_wgs84: BaseGeometry, labels: dict[str, str], lang: str = "sv"
) -> str:
    """Build the moderation page's HTML.

    Parameters
    ----------
    area_name
        The municipality or area name shown.
    area_wgs84
        The study polygon (outline and initial view of the map).
    labels
        Category code -> label in `lang` (the partners' checklist; the public categories are added).
    lang
        ``"sv"`` or ``"en"``.
    """
    js, css = leaflet_assets()
    public = {code: sv if lang == "sv" else en for code, (sv, en, _group) in CATEGORIES.items()}
    config: dict[str, Any] = {
        **area_view(area_wgs84),
        "labels": {**public, **labels},
        "statuses": {
            "approved": gettext("godkänd", lang),
            "rejected": gettext("avvisad", lang),
            "duplicate": gettext("dubblett", lang),
            "new": gettext("ny", lang),
        },
        "texts": _texts(lang),
    }
    other = "en" if lang == "sv" else "sv"
    return render(
        "moderation.html",
        lang,
        area_name=area_name,
        other_lang=other,
        other_lang_name=LANG_NAMES[other],
        config=inline(json.dumps(config, ensure_ascii=False)),
        leaflet_css=inline(css),
        page_css=inline((_ASSETS / "moderation.css").read_text(encoding="utf-8")),
        leaflet_js=inline(js),
        page_js=inline((_ASSETS / "moderation.js").read_text(encoding="utf-8")),
    )
