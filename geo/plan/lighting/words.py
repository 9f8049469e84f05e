"""How reports are recognised as dark-place or broken-lamp reports, and how busy hours are told in Swedish."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd

from geo import i18n

__all__ = ["BROKEN_WORDS", "DARK_WORDS", "contains_any", "hours_text", "is_place_report", "proposal_reason"]


DARK_WORDS: tuple[str, ...] = (
    "mörk",
    "mork",
    "belysning",
    "obelyst",
    "lampa",
    "lampor",
    "gatljus",
    "gatlykt",
    "otrygg",
    "dark",
    "unlit",
    "lighting",
    "streetlight",
    "street light",
    "lamp",
    "unsafe",
)
"""Words in ``category`` that make a report a report of a dark or unsafe place (counted at any hour)."""

BROKEN_WORDS: tuple[str, ...] = (
    "trasig",
    "ur funktion",
    "släckt",
    "slackt",
    "broken",
    "not working",
    "fungerar inte",
)
"""Words in ``category`` (or ``description``) of a report of a broken lamp."""


def _fold(text: object) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold().strip()


def contains_any(texts: pd.Series, words: Sequence[str]) -> np.ndarray:
    """Tell which `texts` contain one of `words` (case-insensitive, Unicode-normalised substrings)."""
    if len(texts) == 0 or not words:
        return np.zeros(len(texts), dtype=bool)
    pattern = "|".join(re.escape(_fold(w)) for w in words)
    folded = texts.astype("string").fillna("").map(_fold)
    return folded.str.contains(pattern, regex=True).fillna(False).to_numpy(dtype=bool)


def is_place_report(reports: pd.DataFrame, *, dark_words: Sequence[str] = DARK_WORDS) -> np.ndarray:
    """Tell which reports are reports of a dark or unsafe place (by words in their ``category``)."""
    if len(reports) == 0:
        return np.zeros(0, dtype=bool)
    return contains_any(reports["category"], dark_words)


def hours_text(hours: dict[int, float], lang: str = "sv") -> str:
    """Name the busiest hours ("kl 22–01", "22–01 h"): the shortest run of hours holding half the weight."""
    if not hours:
        return ""
    w = np.zeros(24)
    for h, n in hours.items():
        w[int(h)] += n
    total = w.sum()
    if total <= 0:
        return ""
    best: tuple[int, int] | None = None
    c = np.concatenate([[0.0], np.cumsum(np.tile(w, 2))])
    starts = np.arange(24)
    for length in range(1, 25):
        sums = c[starts + length] - c[starts]  # circular runs of `length` hours starting at each hour
        if sums.max() >= 0.5 * total - 1e-9:
            best = (int(np.argmax(sums)), length)
            break
    start, length = best if best else (0, 24)
    end = (start + length) % 24
    hours_run = f"{start:02d}" if length == 1 else f"{start:02d}–{end:02d}"
    return i18n.gettext("kl %(hours)s", lang, hours=hours_run)


def proposal_reason(
    street: str,
    *,
    n_new: int,
    n_inc: int,
    n_place: int,
    peak: str,
    gain: float,
    repair: list[str],
    radius: float,
    lang: str = "sv",
) -> str:
    """Return the reason of one proposal in words (Swedish by default, plural forms by count)."""
    parts = []
    if n_inc:
        parts.append(i18n.ngettext("%(num)s händelse i mörker", "%(num)s händelser i mörker", n_inc, lang))
    if n_place:
        parts.append(
            i18n.ngettext(
                "%(num)s rapport om en mörk eller otrygg plats",
                "%(num)s rapporter om mörka eller otrygga platser",
                n_place,
                lang,
            )
        )
    what = i18n.gettext(" och ", lang).join(parts) if parts else i18n.gettext("inga", lang)
    reason = i18n.ngettext(
        "Ny lampa på %(street)s: lyser upp platsen för %(num)s rapport (%(what)s)",
        "Ny lampa på %(street)s: lyser upp platsen för %(num)s rapporter (%(what)s)",
        n_new,
        lang,
        street=street,
        what=what,
    )
    if peak:
        reason += i18n.gettext(", mest %(peak)s", lang, peak=peak)
    decimals = 0 if float(gain).is_integer() else 1
    reason += i18n.gettext(
        "; poäng %(gain)s (1 per händelse i mörker, 2 per rapport om platsen).",
        lang,
        gain=i18n.number(gain, lang, decimals=decimals),
    )
    if repair:
        reason += " " + i18n.ngettext(
            "Laga först den trasiga lampan %(lamps)s inom %(num)s m.",
            "Laga först de trasiga lamporna %(lamps)s inom %(num)s m.",
            len(repair[:3]),
            lang,
            lamps=", ".join(repair[:3]),
            num=i18n.number(radius, lang),
        )
    return reason
