"""Words for an evaluation: what was counted, the effect in one sentence, the verdicts (Swedish / English)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from geo.measures.hours import Hours

if TYPE_CHECKING:
    from geo.measures.evaluate import Rules

__all__ = ["VERDICT_WORDS", "comparison_english", "counted_text", "effect_text", "note_text", "pct"]

_DAY_NAMES = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")

VERDICT_WORDS: dict[str, dict[str, str]] = {
    "sv": {
        "decrease": "minskning",
        "increase": "ökning",
        "no_clear_effect": "ingen tydlig effekt",
        "too_early": "för tidigt att säga",
        "displacement": "förflyttning till omgivningen",
        "diffusion": "spridning av nyttan till omgivningen",
        "none": "ingen förflyttning till omgivningen",
        "unclear": "oklart om förflyttning",
    },
    "en": {
        "decrease": "decrease",
        "increase": "increase",
        "no_clear_effect": "no clear effect",
        "too_early": "too early to tell",
        "displacement": "displacement to the surroundings",
        "diffusion": "diffusion of benefits to the surroundings",
        "none": "no displacement to the surroundings",
        "unclear": "displacement unclear",
    },
}
"""Verdicts and buffer verdicts in words."""


def counted_text(hours: Hours, categories: tuple[str, ...]) -> str:
    """Return what a measure's evaluation counts, in Swedish (``rapporter i mörker, kategorier: rån``)."""
    parts = []
    if hours.dark:
        parts.append("i mörker")
    if hours.start_min is not None and hours.length_min is not None:
        end = (hours.start_min + hours.length_min) % 1440
        span = f"{hours.start_min // 60:02d}–{end // 60:02d}"
        if len(hours.days) < 7:
            span = ",".join(_DAY_NAMES[d] for d in hours.days) + " " + span
        parts.append(f"kl. {span}")
    if categories:
        parts.append("kategorier: " + ", ".join(categories))
    return "rapporter " + (", ".join(parts) if parts else "alla tider och kategorier")


def pct(value: float, *, sign: bool = True) -> str:
    """Format a percent change with a real minus sign: ``−45 %``, ``+12 %``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:+.0f}" if sign else f"{value:.0f}"
    return text.replace("-", "−") + " %"


def comparison_english(name: str) -> str:
    """Say the comparison area's Swedish name in English ("övriga Värnamo" -> "the rest of Värnamo")."""
    fixed = {"övriga området": "the rest of the area", "jämförelseområdet": "the comparison area"}
    if name in fixed:
        return fixed[name]
    return f"the rest of {name.removeprefix('övriga ')}" if name.startswith("övriga ") else name


def effect_text(row: Mapping[str, object], *, comparison: str, lang: str = "sv") -> str:
    """Return the effect in words: ``−45 % (−56 till −32 %) jämfört med övriga Värnamo; ...``."""
    words = VERDICT_WORDS[lang]
    if row["verdict"] == "too_early":
        return words["too_early"]
    lo, hi = float(row["ci_low"]), float(row["ci_high"])  # type: ignore[arg-type]
    to = "till" if lang == "sv" else "to"
    vs = "jämfört med" if lang == "sv" else "compared with"
    core = f"{pct(float(row['effect_pct']))} ({pct(lo)[:-2]} {to} {pct(hi)})"  # type: ignore[arg-type]
    if row["verdict"] != "decrease":
        return f"{core} {vs} {comparison}"
    return f"{core} {vs} {comparison}; {words[str(row['buffer_verdict'])]}"


def _too_early_reason(row: Mapping[str, object], rules: Rules, data: tuple[int, int], start_ns: int) -> str:
    days = int(row["days"])  # type: ignore[call-overload]
    if start_ns >= data[1]:
        return "åtgärden började efter att data slutar"
    if start_ns <= data[0]:
        return "data börjar inte före åtgärden, så det finns inget före-fönster"
    if days < rules.min_days:
        before = (start_ns - data[0]) // 86_400_000_000_000
        if before < rules.min_days:
            return f"bara {before} dagar data före starten (minst {rules.min_days} behövs)"
        return f"bara {days} dagar efter starten i data (minst {rules.min_days} behövs)"
    expected = float(row["expected_after"])  # type: ignore[arg-type]
    return (
        f"för få rapporter: utan effekt väntas {expected:.1f} i området efter starten och "
        f"{row['treated_after']} kom (minst {rules.min_expected:g} behövs)"
    )


def note_text(
    row: Mapping[str, object],
    rules: Rules,
    *,
    data: tuple[int, int],
    start_ns: int,
    tz: str,
    lang: str = "sv",
) -> str:
    """Return one Swedish sentence on a measure's evaluation that a planner can read aloud."""
    del tz, lang
    verdict = str(row["verdict"])
    if verdict == "too_early":
        return f"För tidigt att säga: {_too_early_reason(row, rules, data, start_ns)}."
    t0, t1 = row["treated_before"], row["treated_after"]
    effect = pct(float(row["effect_pct"]))  # type: ignore[arg-type]
    ci = f"95 % KI {pct(float(row['ci_low']))[:-2]} till {pct(float(row['ci_high']))}"  # type: ignore[arg-type]
    counts = f"{t0} före, {t1} efter, {row['days']} dagar var"
    vs = f"jämfört med {rules.comparison_name}"
    if verdict == "decrease":
        head = f"Rapporterna i området minskade, {effect} ({ci}) {vs} ({counts})"
    elif verdict == "increase":
        head = f"Rapporterna i området ökade, {effect} ({ci}) {vs} ({counts})"
    else:
        head = f"Ingen tydlig effekt: {effect} ({ci}) {vs} ({counts})"
    buffer = str(row["buffer_verdict"])
    ring = pct(float(row["buffer_pct"]))  # type: ignore[arg-type]
    tail = {
        "displacement": f"; omgivningen ökade ({ring}), vilket tyder på förflyttning",
        "diffusion": f"; även omgivningen minskade ({ring}), nyttan spred sig",
        "none": "; ingen förflyttning till omgivningen" if verdict == "decrease" else "",
        "unclear": "; för få rapporter i omgivningen för att bedöma förflyttning",
    }[buffer]
    return head + tail + "."


def window_text(row: Mapping[str, object]) -> str:
    """``2024-01-01–2024-12-31 / 2025-01-01–2025-12-31``."""
    return f"{row['before_start']}–{row['before_end']} / {row['after_start']}–{row['after_end']}"


def is_missing(value: object) -> bool:
    """Return True for None and NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT
