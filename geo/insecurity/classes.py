"""The four classes of a cell and the sentence (Swedish or English) saying what each suggests.

Every word goes through the message catalogue (:mod:`geo.i18n`; the Swedish text is the message id).
"""

from __future__ import annotations

import math

from geo import i18n
from geo.i18n import N_

__all__ = ["CLASSES", "CLASS_NAMES", "class_advice", "class_name", "class_sentence", "evidence_text"]

CLASSES: tuple[str, ...] = ("felt_not_recorded", "recorded_not_felt", "both", "neither")
"""The classes, in the order the summary lists them."""

CLASS_NAMES: dict[str, str] = {
    "felt_not_recorded": N_("upplevd otrygghet utan anmälda brott"),
    "recorded_not_felt": N_("anmälda brott utan upplevd otrygghet"),
    "both": N_("både upplevd otrygghet och anmälda brott"),
    "neither": N_("varken eller"),
}
"""Short name of each class in Swedish, the catalogue's message id (:func:`class_name` says it in `lang`)."""

_SUGGESTS: dict[str, str] = {
    "felt_not_recorded": N_("belysning, insyn, skötsel — underlag för trygghetsvandring"),
    "recorded_not_felt": N_(
        "brotten märks inte av invånarna — polisiär närvaro och brottsförebyggande insatser snarare än "
        "fysiska åtgärder"
    ),
    "both": N_("samverkan kommun–polis: fysiska åtgärder (belysning, insyn) och närvaro"),
    "neither": N_("inget över det väntade"),
}


def _check(cls: str) -> None:
    if cls not in CLASSES:
        raise ValueError(f"class must be one of {', '.join(CLASSES)}, got '{cls}'")


def class_name(cls: str, lang: str = "sv") -> str:
    """Return the short name of class `cls` in `lang` (``"upplevd otrygghet utan anmälda brott"``).

    Raises
    ------
    ValueError
        If `cls` is not one of :data:`CLASSES` or `lang` is not ``sv``/``en``.
    """
    _check(cls)
    return i18n.gettext(CLASS_NAMES[cls], i18n.check_lang(lang))


def _p(value: float, lang: str) -> str:
    """``= 0,012`` or ``< 0,001``."""
    if not math.isfinite(value):
        return f"= {i18n.MISSING}"
    if value < 0.001:
        return f"< {i18n.number(0.001, lang, decimals=3)}"
    return f"= {i18n.number(value, lang, decimals=3)}"


def evidence_text(
    felt: int,
    felt_expected: float,
    recorded: int,
    recorded_expected: float,
    *,
    felt_p: float,
    recorded_p: float,
    lang: str = "sv",
) -> str:
    """Say the counts, expected counts and adjusted p-values in words (``12 otrygghetsrapporter ...``)."""
    felt_words = i18n.ngettext(
        "%(num)s otrygghetsrapport (väntat %(expected)s, p %(p)s)",
        "%(num)s otrygghetsrapporter (väntat %(expected)s, p %(p)s)",
        felt,
        lang,
        expected=i18n.number(felt_expected, lang, decimals=1),
        p=_p(felt_p, lang),
    )
    recorded_words = i18n.ngettext(
        "%(num)s anmält brott (väntat %(expected)s, p %(p)s)",
        "%(num)s anmälda brott (väntat %(expected)s, p %(p)s)",
        recorded,
        lang,
        expected=i18n.number(recorded_expected, lang, decimals=1),
        p=_p(recorded_p, lang),
    )
    return f"{felt_words}, {recorded_words}"


def class_sentence(
    cls: str,
    *,
    felt: int,
    felt_expected: float,
    recorded: int,
    recorded_expected: float,
    felt_p: float,
    recorded_p: float,
    lang: str = "sv",
) -> str:
    """Return one sentence: the class, what it suggests, and its evidence.

    Example: ``"Upplevd otrygghet utan anmälda brott: belysning, insyn, skötsel — underlag för
    trygghetsvandring (14 otrygghetsrapporter (väntat 1,6, p < 0,001), 8 anmälda brott (väntat 17,1,
    p = 1,000))."``

    Raises
    ------
    ValueError
        If `cls` is not one of :data:`CLASSES` or `lang` is not ``sv``/``en``.
    """
    name = class_name(cls, lang)
    evidence = evidence_text(
        felt,
        felt_expected,
        recorded,
        recorded_expected,
        felt_p=felt_p,
        recorded_p=recorded_p,
        lang=lang,
    )
    return f"{name[0].upper()}{name[1:]}: {i18n.gettext(_SUGGESTS[cls], lang)} ({evidence})."


def class_advice(cls: str, *, lang: str = "sv") -> str:
    """Return the class and what it suggests, without counts (``"Upplevd otrygghet ...: belysning ..."``)."""
    name = class_name(cls, lang)
    return f"{name[0].upper()}{name[1:]}: {i18n.gettext(_SUGGESTS[cls], lang)}."
