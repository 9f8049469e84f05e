"""The evaluation page (``evaluation.html``): one section a measure, a small before/after chart, the verdict.

Self-contained HTML (inline CSS and SVG), Swedish or English. The chart shows each area's after count as a
share of its before count (before = 100), so the treated area, the buffer ring and the comparison area can be
compared although the comparison area is far larger; the counts are written on the bars.
"""

from __future__ import annotations

import math
from html import escape

import pandas as pd

from geo.measures.texts import VERDICT_WORDS, effect_text, window_text

__all__ = ["evaluation_html"]

_T = {
    "sv": {
        "title": "Åtgärder och deras effekt",
        "intro": (
            "Varje åtgärd jämförs före och efter starten, i lika långa fönster, med {c}: en minskning räknas "
            "bara när hela 95 %-intervallet ligger under noll. Omgivningen (en ring på {b:g} m) visar om "
            "problemen flyttade eller om nyttan spred sig. För tidigt att säga när fönstren är kortare än "
            "{d} dagar eller när både det väntade och det verkliga antalet rapporter i området efter starten "
            "är under {e:g}."
        ),
        "treated": "Området",
        "buffer": "Omgivningen",
        "control": "Jämförelse",
        "before": "före",
        "after": "efter",
        "windows": "Före / efter",
        "counted": "Räknat",
        "verdict": "Bedömning",
        "effect": "Effekt",
        "stats": "WDD / WDQ / p",
        "status": "Status",
        "none": "Inga åtgärder att utvärdera.",
        "insecurity": "Otrygghetsrapporter (för sig)",
        "chart": "Efter i procent av före (före = 100)",
    },
    "en": {
        "title": "Measures and their effect",
        "intro": (
            "Each measure is compared before and after its start, in windows of equal length, with {c}: a "
            "decrease counts only when the whole 95 % interval lies below zero. The surroundings (a {b:g} m "
            "ring) show whether problems moved or benefits spread. Too early to tell when the windows are "
            "shorter than {d} days or when both the expected and the observed reports in the area after the "
            "start are under {e:g}."
        ),
        "treated": "Area",
        "buffer": "Surroundings",
        "control": "Comparison",
        "before": "before",
        "after": "after",
        "windows": "Before / after",
        "counted": "Counted",
        "verdict": "Verdict",
        "effect": "Effect",
        "stats": "WDD / WDQ / p",
        "status": "Status",
        "none": "No measures to evaluate.",
        "insecurity": "Insecurity reports (separately)",
        "chart": "After as a percentage of before (before = 100)",
    },
}

_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "section{border-top:1px solid #ccc;padding:1rem 0}table{border-collapse:collapse}"
    "td,th{padding:.15rem .6rem;text-align:left;vertical-align:top}.v{font-weight:600}"
    ".decrease{color:#1a7f37}.increase{color:#b42318}.no_clear_effect,.too_early{color:#555}"
)
_COLORS = ("#2b6cb0", "#d69e2e", "#718096")


def _fmt(value: object, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):.{digits}f}"  # type: ignore[arg-type]


def _p(value: object) -> str:
    p = float(value)  # type: ignore[arg-type]
    return "–" if math.isnan(p) else "< 0.0001" if p < 1e-4 else f"{p:.4f}"


def _chart(row: pd.Series, t: dict[str, str]) -> str:
    """Return an SVG of after/before per area (before = 100), counts on the bars."""
    areas = (("treated", t["treated"]), ("buffer", t["buffer"]), ("control", t["control"]))
    values = []
    for key, _ in areas:
        b, a = float(row[f"{key}_before"]), float(row[f"{key}_after"])
        values.append((b, a, 100 * a / b if b > 0 else math.nan))
    top = max([100.0, *(v[2] for v in values if not math.isnan(v[2]))])
    w, h, base = 360, 150, 120
    scale = (base - 15) / top
    parts = [f"<svg width='{w}' height='{h}' role='img' aria-label='{escape(t['chart'])}'>"]
    for i, ((_, label), (b, a, idx)) in enumerate(zip(areas, values, strict=True)):
        x = 20 + i * 115
        for j, (val, count, word) in enumerate(((100.0, b, t["before"]), (idx, a, t["after"]))):
            bar = 0.0 if math.isnan(val) else val * scale
            fill = _COLORS[i] if j else "#cbd5e0"
            parts.append(
                f"<rect x='{x + j * 42}' y='{base - bar:.1f}' width='38' height='{bar:.1f}' fill='{fill}'>"
                f"<title>{escape(label)} {word}: {count:g}</title></rect>"
                f"<text x='{x + j * 42 + 19}' y='{base - bar - 3:.1f}' font-size='11' "
                f"text-anchor='middle'>{count:g}</text>"
            )
        parts.append(
            f"<text x='{x + 40}' y='{base + 16}' font-size='12' text-anchor='middle'>{escape(label)}</text>"
        )
    parts.append(
        f"<line x1='10' x2='{w - 10}' y1='{base - 100 * scale:.1f}' y2='{base - 100 * scale:.1f}' "
        "stroke='#999' stroke-dasharray='3,3'/></svg>"
    )
    return "".join(parts)


def _section(
    row: pd.Series, extra: pd.Series | None, t: dict[str, str], *, comparison: str, lang: str
) -> str:
    words = VERDICT_WORDS[lang]
    title = f"{row['measure_id']} · {row['kind']}" + (f" · {row['name']}" if row.get("name") else "")
    verdict = str(row["verdict"])
    lines = [
        f"<section><h2>{escape(title)}</h2>",
        f"<p class='v {verdict}'>{escape(words[verdict].capitalize())}: "
        f"{escape(effect_text(row, comparison=comparison, lang=lang))}</p>",
        f"<p>{escape(str(row['note']))}</p>" if lang == "sv" else "",
        _chart(row, t),
        "<table>",
        f"<tr><th>{t['windows']}</th><td>{escape(window_text(row))} ({row['days']} d)</td></tr>",
        f"<tr><th>{t['counted']}</th><td>{escape(str(row['counted']))}</td></tr>",
        f"<tr><th>{t['status']}</th><td>{escape(str(row.get('status') or '–'))}</td></tr>",
        f"<tr><th>{t['stats']}</th><td>{_fmt(row['wdd'], 1)} ± {_fmt(row['wdd_se'], 1)} / "
        f"{_fmt(row['wdq'], 2)} / {_p(row['p_value'])}</td></tr>",
    ]
    if extra is not None:
        lines.append(
            f"<tr><th>{t['insecurity']}</th><td>{escape(words[str(extra['verdict'])])}: "
            f"{escape(effect_text(extra, comparison=comparison, lang=lang))} "
            f"({extra['treated_before']} → {extra['treated_after']})</td></tr>"
        )
    lines.append("</table></section>")
    return "\n".join(lines)


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
        The comparison area's name.
    buffer_m, min_days, min_expected
        The rules, stated on the page.
    insecurity
        The evaluation on insecurity reports alone, shown beside each measure.
    lang
        ``"sv"`` or ``"en"``.

    Raises
    ------
    ValueError
        For another `lang`.
    """
    if lang not in _T:
        raise ValueError(f"lang must be 'sv' or 'en', got '{lang}'")
    t = _T[lang]
    other = {} if insecurity is None else {r["measure_id"]: r for _, r in insecurity.iterrows()}
    intro = t["intro"].format(c=escape(comparison), b=buffer_m, d=min_days, e=min_expected)
    body = [f"<h1>{t['title']}</h1>", f"<p>{intro}</p>"]
    body += [
        _section(r, other.get(r["measure_id"]), t, comparison=comparison, lang=lang)
        for _, r in evaluation.iterrows()
    ] or [f"<p>{t['none']}</p>"]
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{t['title']}</title>"
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
