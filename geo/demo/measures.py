"""The demo world's register of measures (``atgarder.csv``), placed where the planted truth knows the effect.

No report is drawn for the measures: each sits on a planted hot-spot whose course is already fixed by
:mod:`geo.demo.hotspots`, so the expected verdict follows from the truth and every other demo file stays as
it was. Bredasten fades in the second demo year (weights 1, 0.42, 0.12), so clearing started then is a
``decrease``; Stortorget is persistent, so weekend-night patrols from the third year show
``no_clear_effect``; Mossle only emerges in the third year, so information there shows an ``increase`` (the
measure did not stop it); a camera started two weeks before the data end is ``too_early``; a proposed lamp
and a decided speed check are not evaluated.
"""

from __future__ import annotations

import pandas as pd

from geo.demo.hotspots import HOTSPOTS
from geo.demo.network import PLACES
from geo.demo.places import Proj

__all__ = ["DEMO_MEASURES", "EXPECTED_VERDICTS", "measures_table"]

_COLUMNS = ("measure_id", "kind", "name", "place", "radius_m", "start", "end", "hours", "categories", "focus")
_COLUMNS_2 = ("status", "owner", "notes", "proposal_id")

DEMO_MEASURES: tuple[tuple[str, ...], ...] = (
    (
        "A1",
        "röjning/skötsel",
        "Röjning och städning vid Bredasten",
        "Bredasten",
        "150",
        "2024-11-01",
        "",
        "",
        "skadegörelse;inbrott;stöld",
        "förebygga brott",
        "genomförd",
        "Samhällsbyggnad",
        "Sly röjt och klotter sanerat längs gångstråket",
        "",
    ),
    (
        "A2",
        "patrull/närvaro",
        "Helgpatrull Stortorget",
        "Stortorget",
        "150",
        "2025-11-01",
        "",
        "fre-lör 22-03",
        "",
        "trygghet",
        "pågår",
        "Polisen",
        "Synlig närvaro fredag och lördag natt",
        "patrol:centrum",
    ),
    (
        "A3",
        "information",
        "Information till handlare, Mossle",
        "Handelsplats Mossle",
        "150",
        "2025-11-01",
        "",
        "",
        "",
        "förebygga brott",
        "pågår",
        "Brottsförebyggande rådet",
        "Utskick och möte med handlarna",
        "",
    ),
    (
        "A4",
        "kamera",
        "Kamerabevakning Resecentrum",
        "Resecentrum",
        "120",
        "2026-10-17",
        "",
        "",
        "",
        "trygghet",
        "pågår",
        "Polisen",
        "Kameror uppsatta på perrongen",
        "",
    ),
    (
        "A5",
        "belysning",
        "Ny belysning i Stadsparken",
        "Stadsparken",
        "120",
        "2026-12-01",
        "",
        "dark",
        "",
        "trygghet",
        "föreslagen",
        "Gatukontoret",
        "Förslag från belysningsanalysen",
        "lamp:1",
    ),
    (
        "A6",
        "hastighetskontroll",
        "Hastighetskontroll Mosslevägen",
        "Handelsplats Mossle",
        "200",
        "2026-11-10",
        "2026-11-30",
        "",
        "",
        "trafik",
        "beslutad",
        "Polisen",
        "Kontroller vid skolstart",
        "speed:1",
    ),
)
"""The register: one row a measure (``place`` is a planted place; ``radius_m`` as text)."""

EXPECTED_VERDICTS: dict[str, str] = {
    "A1": "decrease",
    "A2": "no_clear_effect",
    "A3": "increase",
    "A4": "too_early",
}
"""The verdict the planted truth implies for each evaluated measure (A5, A6 are not evaluated)."""


def _centre(place: str) -> tuple[float, float]:
    """Return the local metres of a planted place (a hot-spot's place, or a named place)."""
    for spec in HOTSPOTS:
        if spec.place == place or spec.name == place:
            return PLACES[spec.place]
    return PLACES[place]


def measures_table(proj: Proj, *, label: str) -> pd.DataFrame:
    """Return the register as text columns, the place as ``lat``/``lon`` (WGS84) with ``radius_m``.

    Every row carries `label` in a ``data`` column, as every demo file does.
    """
    rows = []
    for rec in DEMO_MEASURES:
        values = dict(zip((*_COLUMNS, *_COLUMNS_2), rec, strict=True))
        ex, ny = _centre(values.pop("place"))
        lat, lon = proj.wgs(pd.Series([ex]).to_numpy(), pd.Series([ny]).to_numpy())
        values["lat"], values["lon"] = f"{lat[0]:.6f}", f"{lon[0]:.6f}"
        rows.append(values)
    order = ["measure_id", "kind", "name", "lat", "lon", "radius_m", "start", "end", "hours", "categories"]
    return pd.DataFrame(rows)[[*order, "focus", *_COLUMNS_2]].assign(data=label)
