"""Reject reasons in the user's language.

The readers record each reason once, in a fixed English form (tests and the service match on it); the files a
user reads (``rejects.csv`` and its kin) and the console say it in the run's language. Each known form is a
pattern here with its Swedish message id in the gettext catalogue (:mod:`geo.i18n`), whose English
translation is the reader's own wording; a reason no pattern knows is left as it is.
"""

from __future__ import annotations

import re

import pandas as pd

from geo import i18n
from geo.i18n import N_

__all__ = ["REASONS", "localize_rejects", "reason_text"]

_WHAT = {
    "time": N_("tiden"),
    "end time": N_("sluttiden"),
    "time in the name": N_("tiden i namnet"),
}
_KINDS = {"municipality": N_("kommun"), "county": N_("län")}

REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(f"^{pattern}$"), msgid)
    for pattern, msgid in (
        ("missing geometry", N_("geometri saknas")),
        ("not a point; its representative point is used", N_("inte en punkt; en punkt inuti den används")),
        ("missing coordinate", N_("koordinat saknas")),
        ("cannot parse coordinate as a number", N_("koordinaten är inte ett tal")),
        (
            "latitude and longitude were swapped; swapped back",
            N_("latitud och longitud var omkastade; vända"),
        ),
        ("coordinate out of range for degrees", N_("koordinaten ligger utanför gradernas intervall")),
        (
            r"position outside the study area \((?P<area>.*)\)",
            N_("positionen ligger utanför studieområdet (%(area)s)"),
        ),
        (
            r"place is not the study area \((?P<area>.*?)\); a (?P<kinds>\S+) point is not placed in the "
            "area by position",
            N_(
                "platsen är inte studieområdet (%(area)s); en %(kinds)s-punkt placeras inte i området "
                "efter läge"
            ),
        ),
        ("empty category", N_("kategori saknas")),
        ("empty id; file and row used instead", N_("id saknas; fil och rad används i stället")),
        (r"repeated id \(first at row (?P<row>\d+)\)", N_("upprepat id (först på rad %(row)s)")),
        ("weight must be a number >= 0", N_("vikten måste vara ett tal >= 0")),
        (
            r"unknown location precision \(allowed: (?P<allowed>.*)\)",
            N_("okänd lägesprecision (tillåtna: %(allowed)s)"),
        ),
        (
            r"possible duplicate of row (?P<row>\d+) \(same place, time and category\)",
            N_("möjlig dubblett av rad %(row)s (samma plats, tid och kategori)"),
        ),
        ("no time found", N_("ingen tid hittades")),
        ("end time is before start time", N_("sluttiden är före starttiden")),
        ("end time is in the future", N_("sluttiden ligger i framtiden")),
        ("time is in the future", N_("tiden ligger i framtiden")),
        (r"time is in the future \(after (?P<now>.*)\)", N_("tiden ligger i framtiden (efter %(now)s)")),
        (r"missing (?P<what>time|end time|time in the name)", N_("%(what)s saknas")),
        (
            r"cannot parse (?P<what>time|end time|time in the name) \(expected ISO 8601, "
            r"e\.g\. 2024-03-05 22:10, or DD\.MM\.YYYY HH:MM\)",
            N_("kan inte tolka %(what)s (väntat ISO 8601, t.ex. 2024-03-05 22:10, eller DD.MM.ÅÅÅÅ HH:MM)"),
        ),
        (
            r"local (?P<what>time|end time|time in the name) does not exist in (?P<tz>\S+) \(skipped at the "
            r"daylight-saving change in spring\)",
            N_("den lokala %(what)s finns inte i %(tz)s (hoppas över vid övergången till sommartid)"),
        ),
        (
            r"local (?P<what>time|end time|time in the name) is ambiguous in (?P<tz>\S+) "
            r"\(repeated hour at the daylight-saving change in autumn\); the earlier instant is kept",
            N_(
                "den lokala %(what)s är tvetydig i %(tz)s (timmen upprepas vid övergången till vintertid); "
                "den tidigare behålls"
            ),
        ),
        (
            r"(?P<what>time|end time|time in the name) is before (?P<year>\d{4}) \((?P<span>.*)\)",
            N_("%(what)s är före %(year)s (%(span)s)"),
        ),
        (
            r"(?P<what>time|end time|time in the name) is after (?P<year>\d{4}) \((?P<span>.*)\)",
            N_("%(what)s är efter %(year)s (%(span)s)"),
        ),
        ("latitude/longitude outside the globe", N_("latitud/longitud utanför jordklotet")),
        ("latitude/longitude is not a number", N_("latitud/longitud är inte ett tal")),
        (
            "no position: neither lat/lon nor segment_id given",
            N_("inget läge: varken lat/lon eller segment_id"),
        ),
        ("speed is not a number", N_("hastigheten är inte ett tal")),
    )
)
"""The readers' reasons (English, as recorded) -> the Swedish message id of the catalogue."""

_SPAN = re.compile(r"^outside the plausible range (?P<range>\d{4}–\d{4})$")


def reason_text(reason: str, lang: str) -> str:
    """Return the reader's `reason` in `lang` (unknown reasons unchanged)."""
    for pattern, msgid in REASONS:
        m = pattern.match(reason)
        if m is None:
            continue
        values = dict(m.groupdict())
        if "what" in values:
            values["what"] = i18n.gettext(_WHAT[values["what"]], lang)
        if "kinds" in values:
            values["kinds"] = "/".join(
                i18n.gettext(_KINDS.get(k, k), lang) for k in values["kinds"].split("/")
            )
        if (span := _SPAN.match(values.get("span", ""))) is not None:
            values["span"] = i18n.gettext(
                "utanför det rimliga intervallet %(range)s", lang, range=span["range"]
            )
        return i18n.gettext(msgid, lang, **values)
    return reason


def localize_rejects(rejects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the rejection table with its ``reason`` column in `lang` (the input is not modified)."""
    if "reason" not in rejects.columns or not len(rejects):
        return rejects
    words = {r: reason_text(r, lang) for r in rejects["reason"].dropna().unique()}
    return rejects.assign(reason=rejects["reason"].map(lambda r: words.get(r, r)))
