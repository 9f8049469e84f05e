"""The one message catalogue: complete for English, plural forms by count, Babel formats per language."""

from __future__ import annotations

import datetime as dt

import pytest

from geo import i18n
from geo.i18n.extract import extract, untranslated
from geo.measures.model import FOCUS, KINDS, STATUSES


def _english_catalogue():
    from babel.messages.pofile import read_po

    with (i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").open("rb") as f:
        return read_po(f, locale="en")


def test_every_message_in_the_source_has_an_english_translation():
    source = extract()
    assert len(source) > 50
    english = _english_catalogue()
    missing = [m.id for m in source if m.id and (english.get(m.id) is None or not english.get(m.id).string)]
    assert not missing, f"run python -m geo.i18n.extract and translate: {missing}"


def test_the_catalogue_file_has_no_untranslated_entry():
    catalog = _english_catalogue()
    assert untranslated(catalog) == []
    assert catalog.num_plurals == 2


def test_the_measures_register_words_are_translated():
    for word in (*STATUSES, *FOCUS, *KINDS):
        assert i18n.gettext(word, "en") != word or word == "information", word


@pytest.mark.parametrize(
    ("n", "sv", "en"),
    [(0, "0 rapporter", "0 reports"), (1, "1 rapport", "1 report"), (2, "2 rapporter", "2 reports")],
)
def test_plural_forms_follow_the_count(n, sv, en):
    assert i18n.ngettext("%(num)s rapport", "%(num)s rapporter", n, "sv") == sv
    assert i18n.ngettext("%(num)s rapport", "%(num)s rapporter", n, "en") == en


def test_numbers_shares_and_dates_per_language():
    assert i18n.number(114_714, "sv") == "114\xa0714" and i18n.number(114_714, "en") == "114,714"
    assert i18n.pct(0.137, "sv") == "13,7\xa0%" and i18n.pct(0.137, "en") == "13.7%"
    assert i18n.pct(0.063, "sv") == "6,3\xa0%"  # one decimal separator on the page, whatever the value
    assert i18n.pct(None, "sv") == "–" and i18n.number(float("nan"), "en") == "–"
    day = dt.date(2026, 11, 2)
    assert i18n.date(day, "sv", fmt="EEEE d MMMM") == "måndag 2 november"
    assert i18n.date(day, "en", fmt="EEEE d MMMM") == "Monday 2 November"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="sv eller en"):
        i18n.gettext("Lägesbild", "de")
