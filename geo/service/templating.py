"""The service pages' Jinja2 environment and the language a request asks for.

The environment is the summary page's (:mod:`geo.templating`) over the templates in
``geo/service/templates``, so ``_()``, ``ngettext()`` and the Babel filters are the same.

Also which language a request asks for: ``?lang=en``/``?lang=sv``, else the ``Accept-Language`` header's
first of the two, else Swedish.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from geo.i18n import LANGS
from geo.templating import environment as page_environment

__all__ = ["inline", "render", "request_lang"]


@cache
def _environment(lang: str) -> Environment:
    return page_environment(lang).overlay(loader=PackageLoader("geo.service", "templates"))


def render(template: str, lang: str, **context: Any) -> str:
    """Render the template `template` (a path under ``geo/service/templates``) in `lang` with `context`."""
    return _environment(lang).get_template(template).render(lang=lang, **context)


def inline(text: str) -> Markup:
    """Mark the service's own script, style or JSON as safe inside an inline ``<script>``/``<style>``.

    Never for user input: only a closing tag and a comment start are neutralised.
    """
    return Markup(text.replace("</", "<\\/").replace("<!--", "<\\!--"))  # noqa: S704 - our own assets only


def request_lang(query: str | None, accept_language: str | None) -> str:
    """Return the language of a request, ``"sv"`` or ``"en"``.

    `query` (``?lang=``) when it names one, else the ``Accept-Language`` header's preferred one of the two
    (by q-value, then order), else ``"sv"``.

    Examples
    --------
    >>> request_lang(None, "en-GB,en;q=0.9,sv;q=0.8")
    'en'
    >>> request_lang("sv", "en")
    'sv'
    """
    if query in LANGS:
        return query
    best: tuple[float, int, str] | None = None
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        base = tag.strip().lower().split("-")[0]
        if base not in LANGS:
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if q > 0 and (best is None or (-q, i) < (-best[0], best[1])):
            best = (q, i, base)
    return best[2] if best else "sv"
