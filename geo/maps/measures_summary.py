"""The summary page's "Åtgärder och uppföljning": status counts per focus area, each effect in words."""

from __future__ import annotations

from typing import Any

import pandas as pd

from geo import i18n
from geo.i18n import N_
from geo.maps.prepare import MapLayers
from geo.measures.model import FOCUS, STATUSES
from geo.measures.texts import verdict_word

__all__ = ["measures_context"]

_NONE = N_("utan fokus")

VOCABULARY = (
    *(N_("föreslagen"), N_("beslutad"), N_("pågår"), N_("genomförd"), N_("avbruten")),
    *(N_("trygghet"), N_("förebygga brott"), N_("narkotika"), N_("trafik")),
    *(N_("patrull/närvaro"), N_("belysning"), N_("lagning av lampa"), N_("röjning/skötsel"), N_("kamera")),
    *(N_("hastighetskontroll"), N_("trygghetsvandring"), N_("information"), N_("ombyggnad"), N_("annat")),
)
"""The register's statuses, focus areas and kinds (:mod:`geo.measures.model`), for the catalogue."""


def _status_rows(frame: pd.DataFrame, lang: str) -> tuple[list[str], list[dict[str, Any]]]:
    status = frame["status"].fillna("").replace("", "–")
    focus = frame["focus"].fillna("").replace("", _NONE)
    counts = pd.crosstab(focus, status)
    cols = [s for s in (*STATUSES, "–") if s in counts.columns]
    order = [f for f in (*FOCUS, _NONE) if f in counts.index]
    rows = [
        {
            "focus": i18n.gettext(f, lang),
            "counts": [i18n.number(counts.loc[f, c], lang) for c in cols],
        }
        for f in order
    ]
    return [i18n.gettext(c, lang) if c != "–" else c for c in cols], rows


def measures_context(layers: MapLayers, *, lang: str, top: int) -> dict[str, Any] | None:
    """Return the section: a focus × status table, then each evaluated measure's effect in words.

    Parameters
    ----------
    layers
        The map's layers; the section reads ``measures``
        (:meth:`geo.stages.evaluate.EvaluateResult.map_frame`).
    lang
        ``"sv"`` or ``"en"``.
    top
        Unused (every evaluated measure is listed: the follow-up is the point of the section).
    """
    del top
    frame = layers.frames.get("measures")
    if frame is None or not len(frame):
        return None
    effects = []
    effect_col = "effect_en" if lang == "en" and "effect_en" in frame.columns else "effect"
    for _, r in frame.iterrows():
        verdict = str(r.get("verdict") or "")
        if not verdict:
            continue
        effect = str(r.get(effect_col) or "") or verdict_word("too_early", lang)
        if verdict in {"no_clear_effect", "increase"}:
            effect = f"{verdict_word(verdict, lang)}: {effect}"
        kind = i18n.gettext(str(r["kind"]), lang)
        status = i18n.gettext(str(r.get("status") or "–"), lang)
        name = r.get("name") or kind  # the register's own words, as the user wrote them
        effects.append({"name": f"{r['measure_id']} {name} ({kind}, {status})", "effect": effect})
    statuses, status_rows = _status_rows(frame, lang)
    return {"statuses": statuses, "status_rows": status_rows, "effects": effects}
