"""The Jinja2 environment of every page: templates shipped in ``geo/maps/templates``, autoescaped, translated.

One module outside :mod:`geo.maps` so that the plan's and the measures' pages render with the same
environment without importing the maps (the templates are read from their folder, not through the package).

One environment per language: ``_()``/``ngettext()`` in a template go through the gettext catalogue
(:mod:`geo.i18n`), and the filters ``number``, ``pct`` and ``date`` format with Babel for that language.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from geo import i18n

__all__ = ["TEMPLATES", "environment", "render"]

TEMPLATES = Path(__file__).with_name("maps") / "templates"
"""The folder of every page template (``<page>/<name>.html``)."""


@cache
def environment(lang: str) -> Environment:
    """Return the page environment for `lang` (``"sv"`` or ``"en"``), built once per process."""
    i18n.check_lang(lang)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["number"] = lambda v, decimals=0: i18n.number(v, lang, decimals=decimals)
    env.filters["pct"] = lambda v, decimals=1: i18n.pct(v, lang, decimals=decimals)
    env.filters["date"] = lambda v, fmt="medium": i18n.date(v, lang, fmt=fmt)
    return env


def render(template: str, lang: str, **context: Any) -> str:
    """Render the template `template` (a path under ``geo/maps/templates``) in `lang` with `context`."""
    return environment(lang).get_template(template).render(lang=lang, **context)
