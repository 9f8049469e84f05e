"""Which input column holds which canonical field: explicit reader options first, then known names.

The names are compared case-insensitively after Unicode normalisation (:func:`fold`), so ``Tidpunkt``,
``TIDPUNKT`` and ``tidpunkt`` are the same column.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from geo.errors import InputError
from geo.io.options import ReaderOptions

__all__ = ["CANDIDATES", "detect_columns", "fold"]

CANDIDATES: dict[str, tuple[str, ...]] = {
    "lat": ("lat", "latitude", "latitud", "lat_wgs84", "wgs84_lat", "y_wgs84", "breddgrad", "y"),
    "lon": (
        "lon",
        "lng",
        "long",
        "longitude",
        "longitud",
        "lon_wgs84",
        "wgs84_lon",
        "x_wgs84",
        "längdgrad",
        "x",
    ),
    "x": ("x", "easting", "east", "e", "x_sweref", "sweref_e", "x_coord", "xkoord"),
    "y": ("y", "northing", "north", "n", "y_sweref", "sweref_n", "y_coord", "ykoord"),
    "time": (
        "occurred_at",
        "occurred_from",
        "occurred",
        "datetime",
        "date_time",
        "timestamp",
        "tidpunkt",
        "händelsetid",
        "handelsetid",
        "brottstid",
        "brottsdatum",
        "occurrencedate",
        "occurrence_date",
        "starttid",
        "tid_från",
        "tid_fran",
        "from",
        "start",
        "time",
        "date",
        "datum",
        "tid",
        "reported_at",
    ),
    "time_to": ("occurred_to", "occurred_until", "tid_till", "sluttid", "to", "end", "until", "datum_till"),
    "category": (
        "category",
        "kategori",
        "brottstyp",
        "brottskategori",
        "offence",
        "offense",
        "crime_type",
        "mci_category",
        "type",
        "typ",
        "händelsetyp",
        "handelsetyp",
    ),
    "id": (
        "report_id",
        "id",
        "ärendenummer",
        "arendenummer",
        "diarienummer",
        "case_id",
        "event_id",
        "event_unique_id",
        "incident_id",
        "ärende",
        "arende",
    ),
    "description": ("description", "beskrivning", "text", "kommentar", "comment", "notes", "fritext"),
    "weight": ("weight", "vikt"),
    "precision": ("location_precision", "precision", "lägesnoggrannhet", "noggrannhet"),
    "source": ("source", "källa", "kalla"),
}
"""Column names recognised for each canonical field, in order of preference (compared case-insensitively)."""


def fold(name: str) -> str:
    """Return a column name normalised for comparison (NFC, case-folded, stripped)."""
    return unicodedata.normalize("NFC", str(name)).casefold().strip()


def _explicit(options: ReaderOptions) -> dict[str, str | None]:
    return {
        "lat": options.lat_col,
        "lon": options.lon_col,
        "x": options.x_col,
        "y": options.y_col,
        "time": options.time_col,
        "time_to": options.time_to_col,
        "category": options.category_col,
        "id": options.id_col,
        "description": options.description_col,
        "weight": options.weight_col,
        "precision": options.precision_col,
        "source": None,
    }


def _given_columns(
    columns: Sequence[str], by_fold: dict[str, str], options: ReaderOptions
) -> dict[str, str | None]:
    """Return the columns named in the options, checked to exist."""
    found: dict[str, str | None] = {}
    for key, name in _explicit(options).items():
        if name is None:
            continue
        if name not in columns and fold(name) not in by_fold:
            raise InputError(f"column '{name}' (given for {key}) is not in the file; it has {list(columns)}")
        found[key] = name if name in columns else by_fold[fold(name)]
    return found


def detect_columns(columns: Sequence[str], options: ReaderOptions) -> dict[str, str | None]:
    """Find the input column for each canonical field.

    Explicit options win; otherwise the first column whose case-folded name is in :data:`CANDIDATES`.
    ``x``/``y`` are used as projected coordinates only when ``crs`` is given; otherwise they are read as
    longitude/latitude.

    Parameters
    ----------
    columns
        Column names as the input calls them.
    options
        Reader options.

    Returns
    -------
    found
        Map from canonical field (``lat``, ``lon``, ``x``, ``y``, ``time``, ``time_to``, ``category``, ``id``,
        ``description``, ``weight``, ``precision``, ``source``) to input column or ``None``.

    Raises
    ------
    InputError
        If an explicitly named column does not exist.
    """
    by_fold: dict[str, str] = {}
    for c in columns:
        by_fold.setdefault(fold(c), c)
    found = _given_columns(columns, by_fold, options)
    used = {c for c in found.values() if c is not None}
    projected = options.crs is not None and not (options.lat_col or options.lon_col)
    order = ["x", "y", "lat", "lon"] if projected else ["lat", "lon", "x", "y"]
    order += ["time", "time_to", "category", "id", "description", "weight", "precision", "source"]
    for key in order:
        if key in found:
            continue
        skip = (key in {"x", "y"} and not projected) or (
            key in {"lat", "lon"} and projected and bool(found.get("x")) and bool(found.get("y"))
        )
        hit = (
            None
            if skip
            else next((by_fold[c] for c in CANDIDATES[key] if c in by_fold and by_fold[c] not in used), None)
        )
        found[key] = hit
        if hit is not None:
            used.add(hit)
    return found
