"""Checks that a public page gives away no report position and no free text.

Used by the tests (and usable on any published file): every report coordinate, rounded to 4 decimals (about
10 m), is searched for as a latitude/longitude pair in the common ways of writing one, and every free text
is searched for as written, HTML-escaped and JSON-escaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import escape

import numpy as np

__all__ = ["coordinate_strings", "leaked_coordinates", "leaked_texts"]

_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_SEP = re.compile(r"^\s*[,;/ ]\s*$|^\s*$")


def _forms(value: float) -> set[str]:
    """Ways a coordinate rounded to 4 decimals is commonly written."""
    r = round(float(value), 4)
    out = {f"{r:.4f}", repr(r), str(r)}
    out.add(f"{r:.4f}".rstrip("0").rstrip("."))
    return out


def coordinate_strings(lat: float, lon: float) -> set[str]:
    """Write the pair ``(lat, lon)`` rounded to 4 decimals in common formats.

    ``"lat, lon"``, ``"lat,lon"``,
    ``"lon,lat"``, ``"[lon, lat]"``, ``"lat lon"``, ``"POINT (lon lat)"``, ... (for humans; the search in
    :func:`leaked_coordinates` matches all of these and any other separator).
    """
    out: set[str] = set()
    for a in _forms(lat):
        for o in _forms(lon):
            for sep in (",", ", ", " ", ";", "; "):
                out.add(f"{a}{sep}{o}")
                out.add(f"{o}{sep}{a}")
            out.add(f"POINT ({o} {a})")
    return out


def leaked_coordinates(
    html: str, lat: Iterable[float], lon: Iterable[float], *, max_gap: int = 3
) -> list[str]:
    """Report positions that appear in `html` as a lat/lon (or lon/lat) pair rounded to 4 decimals.

    Every pair of numbers in the text separated by at most `max_gap` characters of punctuation or space
    (``", "``, ``","``, ``" "``, ``"; "``, ``"],["`` is not a pair separator) is compared, as written, with
    each position's 4-decimal forms (``57.1832`` and ``57.18320``-style zero padding to 4 places, and the
    shortest form such as ``57.18``). A number written with more decimals (``57.183215``) is a different
    string and does not match.

    Parameters
    ----------
    html
        The page.
    lat, lon
        Report positions in degrees.
    max_gap
        Longest separator between the two numbers of a pair.

    Returns
    -------
    leaks
        ``"lat, lon"`` of each position found (empty when none).
    """
    tokens = [(m.start(), m.end(), m.group()) for m in _NUM.finditer(html)]
    pairs: set[tuple[str, str]] = set()
    for (_s0, e0, a), (s1, _e1, b) in zip(tokens, tokens[1:], strict=False):
        gap = html[e0:s1]
        if len(gap) <= max_gap and _SEP.match(gap):
            pairs.add((a, b))
            pairs.add((b, a))
    if not pairs:
        return []
    firsts = {p[0] for p in pairs}
    leaks = []
    for la, lo in zip(np.asarray(list(lat), dtype=float), np.asarray(list(lon), dtype=float), strict=True):
        fa = _forms(la)
        if not fa & firsts:
            continue
        fo = _forms(lo)
        if any((a, o) in pairs for a in fa for o in fo):
            leaks.append(f"{round(la, 4)}, {round(lo, 4)}")
    return leaks


def leaked_texts(html: str, texts: Iterable[str], *, min_len: int = 8) -> list[str]:
    """Free texts (descriptions, addresses) that appear in `html` as written, HTML-escaped or JSON-escaped.

    Parameters
    ----------
    html
        The page.
    texts
        The texts; those shorter than `min_len` characters are skipped (a two-letter text would match
        anything).
    min_len
        Shortest text searched for.
    """
    found = []
    for t in {str(t).strip() for t in texts if t is not None}:
        if len(t) < min_len:
            continue
        forms = {
            t,
            escape(t),
            escape(t, quote=False),
            json.dumps(t, ensure_ascii=False)[1:-1],
            json.dumps(t)[1:-1],
        }
        forms.add(
            json.dumps(t, ensure_ascii=False)[1:-1]
            .replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026")
            .replace("'", "\\u0027")
        )
        if any(f in html for f in forms):
            found.append(t)
    return sorted(found)
