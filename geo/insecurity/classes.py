"""The four classes of a cell and the sentence (Swedish or English) saying what each suggests."""

from __future__ import annotations

import math

__all__ = ["CLASSES", "CLASS_NAMES", "class_advice", "class_sentence", "evidence_text"]

CLASSES: tuple[str, ...] = ("felt_not_recorded", "recorded_not_felt", "both", "neither")
"""The classes, in the order the summary lists them."""

CLASS_NAMES: dict[str, dict[str, str]] = {
    "sv": {
        "felt_not_recorded": "upplevd otrygghet utan anmälda brott",
        "recorded_not_felt": "anmälda brott utan upplevd otrygghet",
        "both": "både upplevd otrygghet och anmälda brott",
        "neither": "varken eller",
    },
    "en": {
        "felt_not_recorded": "felt insecurity without recorded crime",
        "recorded_not_felt": "recorded crime without felt insecurity",
        "both": "both felt insecurity and recorded crime",
        "neither": "neither",
    },
}
"""Short name of each class."""

_SUGGESTS: dict[str, dict[str, str]] = {
    "sv": {
        "felt_not_recorded": "belysning, insyn, skötsel — underlag för trygghetsvandring",
        "recorded_not_felt": "brotten märks inte av invånarna — polisiär närvaro och brottsförebyggande "
        "insatser snarare än fysiska åtgärder",
        "both": "samverkan kommun–polis: fysiska åtgärder (belysning, insyn) och närvaro",
        "neither": "inget över det väntade",
    },
    "en": {
        "felt_not_recorded": "lighting, sightlines, maintenance — a place for a safety walk",
        "recorded_not_felt": "residents do not notice the crime — police presence and crime prevention "
        "rather than physical changes",
        "both": "municipality and police together: physical changes (lighting, sightlines) and presence",
        "neither": "nothing above what is expected",
    },
}


def _num(value: float, lang: str) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "sv" else text


def _p(value: float) -> str:
    if not math.isfinite(value):
        return "–"
    return "< 0,001" if value < 0.001 else f"{value:.3f}".replace(".", ",")


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
    if lang == "sv":
        reports = "otrygghetsrapport" if felt == 1 else "otrygghetsrapporter"
        crimes = "anmält brott" if recorded == 1 else "anmälda brott"
        return (
            f"{felt} {reports} (väntat {_num(felt_expected, lang)}, p = {_p(felt_p)}), "
            f"{recorded} {crimes} (väntat {_num(recorded_expected, lang)}, p = {_p(recorded_p)})"
        )
    reports = "felt-insecurity report" if felt == 1 else "felt-insecurity reports"
    crimes = "recorded crime" if recorded == 1 else "recorded crimes"
    return (
        f"{felt} {reports} (expected {_num(felt_expected, lang)}, p = "
        f"{_p(felt_p).replace(',', '.')}), {recorded} {crimes} (expected "
        f"{_num(recorded_expected, lang)}, p = {_p(recorded_p).replace(',', '.')})"
    )


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
    if cls not in CLASSES:
        raise ValueError(f"class must be one of {', '.join(CLASSES)}, got '{cls}'")
    if lang not in _SUGGESTS:
        raise ValueError(f"lang must be 'sv' or 'en', got '{lang}'")
    name = CLASS_NAMES[lang][cls]
    evidence = evidence_text(
        felt,
        felt_expected,
        recorded,
        recorded_expected,
        felt_p=felt_p,
        recorded_p=recorded_p,
        lang=lang,
    )
    return f"{name[0].upper()}{name[1:]}: {_SUGGESTS[lang][cls]} ({evidence})."


def class_advice(cls: str, *, lang: str = "sv") -> str:
    """Return the class and what it suggests, without counts (``"Upplevd otrygghet ...: belysning ..."``)."""
    name = CLASS_NAMES[lang][cls]
    return f"{name[0].upper()}{name[1:]}: {_SUGGESTS[lang][cls]}."
