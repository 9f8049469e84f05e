"""The evaluation page (``evaluation.html``): one section a measure, a small before/after chart, the verdict.

Self-contained HTML (inline CSS and SVG) from the template ``evaluation/page.html`` (:mod:`geo.templating`),
Swedish or English: every word through the catalogue, numbers by Babel. The chart shows each area's after
count as a share of its before count (before = 100), so the treated area, the buffer ring and the comparison
area can be compared although the comparison area is far larger; the counts are written on the bars.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from geo import i18n
from geo.measures.texts import comparison_english, effect_text, verdict_word, window_text
from geo.templating import render

__all__ = ["evaluation_html"]

_COLORS = ("#2b6cb0", "#d69e2e", "#718096")
_AREAS = (
    ("treated", i18n.N_("Området")),
    ("buffer", i18n.N_("Omgivningen")),
    ("control", i18n.N_("Jämförelse")),
)


def _stat(value: object, digits: int, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return i18n.MISSING
    return i18n.number(float(value), lang, decimals=digits)  # type: ignore[arg-type]


def _p(value: object, lang: str) -> str:
    p = float(value)  # type: ignore[arg-type]
    if math.isnan(p):
        return i18n.MISSING
    return f"< {i18n.number(0.0001, lang, decimals=4)}" if p < 1e-4 else i18n.number(p, lang, decimals=4)


def _chart(row: pd.Series, lang: str) -> dict[str, Any]:
    """Return the chart's geometry: after/before per area (before = 100), counts on the bars."""
    values = []
    for key, _ in _AREAS:
        b, a = float(row[f"{key}_before"]), float(row[f"{key}_after"])
        values.append((b, a, 100 * a / b if b > 0 else math.nan))
    top = max([100.0, *(v[2] for v in values if not math.isnan(v[2]))])
    w, h, base = 360, 150, 120
    scale = (base - 15) / top
    words = (i18n.gettext("före", lang), i18n.gettext("efter", lang))
    areas = []
    for i, ((_, label), (b, a, idx)) in enumerate(zip(_AREAS, values, strict=True)):
        x = 20 + i * 115
        bars = []
        for j, (val, count) in enumerate(((100.0, b), (idx, a))):
            bar = 0.0 if math.isnan(val) else val * scale
            bars.append(
                {
                    "x": x + j * 42,
                    "y": f"{base - bar:.1f}",
                    "height": f"{bar:.1f}",
                    "fill": _COLORS[i] if j else "#cbd5e0",
                    "word": words[j],
                    "count": i18n.number(count, lang),
                    "label_y": f"{base - bar - 3:.1f}",
                }
            )
        areas.append({"x": x + 40, "label": i18n.gettext(label, lang), "bars": bars})
    hundred = f"{base - 100 * scale:.1f}"
    return {"width": w, "height": h, "label_y": base + 16, "hundred_y": hundred, "areas": areas}


def _measure(row: pd.Series, extra: pd.Series | None, *, comparison: str, lang: str) -> dict[str, Any]:
    """Return one measure's section: title, verdict line, note, chart and table rows, in `lang`."""
    kind = i18n.gettext(str(row["kind"]), lang)
    title = f"{row['measure_id']} · {kind}" + (f" · {row['name']}" if row.get("name") else "")
    verdict = str(row["verdict"])
    word = verdict_word(verdict, lang)
    headline = word[:1].upper() + word[1:]
    if verdict != "too_early":
        headline += ": " + effect_text(row, comparison=comparison, lang=lang)
    en = lang == "en"
    note = row.get("note_en" if en else "note")
    counted = row.get("counted_en" if en else "counted")
    status = str(row.get("status") or "")
    stats = (
        f"{_stat(row['wdd'], 1, lang)} ± {_stat(row['wdd_se'], 1, lang)} / {_stat(row['wdq'], 2, lang)} / "
        f"{_p(row['p_value'], lang)}"
    )
    insecurity = ""
    if extra is not None:
        said = verdict_word(str(extra["verdict"]), lang)
        if str(extra["verdict"]) != "too_early":
            said += ": " + effect_text(extra, comparison=comparison, lang=lang)
        insecurity = f"{said} ({extra['treated_before']} → {extra['treated_after']})"
    return {
        "title": title,
        "verdict": verdict,
        "headline": headline,
        "note": "" if note is None or pd.isna(note) else str(note),
        "chart": _chart(row, lang),
        "windows": window_text(row),
        "days": int(row["days"]),
        "counted": "" if counted is None or pd.isna(counted) else str(counted),
        "status": i18n.gettext(status, lang) if status else i18n.MISSING,
        "stats": stats,
        "insecurity": insecurity,
    }


def evaluation_html(
    evaluation: pd.DataFrame,
    *,
    comparison: str,
    buffer_m: float,
    min_days: int,
    min_expected: float,
    insecurity: pd.DataFrame | None = None,
    lang: str = "sv",
) -> str:
    """Return the evaluation page.

    Parameters
    ----------
    evaluation
        From :func:`geo.measures.evaluate.evaluate_measures`.
    comparison
        The comparison area's name (Swedish; said in English by
        :func:`~geo.measures.texts.comparison_english` on the English page).
    buffer_m, min_days, min_expected
        The rules, stated on the page.
    insecurity
        The evaluation on insecurity reports alone, shown beside each measure.
    lang
        ``"sv"`` or ``"en"``: every word and number of the page.

    Raises
    ------
    ValueError
        For another `lang`.
    """
    i18n.check_lang(lang)
    if lang == "en":
        comparison = comparison_english(comparison)
    other = {} if insecurity is None else {r["measure_id"]: r for _, r in insecurity.iterrows()}
    measures = [
        _measure(r, other.get(r["measure_id"]), comparison=comparison, lang=lang)
        for _, r in evaluation.iterrows()
    ]
    return render(
        "evaluation/page.html",
        lang,
        comparison=comparison,
        buffer_m=i18n.number(buffer_m, lang, decimals=0 if float(buffer_m).is_integer() else 1),
        min_days=min_days,
        min_expected=f"{min_expected:g}",
        measures=measures,
    )
