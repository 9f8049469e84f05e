"""The one escaping path of the maps: every text that reaches a map's HTML goes through :func:`as_html`.

Tooltips, popups, legends, layer names and panels are HTML in Leaflet (it sets ``innerHTML``). Text from
an input (a category, a street name, a label, a description) must never be read as markup there. The rule:

- HTML that our own builders make (:func:`geo.maps.style.popup_html`, the legend builders, the footer) is a
  :class:`~markupsafe.Markup`, built from escaped parts;
- anything else that reaches a tooltip, popup, legend, layer name or panel is text, and is escaped
  (MarkupSafe, Jinja2's escaping) by the map elements themselves (:mod:`geo.maps.elements`).

So a text that was never marked as HTML cannot become HTML, whichever layer it comes from.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

__all__ = ["Markup", "as_html", "escape", "safe_properties"]


def as_html(value: Any) -> Markup:
    """Return `value` as HTML: a :class:`Markup` from our builders as it is, anything else escaped."""
    if isinstance(value, Markup):
        return value
    return escape("" if value is None else str(value))


def safe_properties(geojson: dict[str, Any]) -> dict[str, Any]:
    """Escape the tooltip (``_t``, always text) and popup (``_p``, unless :class:`Markup`) of each feature.

    Changes `geojson` in place and returns it.
    """
    for feature in geojson.get("features", ()):
        props = feature.get("properties")
        if not props:
            continue
        if "_t" in props and props["_t"] is not None:
            props["_t"] = str(escape(str(props["_t"])))
        if "_p" in props and props["_p"] is not None:
            props["_p"] = str(as_html(props["_p"]))
    return geojson
