"""Words for an evaluation: what was counted, the effect in one sentence, the verdicts (Swedish / English).

Every word goes through the message catalogue (:mod:`geo.i18n`; the Swedish text is the message id).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from geo import i18n
from geo.i18n import N_
from geo.measures.hours import Hours
from geo.texts import WEEKDAYS_SHORT

if TYPE_CHECKING:
    from geo.measures.evaluate import Rules

__all__ = [
    "VERDICTS",
    "comparison_english",
    "counted_text",
    "effect_text",
    "note_text",
    "pct",
    "verdict_word",
]

VERDICTS: dict[str, str] = {
    "decrease": N_("minskning"),
    "increase": N_("ökning"),
    "no_clear_effect": N_("ingen tydlig effekt"),
    "too_early": N_("för tidigt att säga"),
    "displacement": N_("förflyttning till omgivningen"),
    "diffusion": N_("spridning av nyttan till omgivningen"),
    "none": N_("ingen förflyttning till omgivningen"),
    "unclear": N_("oklart om förflyttning"),
}
"""Verdicts and buffer verdicts: the value in the table -> its Swedish words (the catalogue's message id)."""


def verdict_word(value: str, lang: str = "sv") -> str:
    """Return a verdict or buffer verdict (``"decrease"``) in words of `lang` (``"minskning"``).

    A value that is not a verdict is returned as it is.
    """
    words = VERDICTS.get(value)
    return i18n.gettext(words, lang) if words else value


def counted_text(hours: Hours, categories: tuple[str, ...], *, lang: str = "sv") -> str:
    """Return what a measure's evaluation counts (``rapporter i mörker, i kategorierna rån``) in `lang`."""
    parts = []
    if hours.dark:
        parts.append(i18n.gettext("i mörker", lang))
    if hours.start_min is not None and hours.length_min is not None:
        end = (hours.start_min + hours.length_min) % 1440
        span = f"{hours.start_min // 60:02d}–{end // 60:02d}"
        if len(hours.days) < 7:
            span = ",".join(WEEKDAYS_SHORT[lang][d] for d in hours.days) + " " + span
        parts.append(i18n.gettext("kl. %(span)s", lang, span=span))
    if categories:
        names = ", ".join(i18n.gettext(c, lang) for c in categories)
        parts.append(i18n.gettext("i kategorierna %(names)s", lang, names=names))
    if not parts:
        return i18n.gettext("rapporter alla tider och kategorier", lang)
    return i18n.gettext("rapporter %(what)s", lang, what=", ".join(parts))


def pct(value: float, *, sign: bool = True, lang: str = "sv") -> str:
    """Format a percent change with a real minus sign: ``−45 %``, ``+12 %`` (``−45%`` in English)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:+.0f}" if sign else f"{value:.0f}"
    return text.replace("-", "−") + (" %" if lang == "sv" else "%")


def _interval(low: float, high: float, lang: str) -> str:
    """``−55 till −19 %`` / ``−55 to −19%``."""
    return i18n.gettext(
        "%(low)s till %(high)s", lang, low=pct(low, lang=lang).rstrip(" %"), high=pct(high, lang=lang)
    )


def comparison_english(name: str) -> str:
    """Say the comparison area's Swedish name in English ("övriga Värnamo" -> "the rest of Värnamo")."""
    fixed = {"övriga området": "the rest of the area", "jämförelseområdet": "the comparison area"}
    if name in fixed:
        return fixed[name]
    return f"the rest of {name.removeprefix('övriga ')}" if name.startswith("övriga ") else name


def effect_text(row: Mapping[str, object], *, comparison: str, lang: str = "sv") -> str:
    """Return the effect in words: ``−45 % (−56 till −32 %) jämfört med övriga Värnamo; ...``."""
    if row["verdict"] == "too_early":
        return verdict_word("too_early", lang)
    lo, hi = float(row["ci_low"]), float(row["ci_high"])  # type: ignore[arg-type]
    effect = pct(float(row["effect_pct"]), lang=lang)  # type: ignore[arg-type]
    interval = _interval(lo, hi, lang)
    core = i18n.gettext(
        "%(effect)s (%(interval)s) jämfört med %(comparison)s",
        lang,
        effect=effect,
        interval=interval,
        comparison=comparison,
    )
    if row["verdict"] != "decrease":
        return core
    return f"{core}; {verdict_word(str(row['buffer_verdict']), lang)}"


def _too_early_reason(
    row: Mapping[str, object], rules: Rules, data: tuple[int, int], start_ns: int, lang: str
) -> str:
    days = int(row["days"])  # type: ignore[call-overload]
    if start_ns >= data[1]:
        return i18n.gettext("åtgärden började efter att data slutar", lang)
    if start_ns <= data[0]:
        return i18n.gettext("data börjar inte före åtgärden, så det finns inget före-fönster", lang)
    if days < rules.min_days:
        before = int((start_ns - data[0]) // 86_400_000_000_000)
        if before < rules.min_days:
            return i18n.ngettext(
                "bara %(num)s dag data före starten (minst %(least)s behövs)",
                "bara %(num)s dagar data före starten (minst %(least)s behövs)",
                before,
                lang,
                least=rules.min_days,
            )
        return i18n.ngettext(
            "bara %(num)s dag efter starten i data (minst %(least)s behövs)",
            "bara %(num)s dagar efter starten i data (minst %(least)s behövs)",
            days,
            lang,
            least=rules.min_days,
        )
    expected = i18n.number(float(row["expected_after"]), lang, decimals=1)  # type: ignore[arg-type]
    least = f"{rules.min_expected:g}"
    return i18n.gettext(
        "för få rapporter: utan effekt väntas %(expected)s i området efter starten och %(came)s kom "
        "(minst %(least)s behövs)",
        lang,
        expected=expected,
        came=row["treated_after"],
        least=least,
    )


_TAILS = {
    "displacement": N_("; omgivningen ökade (%(ring)s), vilket tyder på förflyttning"),
    "diffusion": N_("; även omgivningen minskade (%(ring)s), nyttan spred sig"),
    "none": N_("; ingen förflyttning till omgivningen"),
    "unclear": N_("; för få rapporter i omgivningen för att bedöma förflyttning"),
}


def note_text(
    row: Mapping[str, object],
    rules: Rules,
    *,
    data: tuple[int, int],
    start_ns: int,
    tz: str,
    lang: str = "sv",
) -> str:
    """Return one sentence on a measure's evaluation that a planner can read aloud, in `lang`."""
    del tz
    verdict = str(row["verdict"])
    if verdict == "too_early":
        reason = _too_early_reason(row, rules, data, start_ns, lang)
        return i18n.gettext("För tidigt att säga: %(reason)s.", lang, reason=reason)
    comparison = rules.comparison_name if lang == "sv" else comparison_english(rules.comparison_name)
    values = {
        "effect": pct(float(row["effect_pct"]), lang=lang),  # type: ignore[arg-type]
        "interval": _interval(float(row["ci_low"]), float(row["ci_high"]), lang),  # type: ignore[arg-type]
        "comparison": comparison,
        "before": row["treated_before"],
        "after": row["treated_after"],
        "days": row["days"],
    }
    if verdict == "decrease":
        head = i18n.gettext(
            "Rapporterna i området minskade, %(effect)s (95 %% KI %(interval)s) jämfört med %(comparison)s "
            "(%(before)s före, %(after)s efter, %(days)s dagar var)",
            lang,
            **values,
        )
    elif verdict == "increase":
        head = i18n.gettext(
            "Rapporterna i området ökade, %(effect)s (95 %% KI %(interval)s) jämfört med %(comparison)s "
            "(%(before)s före, %(after)s efter, %(days)s dagar var)",
            lang,
            **values,
        )
    else:
        head = i18n.gettext(
            "Ingen tydlig effekt: %(effect)s (95 %% KI %(interval)s) jämfört med %(comparison)s "
            "(%(before)s före, %(after)s efter, %(days)s dagar var)",
            lang,
            **values,
        )
    buffer = str(row["buffer_verdict"])
    tail = ""
    if buffer != "none" or verdict == "decrease":
        ring = pct(float(row["buffer_pct"]), lang=lang)  # type: ignore[arg-type]
        tail = i18n.gettext(_TAILS[buffer], lang, ring=ring)
    return head + tail + "."


def window_text(row: Mapping[str, object]) -> str:
    """``2024-01-01–2024-12-31 / 2025-01-01–2025-12-31``."""
    return f"{row['before_start']}–{row['before_end']} / {row['after_start']}–{row['after_end']}"


def is_missing(value: object) -> bool:
    """Return True for None and NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT
