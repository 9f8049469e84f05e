"""The summary page's "Åtgärder och uppföljning": status counts per focus area, each effect in words."""

from __future__ import annotations

from html import escape

import pandas as pd

from geo.measures.model import FOCUS, STATUSES
from geo.measures.texts import VERDICT_WORDS

__all__ = ["measures_section"]

_T = {
    "sv": {
        "title": "Åtgärder och uppföljning",
        "focus": "Fokusområde",
        "none": "utan fokus",
        "measure": "Åtgärd",
        "effect": "Effekt",
        "not_evaluated": "ej utvärderad",
        "too_early": "för tidigt att säga",
    },
    "en": {
        "title": "Measures and follow-up",
        "focus": "Focus area",
        "none": "no focus",
        "measure": "Measure",
        "effect": "Effect",
        "not_evaluated": "not evaluated",
        "too_early": "too early to tell",
    },
}


def _status_table(frame: pd.DataFrame, t: dict[str, str]) -> str:
    status = frame["status"].fillna("").replace("", "–")
    focus = frame["focus"].fillna("").replace("", t["none"])
    counts = pd.crosstab(focus, status)
    cols = [s for s in (*STATUSES, "–") if s in counts.columns]
    rows_order = [f for f in (*FOCUS, t["none"]) if f in counts.index]
    head = "".join(f"<th>{escape(c)}</th>" for c in [t["focus"], *cols])
    body = "".join(
        "<tr>"
        + f"<td>{escape(f)}</td>"
        + "".join(f"<td>{int(counts.loc[f, c])}</td>" for c in cols)
        + "</tr>"
        for f in rows_order
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def measures_section(frame: pd.DataFrame, *, lang: str, top: int) -> str:
    """Return the section: a focus × status table, then each evaluated measure's effect in words.

    Parameters
    ----------
    frame
        The map's ``measures`` layer (:meth:`geo.stages.evaluate.EvaluateResult.map_frame`).
    lang
        ``"sv"`` or ``"en"``.
    top
        Unused (every evaluated measure is listed: the follow-up is the point of the section).
    """
    del top
    t = _T[lang]
    rows = []
    for _, r in frame.iterrows():
        verdict = str(r.get("verdict") or "")
        if not verdict:
            continue
        effect = str(r.get("effect") or "") or t["too_early"]
        if verdict in {"no_clear_effect", "increase"}:
            effect = f"{VERDICT_WORDS[lang][verdict]}: {effect}"
        name = f"{r['measure_id']} {r.get('name') or r['kind']} ({r['kind']}, {r.get('status') or '–'})"
        rows.append(f"<tr><td>{escape(name)}</td><td>{escape(effect)}</td></tr>")
    effects = (
        f"<table><tr><th>{t['measure']}</th><th>{t['effect']}</th></tr>{''.join(rows)}</table>"
        if rows
        else ""
    )
    return f"<h2>{escape(t['title'])}</h2>" + _status_table(frame, t) + effects
