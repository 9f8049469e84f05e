"""A text said now in Swedish and later in any language: for notes made before the page's language is known.

``note = lazy_gettext("Data slutar %(date)s; ...", date="2026-10-31")`` is the Swedish sentence (a ``str``,
so lists of notes, CSVs and logs keep working) that also remembers its message id and values;
``say(note, "en")`` translates it through the catalogue. Any other string is returned as it is.
"""

from __future__ import annotations

from typing import Any

from geo.i18n import gettext

__all__ = ["LazyText", "lazy_gettext", "say"]


class LazyText(str):
    """The Swedish text of `msgid` filled with `values`, translatable later with :func:`say`."""

    msgid: str
    values: dict[str, Any]

    def __new__(cls, msgid: str, values: dict[str, Any] | None = None) -> LazyText:  # noqa: D102
        text = super().__new__(cls, msgid % values if values else msgid)
        text.msgid = msgid
        text.values = dict(values or {})
        return text


def lazy_gettext(message: str, **values: Any) -> LazyText:
    """Mark the Swedish `message` for the catalogue; return it filled with `values`, translatable later."""
    return LazyText(message, values)


def say(text: str, lang: str) -> str:
    """Return `text` in `lang`: a :class:`LazyText` through the catalogue, any other string as it is."""
    if isinstance(text, LazyText):
        return gettext(text.msgid, lang, **text.values)
    return text
