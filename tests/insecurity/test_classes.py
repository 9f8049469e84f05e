"""The classes' names, advice and evidence through the catalogue: each language without words of the other."""

from __future__ import annotations

import pytest

from geo.insecurity.classes import CLASSES, class_advice, class_name, class_sentence
from tests.language import visible_words

SV_WORDS = {"upplevd", "otrygghet", "anmälda", "brott", "väntat", "och", "belysning", "varken"}
EN_WORDS = {"felt", "insecurity", "recorded", "crime", "expected", "and", "lighting", "neither"}


def _sentence(cls: str, lang: str, *, felt: int = 14, recorded: int = 8) -> str:
    return class_sentence(
        cls,
        felt=felt,
        felt_expected=1.63,
        recorded=recorded,
        recorded_expected=17.1,
        felt_p=0.0002,
        recorded_p=1.0,
        lang=lang,
    )


def test_names_in_both_languages():
    assert class_name("felt_not_recorded") == "upplevd otrygghet utan anmälda brott"
    assert class_name("felt_not_recorded", "en") == "felt insecurity without recorded crime"
    with pytest.raises(ValueError, match="class"):
        class_name("other")
    with pytest.raises(ValueError, match="lang"):
        class_name("both", "fi")


@pytest.mark.parametrize(("lang", "own", "other"), [("sv", SV_WORDS, EN_WORDS), ("en", EN_WORDS, SV_WORDS)])
def test_each_language_has_no_words_of_the_other(lang, own, other):
    text = " ".join([*(_sentence(c, lang) for c in CLASSES), *(class_advice(c, lang=lang) for c in CLASSES)])
    words = set(visible_words(text))
    assert own <= words and not words & other, sorted(words & other)


def test_numbers_and_plural_forms():
    sv = _sentence("felt_not_recorded", "sv")
    assert sv.startswith("Upplevd otrygghet utan anmälda brott: belysning")
    assert "14 otrygghetsrapporter (väntat 1,6, p < 0,001), 8 anmälda brott (väntat 17,1, p = 1,000)" in sv
    en = _sentence("felt_not_recorded", "en", felt=1, recorded=1)
    assert (
        "1 felt-insecurity report (expected 1.6, p < 0.001), 1 recorded crime (expected 17.1, p = 1.000)"
        in en
    )
    assert "1 otrygghetsrapport (" in _sentence("both", "sv", felt=1, recorded=1)
    assert "1 anmält brott (" in _sentence("both", "sv", felt=1, recorded=1)
