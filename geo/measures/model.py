"""The measure (åtgärd) model: what was decided where, when, for which hours and categories.

A *measures* frame is a :class:`geopandas.GeoDataFrame` whose geometry is the treated area (a polygon in
the reports' metric CRS: a point place is already buffered by its ``radius_m``) with these columns:

============== ========================= ==================================================================
column         dtype                     meaning
============== ========================= ==================================================================
measure_id     string, unique            the register's id
kind           string                    one of :data:`KINDS`
start          datetime64[ns, zone]      when the measure began (local midnight for a date)
end            datetime64[ns, zone]      when it stopped (NaT: still going, or lasting like a lamp)
hours          string                    ``""`` (all day), ``dark``, ``22-03``, ``fre-lör 22-03``
categories     string                    categories the measure targets, ``;``-separated (``""``: all)
focus          string                    one of :data:`FOCUS` or ``""``
status         string                    one of :data:`STATUSES` or ``""``
owner, name,   string                    free text
notes
proposal_id    string                    the proposal it came from (``lamp:3``, ``patrol:P2``), or ``""``
radius_m       float64                   the radius of a point place; NaN for a polygon
source_row     Int64                     row in the register (spreadsheet row for CSV)
============== ========================= ==================================================================

Only :func:`validate_measures` returns a :data:`Measures`; readers in :mod:`geo.io.measures` build it.
"""

from __future__ import annotations

from typing import NewType

import geopandas as gpd
import pandas as pd

from geo.errors import SchemaError
from geo.model import require_metric_crs

__all__ = [
    "FOCUS",
    "KINDS",
    "KIND_ALIASES",
    "LIGHTING_KINDS",
    "MEASURE_COLUMNS",
    "STATUSES",
    "Measures",
    "empty_measures",
    "normalise_kind",
    "validate_measures",
]

Measures = NewType("Measures", gpd.GeoDataFrame)  # type: ignore[valid-newtype]  # geopandas ships no stubs

KINDS: tuple[str, ...] = (
    "patrull/närvaro",
    "belysning",
    "lagning av lampa",
    "röjning/skötsel",
    "kamera",
    "hastighetskontroll",
    "trygghetsvandring",
    "information",
    "ombyggnad",
    "annat",
)
"""Kinds of measure, as the register writes them."""

KIND_ALIASES: dict[str, str] = {
    "patrull": "patrull/närvaro",
    "närvaro": "patrull/närvaro",
    "patrol": "patrull/närvaro",
    "presence": "patrull/närvaro",
    "lighting": "belysning",
    "ny belysning": "belysning",
    "lagning": "lagning av lampa",
    "lamp repair": "lagning av lampa",
    "lamp_repair": "lagning av lampa",
    "röjning": "röjning/skötsel",
    "skötsel": "röjning/skötsel",
    "clearing": "röjning/skötsel",
    "camera": "kamera",
    "kamerabevakning": "kamera",
    "speed check": "hastighetskontroll",
    "speed_check": "hastighetskontroll",
    "safety walk": "trygghetsvandring",
    "safety_walk": "trygghetsvandring",
    "redesign": "ombyggnad",
    "other": "annat",
}
"""Other names a register may use for a kind (lower case)."""

LIGHTING_KINDS: frozenset[str] = frozenset({"belysning", "lagning av lampa"})
"""Kinds that can act only in darkness: evaluated on reports with ``is_dark`` (unless ``hours`` says else)."""

FOCUS: tuple[str, ...] = ("trygghet", "förebygga brott", "narkotika", "trafik")
"""The four focus areas of the citizen promise (medborgarlöfte)."""

STATUSES: tuple[str, ...] = ("föreslagen", "beslutad", "pågår", "genomförd", "avbruten")
"""Statuses of a measure, in their usual order."""

TEXT_COLUMNS: tuple[str, ...] = (
    "measure_id",
    "kind",
    "hours",
    "categories",
    "focus",
    "status",
    "owner",
    "name",
    "notes",
    "proposal_id",
)

MEASURE_COLUMNS: tuple[str, ...] = (
    *TEXT_COLUMNS[:2],
    "start",
    "end",
    *TEXT_COLUMNS[2:],
    "radius_m",
    "source_row",
)
"""Columns of a measures frame, in order (plus ``geometry``)."""


def normalise_kind(value: str) -> str | None:
    """Return the kind `value` names (case and spaces ignored, aliases allowed), or ``None``."""
    text = " ".join(str(value).strip().lower().split())
    if text in KINDS:
        return text
    return KIND_ALIASES.get(text)


def empty_measures(crs: object, tz: str) -> Measures:
    """Return a valid measures frame without rows."""
    data: dict[str, object] = {c: pd.Series([], dtype="string") for c in TEXT_COLUMNS}
    data["start"] = pd.Series([], dtype=f"datetime64[ns, {tz}]")
    data["end"] = pd.Series([], dtype=f"datetime64[ns, {tz}]")
    data["radius_m"] = pd.Series([], dtype="float64")
    data["source_row"] = pd.Series([], dtype="Int64")
    frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    return Measures(frame[[*MEASURE_COLUMNS, "geometry"]])


def validate_measures(frame: gpd.GeoDataFrame, *, what: str = "measures") -> Measures:
    """Check a measures frame against the model and return it typed; every problem is reported at once.

    Parameters
    ----------
    frame
        Built by a reader: the columns of :data:`MEASURE_COLUMNS`, polygon geometry in a metric CRS.
    what
        Name used in messages.

    Raises
    ------
    SchemaError
        Listing every problem.
    """
    require_metric_crs(frame, what=what)
    problems = [f"missing column '{c}'" for c in MEASURE_COLUMNS if c not in frame.columns]
    if problems:
        raise SchemaError(f"{what}: " + "; ".join(problems))
    if frame["measure_id"].duplicated().any():
        dup = sorted(frame.loc[frame["measure_id"].duplicated(), "measure_id"].astype(str).unique())
        problems.append(f"repeated measure_id {', '.join(dup[:5])}")
    bad_kind = ~frame["kind"].isin(KINDS)
    if bad_kind.any():
        problems.append(f"kind must be one of {', '.join(KINDS)}")
    for col in ("start", "end"):
        if not isinstance(frame[col].dtype, pd.DatetimeTZDtype):
            problems.append(f"'{col}' must be timezone-aware")
    if frame["start"].isna().any():
        problems.append("'start' is missing on some rows")
    later = frame["end"].notna() & (frame["end"] < frame["start"])
    if later.any():
        problems.append("'end' is before 'start' on some rows")
    geom_types = set(frame.geometry.geom_type.dropna())
    if not geom_types <= {"Polygon", "MultiPolygon"} or frame.geometry.isna().any():
        problems.append("every measure needs a polygon place")
    for col, allowed in (("focus", FOCUS), ("status", STATUSES)):
        bad = ~frame[col].fillna("").isin((*allowed, ""))
        if bad.any():
            problems.append(f"{col} must be one of {', '.join(allowed)}")
    if problems:
        raise SchemaError(f"{what}: " + "; ".join(problems))
    return Measures(frame[[*MEASURE_COLUMNS, "geometry"]].reset_index(drop=True))
