"""OSM tags of ways for the lighting layer: which ways are walkable, which are lit, what to call them."""

from __future__ import annotations

import math
import unicodedata

import pandas as pd

__all__ = ["LIT_NO", "LIT_YES", "WALKABLE_HIGHWAYS", "classify_lit", "street_label"]

WALKABLE_HIGHWAYS: tuple[str, ...] = (
    "footway",
    "cycleway",
    "path",
    "pedestrian",
    "steps",
    "bridleway",
    "track",
    "trail",
    "residential",
    "service",
    "living_street",
)
"""OSM ``highway`` values counted as walkable ways (where people walk or cycle after dark)."""

LIT_YES = frozenset(
    {"yes", "24/7", "automatic", "limited", "interval", "sunset-sunrise", "dusk-dawn", "night"}
)
"""``lit=*`` values meaning the way is lit (``limited``/``interval`` only part of the night)."""

LIT_NO = frozenset({"no", "disused", "none", "off"})
"""``lit=*`` values meaning the way is not lit."""
_HIGHWAY_SV: dict[str, str] = {
    "footway": "gångväg",
    "cycleway": "cykelväg",
    "path": "stig",
    "pedestrian": "gågata",
    "steps": "trappa",
    "bridleway": "ridväg",
    "track": "skogsväg",
    "trail": "led",
    "residential": "bostadsgata",
    "service": "servicegata",
    "living_street": "gårdsgata",
}


def _fold(text: object) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold().strip()


def classify_lit(value: object) -> str:
    """Classify an OSM ``lit=*`` value.

    Parameters
    ----------
    value
        The tag value, or missing.

    Returns
    -------
    lit_class
        ``lit`` (yes, 24/7, automatic), ``limited`` (limited, interval, a time range such as
        ``sunset-01:00``), ``unlit`` (no, disused) or ``unknown`` (missing or unrecognised).

    Examples
    --------
    >>> [classify_lit(v) for v in ("yes", "limited", "no", None, "sunset-01:00")]
    ['lit', 'limited', 'unlit', 'unknown', 'limited']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "unknown"
    text = _fold(value)
    if text in ("limited", "interval"):
        return "limited"
    if text in LIT_YES:
        return "lit"
    if text in LIT_NO:
        return "unlit"
    if any(ch.isdigit() for ch in text) and ("-" in text or ":" in text):
        return "limited"
    return "unknown"


def street_label(name: object, highway: object) -> str:
    """Human label of a way: its name, else its kind in Swedish (``gångväg``, ``cykelväg``, ...)."""
    if isinstance(name, str) and name.strip():
        return name.strip()
    return _HIGHWAY_SV.get(
        str(highway), str(highway) if isinstance(highway, str) and highway else "okänd väg"
    )
