"""The user's language: one gettext catalogue for every text, and numbers, shares and dates through Babel.

Swedish is the source language: every message id is the Swedish text, so Swedish needs no catalogue and a
missing English translation shows as Swedish (the catalogue test catches that). The English catalogue is
``geo/i18n/locale/en/LC_MESSAGES/lagesbild.po``, compiled in memory the first time it is needed (no
build step, nothing to forget on a fresh clone). Plural forms follow each language's rule
(``Plural-Forms`` in the catalogue; Swedish and English both say "1 rapport", "2 rapporter").

Placeholders are ``%(name)s`` (gettext's python-format, the form Jinja2's i18n extension uses too).
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

__all__ = [
    "DOMAIN",
    "LANGS",
    "LOCALES",
    "N_",
    "check_lang",
    "date",
    "datetime",
    "gettext",
    "ngettext",
    "number",
    "pct",
    "translations",
]

LANGS = ("sv", "en")
"""The languages of every page, map and console line."""

LOCALES = {"sv": "sv_SE", "en": "en_GB"}
"""Babel locale per language (British English: 24-hour times, day before month)."""

DOMAIN = "lagesbild"
LOCALE_DIR = Path(__file__).with_name("locale")
MISSING = "–"
"""Shown for a missing number."""


def check_lang(lang: str) -> str:
    """Return `lang` if it is ``"sv"`` or ``"en"``.

    Raises
    ------
    ValueError
        Naming the two languages.
    """
    if lang not in LANGS:
        raise ValueError(f"språket måste vara sv eller en, inte '{lang}' / lang must be sv or en")
    return lang


@cache
def translations(lang: str) -> NullTranslations:
    """Return the gettext translations of `lang` (Swedish: the message ids themselves).

    The ``.po`` file is read and compiled in memory once per process.
    """
    check_lang(lang)
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf, domain=DOMAIN)


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark only"
    """Mark a Swedish message for the catalogue without translating it (translated where it is shown)."""
    return message


def _fill(out: str, values: dict[str, Any]) -> str:
    return out % values if values else out


def gettext(message: str, lang: str, **values: Any) -> str:
    """Translate the Swedish `message` into `lang` and fill its ``%(name)s`` placeholders with `values`."""
    return _fill(translations(lang).ugettext(message), values)


def ngettext(singular: str, plural: str, n: float, lang: str, **values: Any) -> str:
    """Translate by count: `singular` or `plural` (Swedish ids) as `lang`'s plural rule picks for `n`.

    ``%(num)s`` in the text is `n` formatted as a number of `lang` unless `values` gives it.
    """
    values.setdefault("num", number(n, lang))
    return _fill(translations(lang).ungettext(singular, plural, int(n)), values)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pd.NA raises
    except (TypeError, ValueError):
        return True


def number(value: Any, lang: str, *, decimals: int = 0) -> str:
    """Format a number for `lang` ("4 946" and "13,7" in Swedish, "4,946" and "13.7" in English).

    Parameters
    ----------
    value
        The number; ``None`` or NaN gives ``–``.
    lang
        ``"sv"`` or ``"en"``.
    decimals
        Decimals shown (trailing zeros kept).
    """
    if _missing(value):
        return MISSING
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(float(value), format=fmt, locale=LOCALES[check_lang(lang)])


def pct(value: Any, lang: str, *, decimals: int = 1) -> str:
    """Format a share (0..1) as a percentage for `lang` ("13,7 %" in Swedish, "13.7%" in English)."""
    if _missing(value):
        return MISSING
    locale = Locale.parse(LOCALES[check_lang(lang)])
    pattern = locale.percent_formats[None].pattern
    if decimals:
        pattern = pattern.replace("0", "0." + "0" * decimals, 1)
    return format_percent(float(value), format=pattern, locale=locale)


def date(value: dt.date | Any, lang: str, *, fmt: str = "medium") -> str:
    """Format a date for `lang`: Babel's ``short``/``medium``/``long``, or a CLDR pattern (``EEE d MMM``)."""
    if _missing(value):
        return MISSING
    return format_date(value, format=fmt, locale=LOCALES[check_lang(lang)])


def datetime(value: dt.datetime | Any, lang: str, *, fmt: str = "d MMM y HH:mm") -> str:
    """Format a local time for `lang` (default "2 nov. 2026 16:52" / "2 Nov 2026 16:52")."""
    if _missing(value):
        return MISSING
    return format_datetime(value, format=fmt, locale=LOCALES[check_lang(lang)])
