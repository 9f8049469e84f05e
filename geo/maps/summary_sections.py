"""The summary page's sections from the run's layers: hot-spots, patrol plan, lighting, speed checks.

Each function takes the prepared layers and returns the figures of its template, already formatted for the
language (Babel numbers, shares and dates; words from the gettext catalogue), or ``None`` when the layer is
missing or empty.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from geo import i18n
from geo.maps.prepare import MapLayers
from geo.maps.style import TREND_WORDS, trend_word
from geo.texts import WEEKDAYS_SHORT

__all__ = [
    "TREND_WORDS",
    "enforcement_context",
    "hotspots_context",
    "lighting_context",
    "patrol_context",
    "trend_word",
    "weekdays_text",
]


def weekdays_text(value: object, lang: str) -> str:
    """Translate Swedish day abbreviations in `value` ("mån–fre", "lör–sön") into `lang`."""
    out = "" if value is None or pd.isna(value) else str(value)
    if lang == "sv":
        return out
    for sv, other in zip(WEEKDAYS_SHORT["sv"], WEEKDAYS_SHORT[lang], strict=True):
        out = out.replace(sv, other)
    return out


def _frame(layers: MapLayers, key: str) -> pd.DataFrame | None:
    frame = layers.frames.get(key)
    return frame if frame is not None and len(frame) else None


def _more(n_shown: int, n_all: int, lang: str) -> str:
    if n_all <= n_shown:
        return ""
    return i18n.ngettext("och %(num)s till", "och %(num)s till", n_all - n_shown, lang)


def hotspots_context(layers: MapLayers, *, lang: str, top: int) -> dict[str, Any] | None:
    """Return the hot-spots in focus: the `top` largest, with share, peak times, trend, share in darkness."""
    hs = _frame(layers, "hotspots")
    if hs is None:
        return None
    ranked = hs.sort_values("n_reports", ascending=False)
    rows = [
        {
            "id": str(r["hotspot_id"]),
            "label": str(r.get("label", "") or ""),
            "n": i18n.number(r["n_reports"], lang),
            "share": i18n.pct(r.get("share"), lang),
            "peak": str(r.get("peak_windows", "") or ""),
            "trend": trend_word(r.get("trend"), lang),
            "dark": i18n.pct(r.get("dark_share"), lang, decimals=0),
        }
        for _, r in ranked.head(top).iterrows()
    ]
    return {"rows": rows, "more": _more(len(rows), len(hs), lang), "trend_text": layers.trend_text}


def _rounded(value: float) -> float:
    """Round an expected count for "ungefär": whole numbers, one decimal under 1."""
    return round(value) if value >= 1 else round(value, 1)


def _expected_phrase(covered: float, week: float, lang: str) -> str:
    c, w = _rounded(covered), round(week)
    return i18n.ngettext(
        "ungefär %(covered)s av veckans %(num)s förväntade händelse",
        "ungefär %(covered)s av veckans %(num)s förväntade händelser",
        w,
        lang,
        covered=i18n.number(c, lang, decimals=0 if c >= 1 else 1),
    )


def _visit_time(r: pd.Series, lang: str) -> str:
    day = pd.Timestamp(str(r["date"]))
    return f"{i18n.date(day, lang, fmt='EEE')} {r['start']}"


def patrol_context(layers: MapLayers, *, lang: str, top: int) -> dict[str, Any] | None:
    """Return the patrol plan per place: visits, the first visit times and the incidents they cover.

    The week's expected incidents come from the plan (``week_expected`` in the visits' ``attrs``, set by
    :meth:`geo.stages.maps.MapInputs.from_results`); each place's expected incidents are its visits'
    ``expected_share`` times that.
    """
    visits = _frame(layers, "patrol")
    if visits is None:
        return None
    share = pd.to_numeric(visits.get("expected_share"), errors="coerce")
    week = float(visits.attrs.get("week_expected", np.nan))
    total = float(share.sum())
    n = len(visits)
    lead = i18n.ngettext("%(num)s besök", "%(num)s besök", n, lang)
    if np.isfinite(week) and week > 0:
        lead += ": " + _expected_phrase(total * week, week, lang)
    else:
        lead += ": " + i18n.gettext(
            "%(share)s av veckans förväntade händelser", lang, share=i18n.pct(total, lang)
        )
    groups = sorted(
        visits.assign(_share=share).groupby("place", sort=False), key=lambda kv: -float(kv[1]["_share"].sum())
    )
    rows = []
    for place, g in groups[:top]:
        g = g.sort_values(["date", "start"])
        times = [_visit_time(r, lang) for _, r in g.head(2).iterrows()]
        place_share = float(g["_share"].sum())
        expected = (
            "≈ " + i18n.number(_rounded(place_share * week), lang, decimals=1)
            if np.isfinite(week) and week > 0
            else i18n.pct(place_share, lang)
        )
        rows.append(
            {
                "place": str(place),
                "n": i18n.number(len(g), lang),
                "when": ", ".join(times) + (" …" if len(g) > 2 else ""),
                "expected": expected,
            }
        )
    return {"lead": lead, "rows": rows}


def lighting_context(layers: MapLayers, *, lang: str, top: int) -> dict[str, Any] | None:
    """Return the top lamp proposals: street, the reports each lights up (in darkness), the darkest hours."""
    lp = _frame(layers, "lamp_proposals")
    if lp is None:
        return None
    ranked = lp.sort_values("rank")
    rows = []
    for _, r in ranked.head(top).iterrows():
        if {"incidents", "place_reports"} <= set(r.index) and pd.notna(r["incidents"]):
            parts = [
                i18n.ngettext(
                    "%(num)s händelse i mörker", "%(num)s händelser i mörker", int(r["incidents"]), lang
                ),
                i18n.ngettext(
                    "%(num)s rapport om mörk plats",
                    "%(num)s rapporter om mörka platser",
                    int(r["place_reports"]),
                    lang,
                ),
            ]
            covered = ", ".join(
                p for p, k in zip(parts, (r["incidents"], r["place_reports"]), strict=True) if k
            )
        else:
            covered = i18n.ngettext(
                "%(num)s rapport", "%(num)s rapporter", int(r.get("covered_reports", 0)), lang
            )
        hours = str(r.get("peak_hours", "") or "").removeprefix("kl ")
        rows.append(
            {
                "rank": i18n.number(r["rank"], lang),
                "street": str(r.get("street", "") or ""),
                "covered": covered,
                "hours": hours,
            }
        )
    return {"rows": rows, "more": _more(len(rows), len(lp), lang)}


def enforcement_context(layers: MapLayers, *, lang: str, top: int) -> dict[str, Any] | None:
    """Return the top speed checks: street, days and hours, share of vehicles over the limit."""
    ep = _frame(layers, "enforcement")
    if ep is None:
        return None
    ranked = ep.sort_values("rank")
    rows = [
        {
            "rank": i18n.number(r["rank"], lang),
            "street": str(r.get("street", "") or ""),
            "window": f"{weekdays_text(r.get('weekdays'), lang)} {r.get('start', '')}–{r.get('end', '')}",
            "share": i18n.pct(r.get("share_over_limit"), lang, decimals=0),
        }
        for _, r in ranked.head(top).iterrows()
    ]
    return {"rows": rows, "more": _more(len(rows), len(ep), lang)}
